//! Authorization server metadata: OpenID Connect Discovery 1.0 §4 first, then RFC 8414 §3.
//! For an issuer with a path, OIDC appends `/.well-known/openid-configuration` to the issuer
//! while RFC 8414 §3.1 inserts `/.well-known/oauth-authorization-server` between host and path;
//! both are tried. The returned `issuer` must equal the one asked for (OIDC §4.3, RFC 8414 §3.3).

use crate::error::{ProtocolError, Result};
use crate::http::{HttpClient, HttpRequest, HttpResponse};
use crate::transcript::Transcript;
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct ServerMetadata {
    pub issuer: String,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub registration_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
    pub introspection_endpoint: Option<String>,
    pub device_authorization_endpoint: Option<String>,
    pub pushed_authorization_request_endpoint: Option<String>,
    pub end_session_endpoint: Option<String>,
    #[serde(default)]
    pub scopes_supported: Vec<String>,
    #[serde(default)]
    pub response_types_supported: Vec<String>,
    #[serde(default)]
    pub grant_types_supported: Vec<String>,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    #[serde(default)]
    pub code_challenge_methods_supported: Vec<String>,
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    #[serde(default)]
    pub require_pushed_authorization_requests: bool,
    // High-assurance members (RFC 8705, RFC 9101, JARM, RFC 9396, RFC 9449, CIBA, RFC 7523).
    // Read leniently: a member of the wrong type is dropped instead of failing discovery, since
    // only the features that use it need it (the profile checks then see it as absent).
    /// RFC 8705 §5: the endpoints to use with a TLS client certificate.
    #[serde(default, deserialize_with = "lenient")]
    #[ts(type = "Record<string, string>")]
    pub mtls_endpoint_aliases: std::collections::BTreeMap<String, String>,
    /// RFC 8705 §3.3.
    #[serde(default, deserialize_with = "lenient")]
    pub tls_client_certificate_bound_access_tokens: bool,
    /// RFC 9101 §10.5.
    #[serde(default, deserialize_with = "lenient")]
    pub require_signed_request_object: bool,
    /// OIDC Discovery §3 (default false when absent).
    #[serde(default, deserialize_with = "lenient")]
    pub request_parameter_supported: Option<bool>,
    #[serde(default, deserialize_with = "lenient")]
    pub request_object_signing_alg_values_supported: Vec<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub response_modes_supported: Vec<String>,
    /// JARM §6.
    #[serde(default, deserialize_with = "lenient")]
    pub authorization_signing_alg_values_supported: Vec<String>,
    /// RFC 9396 §10.
    #[serde(default, deserialize_with = "lenient")]
    pub authorization_details_types_supported: Vec<String>,
    /// RFC 9449 §5.1.
    #[serde(default, deserialize_with = "lenient")]
    pub dpop_signing_alg_values_supported: Vec<String>,
    /// OpenID CIBA Core §4.
    #[serde(default, deserialize_with = "lenient")]
    pub backchannel_authentication_endpoint: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub backchannel_token_delivery_modes_supported: Vec<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub backchannel_user_code_parameter_supported: bool,
    #[serde(default, deserialize_with = "lenient")]
    pub token_endpoint_auth_signing_alg_values_supported: Vec<String>,
}

/// Reads a member as `T`, or as `T::default()` when it has another type (see above).
fn lenient<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned + Default,
{
    let value = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(value).unwrap_or_default())
}

/// Where the metadata came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiscoverySource {
    OpenIdConnect,
    Rfc8414,
}

/// The two well-known URLs for an issuer, in the order tried.
pub fn well_known_urls(issuer: &Url) -> Vec<(DiscoverySource, Url)> {
    let trimmed_path = issuer.path().trim_end_matches('/');
    let mut oidc = issuer.clone();
    oidc.set_path(&format!("{trimmed_path}/.well-known/openid-configuration"));
    let mut rfc = issuer.clone();
    rfc.set_path(&format!(
        "/.well-known/oauth-authorization-server{trimmed_path}"
    ));
    let mut urls = vec![(DiscoverySource::OpenIdConnect, oidc)];
    urls.push((DiscoverySource::Rfc8414, rfc));
    if !trimmed_path.is_empty() {
        // Some servers place OIDC metadata RFC 8414-style too (OIDC for path issuers is ambiguous in practice).
        let mut inserted = issuer.clone();
        inserted.set_path(&format!("/.well-known/openid-configuration{trimmed_path}"));
        urls.push((DiscoverySource::OpenIdConnect, inserted));
    }
    for (_, u) in &mut urls {
        u.set_query(None);
        u.set_fragment(None);
    }
    urls
}

