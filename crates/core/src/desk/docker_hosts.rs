//! Registry hosts for the docker credential helper (`docker-credential-oauthdesk`): which
//! client's token docker gets for which registry, and the username it is sent with.
//!
//! Host rule ([`normalize_registry_host`]): docker names a registry as `https://index.docker.io/v1/`
//! (Docker Hub), `registry.example.com` or `registry.example.com:5000`, and other tools add a
//! scheme or a path. The scheme and everything from the first `/` after the host are dropped,
//! the host is lowercased (IDNA names as punycode), `:443` is dropped (docker's default port),
//! any other port is kept (`:5000` is another registry), and Docker Hub's names (`docker.io`,
//! `index.docker.io`, `registry-1.docker.io`) are one host, `index.docker.io`. User info,
//! queries and anything that is not a host name or an IP address are refused.

use super::Desk;
use crate::error::{CoreError, Result};
use crate::store;
use oauthdesk_protocol::text::escape_controls;
use serde::Serialize;

/// The username docker sends with the token unless the map names another. Google's registries
/// (`gcloud auth configure-docker`) require exactly this one for an OAuth access token; most
/// other registries that take a token as the password ignore the username.
pub const DEFAULT_DOCKER_USERNAME: &str = "oauth2accesstoken";

/// Docker Hub's canonical host (docker asks for `https://index.docker.io/v1/`).
const DOCKER_HUB: &str = "index.docker.io";

/// One mapped registry host.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DockerHost {
    /// Normalised `host[:port]`.
    pub host: String,
    /// The client's name.
    pub client: String,
    pub username: String,
}

impl DockerHost {
    /// The server URL docker uses for this registry (the key of `list`): Docker Hub's
    /// `https://index.docker.io/v1/`, else the host as docker stores it.
    pub fn server_url(&self) -> String {
        if self.host == DOCKER_HUB {
            "https://index.docker.io/v1/".to_owned()
        } else {
            self.host.clone()
        }
    }
}

/// The registry host docker's `serverURL` (or a host typed by the user) names; see the module.
pub fn normalize_registry_host(given: &str) -> Result<String> {
    // Never quoted whole: user info (`https://user:pass@host`) is a credential, and a cut in
    // the middle of a character must not empty the message.
    let shown = || {
        let visible = match given.rfind('@') {
            Some(i) => format!("[redacted]@{}", &given[i + 1..]),
            None => given.to_owned(),
        };
        escape_controls(&visible.chars().take(200).collect::<String>(), false)
    };
    let refuse =
        |why: &str| CoreError::InvalidInput(format!("{:?} is not a registry host: {why}", shown()));
    if given.len() > 1024 {
        return Err(refuse("too long"));
    }
    let text = given.trim();
    let rest = match text.find("://") {
        Some(i) => {
            let scheme = &text[..i];
            if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
                return Err(refuse("only http(s) URLs or host[:port]"));
            }
            &text[i + 3..]
        }
        None => text,
    };
    let authority = rest.split('/').next().unwrap_or("");
    if authority.is_empty() {
        return Err(refuse("no host"));
    }
    if authority.contains(['@', '?', '#', '\\']) || authority.chars().any(char::is_whitespace) {
        return Err(refuse("user info, queries and spaces are not allowed"));
    }
    let url =
        url::Url::parse(&format!("https://{authority}/")).map_err(|e| refuse(&e.to_string()))?;
    let host = match url.host() {
        Some(url::Host::Domain(d)) => d.trim_end_matches('.').to_owned(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
        None => return Err(refuse("no host")),
    };
    if host.is_empty() {
        return Err(refuse("no host"));
    }
    let host = match host.as_str() {
        "docker.io" | "registry-1.docker.io" => DOCKER_HUB.to_owned(),
        _ => host,
    };
    // The url crate drops :443 (https' default port) itself.
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// A username for a map: printable, no `:` (it is sent in Basic auth), at most 256 characters.
fn check_username(username: &str) -> Result<()> {
    if username.is_empty()
        || username.len() > 256
        || username.contains(':')
        || username
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(CoreError::InvalidInput(format!(
            "{:?} is not a usable docker username (1–256 characters, no spaces, no ':')",
            escape_controls(username, false)
        )));
    }
    Ok(())
}

