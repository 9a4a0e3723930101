//! A client's TLS identity (RFC 8705): the certificate chain is public and lives in the
//! client's row (`tls_cert_pem`, migration 0016); the private key is the keychain item
//! `tls/<client id>`, written with the row through the one write path. A client with a
//! certificate presents it on every request of its own (`Desk::http_for`), and when it
//! authenticates with it (`tls_client_auth`, `self_signed_tls_client_auth`) or the server binds
//! tokens to certificates it uses the server's `mtls_endpoint_aliases` (§5).

use super::Desk;
use super::keychain_write::SecretChange;
use crate::error::{CoreError, Result};
use crate::model::Client;
use crate::store;
use oauthdesk_protocol::mtls::{self, CertificateInfo, TlsIdentity};
use oauthdesk_protocol::{KeychainValue, Password, TlsClientKey};
use serde::Deserialize;

/// What the user gives to import a client certificate.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CertificateImport {
    /// PEM text: the certificate (chain), and the key — in `key`, or in `certificate` beside it.
    Pem {
        certificate: String,
        #[ts(type = "string | null")]
        key: Option<TlsClientKey>,
    },
    /// A PKCS#12 (`.p12`/`.pfx`) file on this machine, and its password.
    Pkcs12File {
        path: String,
        #[ts(type = "string")]
        password: Password,
    },
}

/// The keychain item of a client's TLS key.
pub(super) fn tls_key(client_id: &str) -> String {
    format!("tls/{client_id}")
}

/// RFC 8705 §5: whether `client`'s requests go to the mTLS aliases — it has a certificate, and
/// it authenticates with it or the server binds tokens to it.
pub(super) fn uses_aliases(client: &Client) -> bool {
    client.tls_cert_pem.is_some()
        && (client.auth_method.is_mtls()
            || client
                .metadata
                .as_ref()
                .is_some_and(|m| m.tls_client_certificate_bound_access_tokens))
}

/// The endpoint `name` (as `endpoint()` names them) for `client`: the alias when it applies.
pub(super) fn endpoint_for<'a>(client: &'a Client, name: &str, configured: &'a str) -> &'a str {
    let Some(meta) = client.metadata.as_ref().filter(|_| uses_aliases(client)) else {
        return configured;
    };
    let member = match name {
        "token" => "token_endpoint",
        "revocation" => "revocation_endpoint",
        "introspection" => "introspection_endpoint",
        "userinfo" => "userinfo_endpoint",
        "device-authorization" => "device_authorization_endpoint",
        "par" => "pushed_authorization_request_endpoint",
        "backchannel-authentication" => "backchannel_authentication_endpoint",
        _ => return configured,
    };
    mtls::aliased(meta, member, configured)
}

impl Desk {
    /// Imports a client certificate and key: the key into the keychain, the chain into the
    /// client's row, as one (a failed row write removes the key again).
    pub async fn import_client_certificate(
        &self,
        name: &str,
        import: CertificateImport,
    ) -> Result<Client> {
        let mut client = self.client(name).await?;
        let identity = match import {
            CertificateImport::Pem { certificate, key } => {
                TlsIdentity::from_pem(&certificate, key.as_ref().map(TlsClientKey::expose))?
            }
            CertificateImport::Pkcs12File { path, password } => {
                let data = read_bounded(&path)?;
                TlsIdentity::from_pkcs12(&data, password.expose())?
            }
        };
        let info = identity.info().clone();
        let chain = identity.chain_pem().to_owned();
        let (id, now) = (client.id.clone(), self.now());
        let row_chain = chain.clone();
        self.write_together(
            vec![SecretChange::Replace(
                tls_key(&client.id),
                KeychainValue::new(identity.key().expose()),
            )],
            move |db| async move {
                store::clients::set_tls_cert(&db, &id, Some(&row_chain), now).await
            },
        )
        .await?;
        self.event(
            &client.id,
            None,
            "client_updated",
            &format!(
                "TLS client certificate imported: {} (x5t#S256 {})",
                info.subject, info.thumbprint
            ),
        )
        .await;
        client.tls_cert_pem = Some(chain);
        client.tls_certificate = Some(info);
        Ok(client)
    }

