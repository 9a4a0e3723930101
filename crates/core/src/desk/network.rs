//! Network settings (proxy, extra trusted CA certificates, request timeout) and the HTTP clients
//! made from them. Every request of the engine gets its client here: [`Desk::http`] (global
//! settings) or [`Desk::http_for`] (global settings plus the client's own CA certificates).
//!
//! - The settings are read per request (one SQLite row), so a change made by another process
//!   (`oauthdesk settings` while the GUI runs) applies at the next request; the clients are
//!   cached per configuration and built only when it changes.
//! - A proxy password is a secret: it lives in the keychain (`network/proxy`), never in SQLite,
//!   IPC answers, transcripts or messages. The settings keep the URL without it and a flag.
//! - CA certificates are public: stored as PEM in SQLite (global in the settings row, a client's
//!   in its `ca_pem` column). A client's CA adds to the global ones for that client's requests.

use super::Desk;
use super::keychain_write::SecretChange;
use crate::error::{CoreError, Result};
use crate::model::Client;
use crate::store;
use oauthdesk_protocol::http::{HttpClient, HttpConfig};
use oauthdesk_protocol::network::{self, NetworkConfig, ProxyConfig, TrustedCert};
use oauthdesk_protocol::{KeychainValue, Password};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use ts_rs::TS;

/// The keychain item of the explicit proxy's password.
pub const PROXY_PASSWORD_KEY: &str = "network/proxy";
/// Bounds of the request timeout setting, in seconds.
pub const TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 1..=600;
/// Clients kept built at once (global, and one per distinct client CA).
const CACHED_CLIENTS: usize = 8;

/// Which proxy the engine's requests go through.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ProxyMode {
    /// `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY` from the environment (on macOS and
    /// Windows also the OS's proxy settings); on Linux this is the environment.
    #[default]
    System,
    /// Direct connections, whatever the environment says.
    None,
    /// `proxy_url` for every request, except the hosts in `no_proxy`.
    Explicit,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(default)]
pub struct NetworkSettings {
    pub proxy: ProxyMode,
    /// The explicit proxy, e.g. `http://proxy.corp:3128` (http, https, socks5, socks5h); never
    /// holds a password (a password given in it goes to the keychain).
    pub proxy_url: Option<String>,
    /// Hosts the explicit proxy is not used for, comma-separated as `NO_PROXY`
    /// (`localhost,127.0.0.1,.corp.example`).
    pub no_proxy: String,
    /// The explicit proxy's password is stored in the keychain. Set it to `false` to forget it.
    pub proxy_password_stored: bool,
    /// Extra trusted CA certificates (PEM, one or several), added to the system's roots for
    /// every request.
    pub ca_pem: Option<String>,
    /// Request timeout in seconds (1–600); `null` keeps the default (30 s).
    pub timeout_secs: Option<u32>,
}

impl NetworkSettings {
    /// Checks the settings and splits off a password given in the proxy URL.
    pub(super) fn validated(mut self) -> Result<(NetworkSettings, Option<Password>)> {
        let mut password = None;
        self.proxy_url = self
            .proxy_url
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty());
        if let Some(text) = &self.proxy_url {
            let mut url = network::parse_proxy_url(text)?;
            if let Some(p) = url.password().filter(|p| !p.is_empty()) {
                password = Some(Password::new(p));
                let _ = url.set_password(None);
            }
            self.proxy_url = Some(url.to_string().trim_end_matches('/').to_owned());
        }
        if self.proxy == ProxyMode::Explicit && self.proxy_url.is_none() {
            return Err(CoreError::InvalidInput(
                "an explicit proxy needs its URL (http://host:port, https://…, socks5://…)".into(),
            ));
        }
        self.no_proxy = self.no_proxy.trim().to_owned();
        if self.no_proxy.len() > 4096 || self.no_proxy.chars().any(char::is_control) {
            return Err(CoreError::InvalidInput(
                "the no-proxy list is longer than 4096 characters or holds control characters"
                    .into(),
            ));
        }
        self.ca_pem = self
            .ca_pem
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty());
        if let Some(pem) = &self.ca_pem {
            network::parse_pem_bundle(pem)?;
        }
        if let Some(t) = self.timeout_secs
            && !TIMEOUT_RANGE.contains(&t)
        {
            return Err(CoreError::InvalidInput(format!(
                "the request timeout must be between {} and {} seconds, not {t}",
                TIMEOUT_RANGE.start(),
                TIMEOUT_RANGE.end()
            )));
        }
        Ok((self, password))
    }
}