impl Desk {
    /// Maps a registry host to a client: `docker-credential-oauthdesk get` hands the client's
    /// token to docker for it, with `username` (default [`DEFAULT_DOCKER_USERNAME`]).
    pub async fn docker_map(
        &self,
        host: &str,
        client: &str,
        username: Option<&str>,
    ) -> Result<DockerHost> {
        let host = normalize_registry_host(host)?;
        let username = username.unwrap_or(DEFAULT_DOCKER_USERNAME);
        check_username(username)?;
        let c = self.client(client).await?;
        store::docker_hosts::upsert(&self.db, &host, &c.id, username, self.now()).await?;
        Ok(DockerHost {
            host,
            client: c.name,
            username: username.to_owned(),
        })
    }

    /// Removes a host's mapping; whether there was one.
    pub async fn docker_unmap(&self, host: &str) -> Result<bool> {
        let host = normalize_registry_host(host)?;
        store::docker_hosts::delete(&self.db, &host).await
    }

    /// Every mapped host.
    pub async fn docker_maps(&self) -> Result<Vec<DockerHost>> {
        store::docker_hosts::list(&self.db).await
    }

    /// The mapping for the server URL docker sent, if its host is mapped.
    pub async fn docker_host_for(&self, server_url: &str) -> Result<Option<DockerHost>> {
        let host = normalize_registry_host(server_url)?;
        store::docker_hosts::by_host(&self.db, &host).await
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_registry_host as norm;

    #[test]
    fn docker_server_urls_name_one_host() {
        for (given, host) in [
            ("https://index.docker.io/v1/", "index.docker.io"),
            ("docker.io", "index.docker.io"),
            ("registry-1.docker.io", "index.docker.io"),
            ("registry.example.com", "registry.example.com"),
            ("Registry.Example.COM", "registry.example.com"),
            ("https://registry.example.com/v2/", "registry.example.com"),
            ("registry.example.com:5000", "registry.example.com:5000"),
            (
                "http://registry.example.com:5000/x",
                "registry.example.com:5000",
            ),
            ("registry.example.com:443", "registry.example.com"),
            ("127.0.0.1:5000", "127.0.0.1:5000"),
            ("[::1]:5000", "[::1]:5000"),
            ("registry.example.com.\n", "registry.example.com"),
        ] {
            assert_eq!(
                norm(given).ok().as_deref(),
                Some(host),
                "{given:?} names the registry {host}"
            );
        }
    }

    #[test]
    fn what_is_not_a_host_is_refused() {
        for given in [
            "",
            "https://",
            "ftp://registry.example.com",
            "user:pw@registry.example.com",
            "registry.example.com:99999",
            "registry example.com",
            "registry.example.com?x=1",
            "reg\u{1b}istry.example.com",
        ] {
            let e = norm(given);
            assert!(e.is_err(), "{given:?} is refused, got {e:?}");
            if let Err(e) = e {
                assert!(
                    !e.to_string().contains('\u{1b}'),
                    "the refusal shows the input escaped: {e}"
                );
            }
        }
        assert!(norm(&"a".repeat(5000)).is_err(), "a huge input is refused");
        let e = norm("https://user:s3cret-pw@registry.example.com/").expect_err("user info");
        assert!(
            !e.to_string().contains("s3cret-pw") && e.to_string().contains("registry.example.com"),
            "the refusal names the host but never quotes the password in the user info: {e}"
        );
        let e = norm(&format!("a{} x", "é".repeat(150))).expect_err("a space is not a host");
        assert!(
            e.to_string().contains('é'),
            "a long non-ASCII input is cut by characters, not emptied: {e}"
        );
    }
}