    /// The client's certificate, in words (`None`: it has none).
    pub async fn client_certificate(&self, name: &str) -> Result<Option<CertificateInfo>> {
        Ok(self.client(name).await?.tls_certificate)
    }

    /// Removes the client's certificate: the key from the keychain and the chain from its row.
    pub async fn remove_client_certificate(&self, name: &str) -> Result<Client> {
        let mut client = self.client(name).await?;
        if client.tls_cert_pem.is_none() {
            return Err(CoreError::InvalidInput(format!(
                "client {name:?} has no TLS client certificate"
            )));
        }
        let (id, now) = (client.id.clone(), self.now());
        self.write_together(
            vec![SecretChange::Delete(tls_key(&client.id))],
            move |db| async move { store::clients::set_tls_cert(&db, &id, None, now).await },
        )
        .await?;
        self.event(
            &client.id,
            None,
            "client_updated",
            "TLS client certificate removed",
        )
        .await;
        client.tls_cert_pem = None;
        client.tls_certificate = None;
        Ok(client)
    }

    /// The certificate a handed-off token is bound to (RFC 8705 §3), as its `x5t#S256`: the
    /// JWT's `cnf`, else — for an opaque token — the client's certificate when the client used
    /// it with a server that binds tokens. `None`: not certificate-bound as far as we know.
    pub async fn bound_certificate(
        &self,
        name: &str,
        handed: &super::HandedToken,
    ) -> Result<Option<String>> {
        if let Some(bound) = oauthdesk_protocol::jose::decode(handed.token.expose())
            .and_then(|d| d.claims)
            .and_then(|c| c.pointer("/cnf/x5t#S256").cloned())
            .and_then(|v| v.as_str().map(str::to_owned))
        {
            return Ok(Some(oauthdesk_protocol::text::escape_controls(
                &bound, false,
            )));
        }
        let client = self.client(name).await?;
        let binds = client
            .metadata
            .as_ref()
            .is_some_and(|m| m.tls_client_certificate_bound_access_tokens);
        Ok(client
            .tls_certificate
            .filter(|_| binds)
            .map(|c| c.thumbprint))
    }

    /// The client's certificate and key, for handing to another program (curl) with a bound
    /// token. `None`: the client has no certificate.
    pub async fn client_tls_identity(&self, name: &str) -> Result<Option<TlsIdentity>> {
        let client = self.client(name).await?;
        if client.tls_cert_pem.is_none() {
            return Ok(None);
        }
        self.tls_identity(&client).await
    }

    /// The client's TLS identity with its key read from the keychain (`None`: no certificate).
    pub(super) async fn tls_identity(&self, client: &Client) -> Result<Option<TlsIdentity>> {
        require_certificate(client)?;
        let Some(chain) = &client.tls_cert_pem else {
            return Ok(None);
        };
        let key = tls_key(&client.id);
        let stored = self
            .secret_get(&key)
            .await?
            .ok_or(CoreError::SecretMissing {
                key,
                what: TlsClientKey::KIND,
            })?;
        Ok(Some(TlsIdentity::from_stored(
            chain,
            &TlsClientKey::new(stored.expose()),
        )?))
    }
}

/// The certificate-binding check of a stored grant's access token (JWT claims or introspection).
pub(super) fn binding_check(
    client: &Client,
    at: &super::inspect::TokenFindings,
) -> Option<oauthdesk_protocol::verify::Check> {
    let cnf = at
        .claims
        .as_ref()
        .and_then(|c| c.get("cnf"))
        .filter(|c| c.get("x5t#S256").is_some())
        .or_else(|| at.introspection.as_ref().and_then(|i| i.get("cnf")));
    mtls::binding_check(
        cnf,
        client
            .tls_certificate
            .as_ref()
            .map(|c| c.thumbprint.as_str()),
        client
            .metadata
            .as_ref()
            .is_some_and(|m| m.tls_client_certificate_bound_access_tokens),
        at.claims.is_some() || at.introspection.is_some(),
    )
}