/// Checks a client's CA certificates (PEM), blank meaning none.
pub(super) fn client_ca(pem: Option<&str>) -> Result<Option<String>> {
    let Some(pem) = pem.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    network::parse_pem_bundle(pem)
        .map_err(|e| CoreError::InvalidInput(format!("the client's CA certificates: {e}")))?;
    Ok(Some(pem.to_owned()))
}

/// Built clients by configuration (the settings as stored, plus the client's CA).
#[derive(Default)]
pub(super) struct HttpCache(std::sync::Mutex<Vec<(String, HttpClient)>>);

impl HttpCache {
    fn get(&self, key: &str) -> Option<HttpClient> {
        let entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, c)| c.clone())
    }

    fn put(&self, key: String, client: HttpClient) {
        let mut entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= CACHED_CLIENTS {
            entries.remove(0);
        }
        entries.push((key, client));
    }
}

impl Desk {
    /// The HTTP client for requests that belong to no client (a new registration, a pasted
    /// token's issuer): the global network settings.
    pub(super) async fn http(&self) -> Result<HttpClient> {
        self.http_with_ca(None).await
    }

    /// The HTTP client for `client`'s requests: the global settings plus its CA certificates.
    /// With a TLS client certificate (RFC 8705) when the client has one.
    pub(super) async fn http_for(&self, client: &Client) -> Result<HttpClient> {
        self.http_with_identity(client.ca_pem.as_deref(), client)
            .await
    }

    /// For an issuer's metadata and keys outside a client's own requests (verifying tokens):
    /// the CA certificates of the clients registered for that issuer.
    pub(super) async fn http_for_issuer(&self, issuer: &str) -> Result<HttpClient> {
        let clients = store::clients::list(&self.db).await?;
        let same = |c: &&Client| {
            c.issuer.as_deref() == Some(issuer)
                || c.metadata.as_ref().is_some_and(|m| m.issuer == issuer)
        };
        let pems: Vec<&str> = clients
            .iter()
            .filter(same)
            .filter_map(|c| c.ca_pem.as_deref())
            .collect();
        let joined = pems.join("\n");
        self.http_with_ca(Some(joined.as_str()).filter(|p| !p.is_empty()))
            .await
    }

    /// The client for the current settings and `ca_pem`, built when that configuration is new.
    pub(super) async fn http_with_ca(&self, ca_pem: Option<&str>) -> Result<HttpClient> {
        self.http_with_identity(ca_pem, &Client::bare(None)).await
    }

    /// As `http_with_ca`, presenting `owner`'s TLS client certificate when it has one; the
    /// keychain is read only when that configuration is not built yet.
    async fn http_with_identity(&self, ca_pem: Option<&str>, owner: &Client) -> Result<HttpClient> {
        let net = self.settings().await?.network;
        let identity = owner
            .tls_certificate
            .as_ref()
            .map(|c| format!("{}/{}", owner.id, c.thumbprint))
            .unwrap_or_default();
        let key = format!(
            "{}\u{0}{}\u{0}{identity}",
            serde_json::to_string(&net).unwrap_or_default(),
            ca_pem.unwrap_or("")
        );
        if let Some(client) = self.http.get(&key) {
            return Ok(client);
        }
        let mut config = self.http_config(&net, ca_pem).await?;
        config.client_identity = self.tls_identity(owner).await?;
        let client = HttpClient::new(config);
        self.http.put(key, client.clone());
        Ok(client)
    }

    async fn http_config(&self, net: &NetworkSettings, ca_pem: Option<&str>) -> Result<HttpConfig> {
        let mut config = self.config.http.clone();
        if let Some(t) = net.timeout_secs {
            config.timeout = Duration::from_secs(u64::from(t));
        }
        let mut extra_roots: Vec<TrustedCert> = Vec::new();
        if let Some(pem) = &net.ca_pem {
            extra_roots.extend(network::parse_pem_bundle(pem)?);
        }
        if let Some(pem) = ca_pem {
            extra_roots.extend(network::parse_pem_bundle(pem)?);
        }
        let proxy = match (net.proxy, &net.proxy_url) {
            (ProxyMode::System, _) => ProxyConfig::System,
            (ProxyMode::None, _) => ProxyConfig::Direct,
            (ProxyMode::Explicit, None) => {
                return Err(CoreError::InvalidInput(
                    "the explicit proxy has no URL; set it in Settings → Network".into(),
                ));
            }
            (ProxyMode::Explicit, Some(url)) => {
                let password = if net.proxy_password_stored {
                    let stored = self.secret_get(PROXY_PASSWORD_KEY).await?.ok_or_else(|| {
                        CoreError::SecretMissing {
                            key: PROXY_PASSWORD_KEY.into(),
                            what: "proxy password",
                        }
                    })?;
                    Some(Password::new(stored.expose()))
                } else {
                    None
                };
                ProxyConfig::Explicit {
                    url: network::parse_proxy_url(url)?,
                    no_proxy: net.no_proxy.clone(),
                    password,
                }
            }
        };
        config.network = NetworkConfig { proxy, extra_roots };
        Ok(config)
    }

