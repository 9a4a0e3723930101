//! Finding an authorization server's metadata from its issuer the way a client that starts from
//! a resource must (MCP 2025-11-25 "Authorization Server Metadata Discovery"): RFC 8414 §3.1
//! with the path inserted first, then OpenID Connect Discovery with the path inserted, then
//! appended. Every attempt is kept, so a report can say which location answered and which did
//! not. The metadata's `issuer` must equal the issuer asked for (RFC 8414 §3.3).

use crate::discovery::{DiscoverySource, ServerMetadata, issuer_matches, parse_metadata};
use crate::error::{ProtocolError, Result};
use crate::http::{HttpClient, HttpRequest};
use crate::transcript::Transcript;
use serde::Serialize;
use serde_json::Value;
use url::Url;

/// One location tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Attempt {
    pub url: String,
    /// "RFC 8414" or "OpenID Connect Discovery".
    pub kind: String,
    /// "found", "HTTP 404", or why the answer could not be used.
    pub outcome: String,
}

/// Metadata found, with the raw document (for members `ServerMetadata` does not name, such as
/// `client_id_metadata_document_supported`).
#[derive(Debug, Clone)]
pub struct Discovered {
    pub metadata: ServerMetadata,
    pub raw: Value,
    pub source: DiscoverySource,
    pub url: String,
}

/// The locations, in order, for an issuer.
pub fn locations(issuer: &Url) -> Vec<(DiscoverySource, Url)> {
    let path = issuer.path().trim_end_matches('/');
    let at = |p: String| {
        let mut u = issuer.clone();
        u.set_query(None);
        u.set_fragment(None);
        u.set_path(&p);
        u
    };
    let mut urls = vec![(
        DiscoverySource::Rfc8414,
        at(format!("/.well-known/oauth-authorization-server{path}")),
    )];
    urls.push((
        DiscoverySource::OpenIdConnect,
        at(format!("/.well-known/openid-configuration{path}")),
    ));
    if !path.is_empty() {
        urls.push((
            DiscoverySource::OpenIdConnect,
            at(format!("{path}/.well-known/openid-configuration")),
        ));
    }
    urls
}

fn kind(source: DiscoverySource) -> &'static str {
    match source {
        DiscoverySource::Rfc8414 => "RFC 8414",
        DiscoverySource::OpenIdConnect => "OpenID Connect Discovery",
    }
}

/// Tries each location; returns every attempt and the first usable document. Transport
/// failures (unreachable, TLS, timeout) end the search: the next location is on the same host.
pub async fn discover(
    http: &HttpClient,
    transcript: &Transcript,
    issuer: &str,
) -> (Vec<Attempt>, Result<Discovered>) {
    let mut attempts = Vec::new();
    let issuer_url = match Url::parse(issuer) {
        Ok(u) => u,
        Err(e) => {
            let err = ProtocolError::InvalidUrl {
                url: issuer.to_owned(),
                reason: e.to_string(),
            };
            return (attempts, Err(err));
        }
    };
    for (source, url) in locations(&issuer_url) {
        let mut record = |outcome: String| {
            attempts.push(Attempt {
                url: url.to_string(),
                kind: kind(source).into(),
                outcome,
            })
        };
        let req = HttpRequest::get(url.clone()).header("accept", "application/json".into());
        let resp = match http
            .send("authorization server metadata", req, transcript)
            .await
        {
            Ok(r) => r,
            Err(e) if e.is_unreachable() => {
                record(e.to_string());
                return (attempts, Err(e));
            }
            Err(e) => {
                record(e.to_string());
                continue;
            }
        };
        if !resp.is_success() {
            record(format!("HTTP {}", resp.status));
            continue;
        }
        let metadata = match parse_metadata(&resp) {
            Ok(m) => m,
            Err(e) => {
                record(e.to_string());
                continue;
            }
        };
        if !issuer_matches(&metadata.issuer, issuer) {
            let reason = format!(
                "names issuer {:?}, not {issuer:?}; metadata for another issuer must not be used (RFC 8414 §3.3)",
                metadata.issuer
            );
            record(reason.clone());
            let err = ProtocolError::Discovery {
                issuer: issuer.to_owned(),
                reason: format!("{url} {reason}"),
            };
            return (attempts, Err(err));
        }
        record("found".into());
        let raw = resp.json().unwrap_or(Value::Null);
        let found = Discovered {
            metadata,
            raw,
            source,
            url: url.to_string(),
        };
        return (attempts, Ok(found));
    }
    let reason = attempts
        .iter()
        .map(|a| format!("{}: {}", a.url, a.outcome))
        .collect::<Vec<_>>()
        .join("; ");
    let err = ProtocolError::Discovery {
        issuer: issuer.to_owned(),
        reason: if reason.is_empty() {
            "no location to try".into()
        } else {
            reason
        },
    };
    (attempts, Err(err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_follow_the_mcp_order() {
        let with_path: Vec<String> =
            locations(&Url::parse("https://auth.example.com/tenant1").unwrap())
                .into_iter()
                .map(|(_, u)| u.to_string())
                .collect();
        assert_eq!(
            with_path,
            [
                "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
                "https://auth.example.com/.well-known/openid-configuration/tenant1",
                "https://auth.example.com/tenant1/.well-known/openid-configuration",
            ],
            "an issuer with a path: RFC 8414 inserted, OIDC inserted, OIDC appended (MCP 2025-11-25)"
        );
        let root: Vec<String> = locations(&Url::parse("https://auth.example.com/").unwrap())
            .into_iter()
            .map(|(_, u)| u.to_string())
            .collect();
        assert_eq!(
            root,
            [
                "https://auth.example.com/.well-known/oauth-authorization-server",
                "https://auth.example.com/.well-known/openid-configuration",
            ],
            "an issuer without a path: the two root locations only"
        );
    }
}