/// A refused API call (`invalid_token`) whose cause may be the certificate binding (RFC 8705
/// §3): the token is bound and the request presented no certificate, or another one.
pub(super) fn explain_refusal(
    client: &Client,
    claims: Option<&serde_json::Value>,
    challenge: &mut super::CallChallenge,
) {
    if challenge.error.as_deref() != Some("invalid_token") {
        return;
    }
    let ours = client
        .tls_certificate
        .as_ref()
        .map(|c| c.thumbprint.as_str());
    let bound = claims
        .and_then(|c| c.pointer("/cnf/x5t#S256"))
        .and_then(serde_json::Value::as_str)
        .map(|t| oauthdesk_protocol::text::escape_controls(t, false));
    let binds = client
        .metadata
        .as_ref()
        .is_some_and(|m| m.tls_client_certificate_bound_access_tokens);
    let detail = match (bound, ours) {
        (Some(b), None) => format!(
            "the token is bound to a client certificate (cnf.x5t#S256 {b}, RFC 8705 §3) and this request presented none: import that certificate for {:?} (`oauthdesk client cert import`)",
            client.name
        ),
        (Some(b), Some(o)) if b != o => format!(
            "the token is bound to ANOTHER certificate (cnf.x5t#S256 {b}) than the one presented ({o}), RFC 8705 §3"
        ),
        (None, None) if binds => format!(
            "this server binds access tokens to client certificates (tls_client_certificate_bound_access_tokens, RFC 8705 §3) and this request presented none: a token issued to a certificate is refused without it; import the certificate for {:?} (`oauthdesk client cert import`)",
            client.name
        ),
        _ => return,
    };
    challenge.details.push(detail);
}

/// Dynamic registration (RFC 7591) of an mTLS client needs what identifies its certificate
/// (`tls_client_auth_subject_dn` and friends, or `jwks` with the certificate, RFC 8705 §2.1.2,
/// §2.2.2), which a registration here cannot carry yet: said before anything is sent.
pub(super) fn refuse_registration(
    method: oauthdesk_protocol::client_auth::AuthMethod,
) -> Result<()> {
    if method.is_mtls() {
        return Err(CoreError::InvalidInput(format!(
            "registering a {} client needs its certificate's subject (tls_client_auth_subject_dn) or the certificate itself in jwks (RFC 8705 §2.1.2, §2.2.2), which `client register` does not send yet: register it with the server's own tools, then `oauthdesk client add NAME --auth-method {}` and `oauthdesk client cert import NAME …`",
            method.as_str(),
            method.as_str()
        )));
    }
    Ok(())
}

/// The mTLS auth methods authenticate with the certificate: without one, say so before sending.
pub(super) fn require_certificate(client: &Client) -> Result<()> {
    if client.auth_method.is_mtls() && client.tls_cert_pem.is_none() {
        return Err(CoreError::InvalidInput(format!(
            "client {:?} authenticates with {} (RFC 8705 §2) but has no client certificate; import one with `oauthdesk client cert import {}` or in the client editor",
            client.name,
            client.auth_method.as_str(),
            client.name
        )));
    }
    Ok(())
}

/// Reads a PKCS#12 file, refusing anything larger than an identity can be.
fn read_bounded(path: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| {
        CoreError::InvalidInput(format!("the PKCS#12 file {path:?} cannot be read: {e}"))
    })?;
    let mut data = Vec::new();
    file.take(mtls::MAX_IDENTITY_BYTES as u64 + 1)
        .read_to_end(&mut data)
        .map_err(|e| {
            CoreError::InvalidInput(format!("the PKCS#12 file {path:?} cannot be read: {e}"))
        })?;
    if data.len() > mtls::MAX_IDENTITY_BYTES {
        return Err(CoreError::InvalidInput(format!(
            "the PKCS#12 file {path:?} is larger than {} KiB",
            mtls::MAX_IDENTITY_BYTES / 1024
        )));
    }
    Ok(data)
}

#[cfg(test)]
mod tests;