/// Fetches the issuer's metadata, trying each well-known location until one answers 200 with JSON.
pub async fn discover(
    http: &HttpClient,
    transcript: &Transcript,
    issuer: &str,
) -> Result<(ServerMetadata, DiscoverySource)> {
    let issuer_url = Url::parse(issuer).map_err(|e| ProtocolError::InvalidUrl {
        url: issuer.to_owned(),
        reason: e.to_string(),
    })?;
    let mut failures = Vec::new();
    for (source, url) in well_known_urls(&issuer_url) {
        let resp = match http
            .send("discovery", HttpRequest::get(url.clone()), transcript)
            .await
        {
            Ok(r) => r,
            Err(e) if e.is_unreachable() => return Err(e),
            Err(e) => {
                failures.push(format!("{url}: {e}"));
                continue;
            }
        };
        if !resp.is_success() {
            failures.push(format!("{url}: HTTP {}", resp.status));
            continue;
        }
        let meta = match parse_metadata(&resp) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{url}: {e}"));
                continue;
            }
        };
        if !issuer_matches(&meta.issuer, issuer) {
            return Err(ProtocolError::Discovery {
                issuer: issuer.to_owned(),
                reason: format!(
                    "{url} names issuer {:?}, not {issuer:?}; metadata for another issuer must not be used (OIDC Discovery §4.3, RFC 8414 §3.3)",
                    meta.issuer
                ),
            });
        }
        return Ok((meta, source));
    }
    Err(ProtocolError::Discovery {
        issuer: issuer.to_owned(),
        reason: failures.join("; "),
    })
}

/// Reads a metadata document (OIDC Discovery §4.2, RFC 8414 §3.2) from a response body.
/// Anything but a JSON object is refused in words: serde would read an array positionally as
/// if it were the struct.
pub fn parse_metadata(resp: &HttpResponse) -> Result<ServerMetadata> {
    let value = resp.json()?;
    if !value.is_object() {
        let kind = json_kind(&value);
        return Err(resp.invalid(format!(
            "the metadata document is {kind}, not a JSON object (RFC 8414 §3.2, OIDC Discovery §4.2)"
        )));
    }
    serde_json::from_value(value.clone()).map_err(|e| {
        resp.invalid(match mistyped_member(&value) {
            Some(name) if value.get(name.as_str()).is_none() => {
                format!("the metadata has no `{name}`, which is REQUIRED (RFC 8414 §2)")
            }
            Some(name) => format!(
                "the metadata member `{name}` has the wrong type: it is {}, which is not what RFC 8414 §2 (OIDC Discovery §3) defines for it",
                json_kind(&value[name.as_str()])
            ),
            None => format!("the metadata document cannot be read: {e}"),
        })
    })
}

/// A JSON value's type in words.
fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Object(_) => "an object",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Null => "null",
    }
}

/// The first member that cannot be read on its own: serde names the expected type, not the
/// member, so each member is tried alone beside a plain `issuer`.
fn mistyped_member(value: &serde_json::Value) -> Option<String> {
    let object = value.as_object()?;
    if !object
        .get("issuer")
        .is_some_and(serde_json::Value::is_string)
    {
        return Some("issuer".into());
    }
    object.iter().find_map(|(name, member)| {
        let alone = serde_json::json!({ "issuer": "x", name.as_str(): member });
        serde_json::from_value::<ServerMetadata>(alone)
            .is_err()
            .then(|| name.clone())
    })
}

/// The metadata's `issuer` is the one asked for (a trailing slash aside). One known exception
/// is tolerated: Microsoft Entra ID's multi-tenant issuers (`/common`, `/organizations`,
/// `/consumers`) publish `issuer` with a literal `{tenantid}` placeholder for the tenant.
pub fn issuer_matches(published: &str, asked: &str) -> bool {
    let (p, a) = (published.trim_end_matches('/'), asked.trim_end_matches('/'));
    if p == a {
        return true;
    }
    if let (Some((p_head, p_tail)), Ok(url)) = (p.split_once("{tenantid}"), Url::parse(a)) {
        let mut segments = url.path().trim_start_matches('/').splitn(2, '/');
        let tenant = segments.next().unwrap_or("");
        let rest = segments.next().map(|r| format!("/{r}")).unwrap_or_default();
        let base = format!("{}://{}/", url.scheme(), url.host_str().unwrap_or(""));
        return matches!(tenant, "common" | "organizations" | "consumers")
            && p_head == base
            && p_tail.trim_end_matches('/') == rest.trim_end_matches('/');
    }
    false
}

/// Fetches a JWK Set (RFC 7517 §5) from `jwks_uri`: the issuer's public signing keys.
pub async fn fetch_jwks(
    http: &HttpClient,
    transcript: &Transcript,
    jwks_uri: &str,
) -> Result<serde_json::Value> {
    let url = Url::parse(jwks_uri).map_err(|e| ProtocolError::InvalidUrl {
        url: jwks_uri.to_owned(),
        reason: e.to_string(),
    })?;
    let resp = http.send("jwks", HttpRequest::get(url), transcript).await?;
    if !resp.is_success() {
        return Err(resp.invalid(format!("the JWKS endpoint answered HTTP {}", resp.status)));
    }
    let v = resp.json()?;
    if !v.get("keys").is_some_and(serde_json::Value::is_array) {
        return Err(resp.invalid("the JWKS has no `keys` array (RFC 7517 §5)"));
    }
    Ok(v)
}