    /// Saves the settings row with the network part validated; a password given in the proxy
    /// URL goes to the keychain first (the one write path), and is forgotten when the proxy is
    /// no longer explicit or `proxy_password_stored` is turned off.
    pub(super) async fn save_settings_row(
        &self,
        mut settings: super::Settings,
    ) -> Result<super::Settings> {
        let before = self.settings().await?.network;
        let (mut net, password) = settings.network.clone().validated()?;
        let mut changes = Vec::new();
        match password {
            Some(p) => {
                changes.push(SecretChange::Replace(
                    PROXY_PASSWORD_KEY.into(),
                    KeychainValue::new(p.expose()),
                ));
                net.proxy_password_stored = true;
            }
            None => {
                let keep = net.proxy == ProxyMode::Explicit
                    && net.proxy_password_stored
                    && before.proxy_password_stored
                    && net.proxy_url == before.proxy_url;
                if before.proxy_password_stored && !keep {
                    changes.push(SecretChange::Delete(PROXY_PASSWORD_KEY.into()));
                }
                net.proxy_password_stored = keep;
            }
        }
        settings.network = net;
        let json = serde_json::to_string(&settings).map_err(|source| CoreError::Json {
            what: "encoding the settings",
            source,
        })?;
        self.write_together(changes, move |db| async move {
            store::settings::set_setting(&db, "app", &json).await
        })
        .await?;
        Ok(settings)
    }
}

impl Desk {
    /// Discovery for the client editor, trusting `ca_pem` (the CA typed in the editor, not
    /// saved yet) besides the global CAs.
    pub async fn discover_with_ca(
        &self,
        issuer: &str,
        insecure: bool,
        ca_pem: Option<&str>,
    ) -> Result<oauthdesk_protocol::discovery::ServerMetadata> {
        oauthdesk_protocol::discovery::check_transport_security(issuer, insecure)?;
        let ca = client_ca(ca_pem)?;
        let http = self.http_with_ca(ca.as_deref()).await?;
        let transcript = oauthdesk_protocol::transcript::Transcript::default();
        Ok(
            oauthdesk_protocol::discovery::discover(&http, &transcript, issuer)
                .await?
                .0,
        )
    }

    /// Sets (or with `None` or blank text, removes) a client's extra CA certificates.
    pub async fn set_client_ca(&self, name: &str, ca_pem: Option<String>) -> Result<Client> {
        let mut client = self.client(name).await?;
        client.ca_pem = client_ca(ca_pem.as_deref())?;
        store::clients::update(&self.db, &client, self.now()).await?;
        let detail = match &client.ca_pem {
            Some(_) => "CA certificates set",
            None => "CA certificates removed",
        };
        self.event(&client.id, None, "client_updated", detail).await;
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_proxy_url_is_split_off() {
        let (net, password) = NetworkSettings {
            proxy: ProxyMode::Explicit,
            proxy_url: Some(" http://alice:s3cret@proxy.example:3128 ".into()),
            ..Default::default()
        }
        .validated()
        .expect("a valid explicit proxy");
        assert_eq!(
            net.proxy_url.as_deref(),
            Some("http://alice@proxy.example:3128"),
            "the stored URL keeps the user, not the password"
        );
        assert_eq!(
            password.map(|p| p.expose().to_owned()).as_deref(),
            Some("s3cret"),
            "the password is handed on for the keychain"
        );
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        let refuse = |n: NetworkSettings| n.validated().unwrap_err().to_string();
        let e = refuse(NetworkSettings {
            proxy: ProxyMode::Explicit,
            ..Default::default()
        });
        assert!(e.contains("needs its URL"), "explicit without URL: {e}");
        let e = refuse(NetworkSettings {
            proxy: ProxyMode::Explicit,
            proxy_url: Some("ftp://p:21".into()),
            ..Default::default()
        });
        assert!(e.contains("not a proxy scheme"), "ftp proxy: {e}");
        let e = refuse(NetworkSettings {
            timeout_secs: Some(0),
            ..Default::default()
        });
        assert!(e.contains("between 1 and 600"), "zero timeout: {e}");
        let e = refuse(NetworkSettings {
            ca_pem: Some("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----".into()),
            ..Default::default()
        });
        assert!(
            e.contains("certificate 1"),
            "bad CA names the certificate: {e}"
        );
    }
}