/// Whether `url` may be used: https anywhere, plain http only on loopback hosts
/// (RFC 6749 §3.1/§3.2 require TLS; RFC 8252 §8.3 allows loopback) unless `insecure` is set.
pub fn check_transport_security(url: &str, insecure: bool) -> Result<Url> {
    let parsed = Url::parse(url).map_err(|e| ProtocolError::InvalidUrl {
        url: url.to_owned(),
        reason: e.to_string(),
    })?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if insecure || is_loopback_host(&parsed) => Ok(parsed),
        "http" => Err(ProtocolError::InsecureUrl {
            url: url.to_owned(),
        }),
        other => Err(ProtocolError::InvalidUrl {
            url: url.to_owned(),
            reason: format!("scheme {other:?} is not http(s)"),
        }),
    }
}

pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_urls_for_path_issuers() {
        let urls = well_known_urls(&Url::parse("https://login.example.com/tenant/v2.0").unwrap());
        let strs: Vec<_> = urls.iter().map(|(_, u)| u.as_str()).collect();
        assert_eq!(
            strs[0], "https://login.example.com/tenant/v2.0/.well-known/openid-configuration",
            "OIDC appends"
        );
        assert_eq!(
            strs[1], "https://login.example.com/.well-known/oauth-authorization-server/tenant/v2.0",
            "RFC 8414 inserts"
        );
        let root = well_known_urls(&Url::parse("https://as.example/").unwrap());
        assert_eq!(
            root[0].1.as_str(),
            "https://as.example/.well-known/openid-configuration",
            "for an issuer without a path, OIDC metadata is at /.well-known/openid-configuration"
        );
        assert_eq!(
            root[1].1.as_str(),
            "https://as.example/.well-known/oauth-authorization-server",
            "for an issuer without a path, RFC 8414 metadata is at /.well-known/oauth-authorization-server"
        );
        assert_eq!(root.len(), 2, "no third guess without a path");
    }

    #[test]
    fn entra_multi_tenant_issuer_placeholder_is_tolerated_and_nothing_else() {
        // Recorded from https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration
        let published = "https://login.microsoftonline.com/{tenantid}/v2.0";
        assert!(
            issuer_matches(published, "https://login.microsoftonline.com/common/v2.0"),
            "Entra's multi-tenant placeholder matches the common tenant"
        );
        assert!(
            issuer_matches(
                published,
                "https://login.microsoftonline.com/organizations/v2.0/"
            ),
            "Entra's multi-tenant placeholder matches organizations, a trailing slash aside"
        );
        assert!(
            !issuer_matches(
                published,
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"
            ),
            "a named tenant must match exactly"
        );
        assert!(
            !issuer_matches(published, "https://evil.example/common/v2.0"),
            "another host never matches"
        );
        assert!(
            !issuer_matches("https://a.example/x", "https://a.example/y"),
            "issuers with different paths never match"
        );
        assert!(
            issuer_matches("https://a.example/", "https://a.example"),
            "a trailing slash aside"
        );
    }

    #[test]
    fn metadata_must_be_an_object() {
        let resp = |body: &str| HttpResponse {
            url: "https://as.example/.well-known/openid-configuration".into(),
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        };
        let err = parse_metadata(&resp(r#"["https://as.example","a","b"]"#))
            .expect_err("an array of strings is not metadata");
        assert!(
            err.to_string().contains("is an array, not a JSON object"),
            "the refusal says what came instead: {err}"
        );
        let err = parse_metadata(&resp(r#"{"issuer": 5}"#)).expect_err("issuer must be a string");
        assert!(
            err.to_string().contains("`issuer` has the wrong type"),
            "a mistyped issuer is named: {err}"
        );
        let err = parse_metadata(&resp(
            r#"{"issuer":"https://as.example","token_endpoint":{"url":"x"}}"#,
        ))
        .expect_err("an endpoint must be a string");
        assert!(
            err.to_string()
                .contains("`token_endpoint` has the wrong type"),
            "the mistyped member is named: {err}"
        );
        let ok = parse_metadata(&resp(r#"{"issuer":"https://as.example"}"#))
            .expect("an object with an issuer parses");
        assert_eq!(ok.issuer, "https://as.example", "the issuer is read");
    }

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(
            check_transport_security("http://127.0.0.1:8080/token", false).is_ok(),
            "plain http is allowed to the IPv4 loopback address"
        );
        assert!(
            check_transport_security("http://localhost/token", false).is_ok(),
            "plain http is allowed to localhost"
        );
        assert!(
            check_transport_security("http://[::1]:9/token", false).is_ok(),
            "plain http is allowed to the IPv6 loopback address"
        );
        assert!(
            matches!(
                check_transport_security("http://as.example/token", false),
                Err(ProtocolError::InsecureUrl { .. })
            ),
            "remote http refused"
        );
        assert!(
            check_transport_security("http://as.example/token", true).is_ok(),
            "unless marked insecure"
        );
        assert!(
            check_transport_security("ftp://as.example/", true).is_err(),
            "never other schemes"
        );
    }
}
