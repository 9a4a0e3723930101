//! OAuth 2.0 Protected Resource Metadata (RFC 9728): where a protected resource's metadata is
//! (§3.1, the well-known URL with the resource's path inserted, or the `resource_metadata` of
//! its `WWW-Authenticate` challenge, §5.1), what it says (§2), and the check that makes it safe
//! to follow: its `resource` must be identical to the resource it was fetched for (§3.3), or an
//! attacker's API could send a client to its own authorization server.
//!
//! Members with the wrong type are dropped and reported, not fatal: only a missing or mismatched
//! `resource` refuses the document. Signed metadata (§2.2) is decoded and compared with the plain
//! members; its signature is not verified (no trust anchor for it is configured), and the report
//! says so.

pub mod as_discovery;

use crate::error::{ProtocolError, Result};
use crate::http::{HttpClient, HttpRequest, HttpResponse};
use crate::transcript::Transcript;
use serde::Serialize;
use serde_json::Value;
use url::Url;

/// The well-known suffix of RFC 9728 §3.
pub const WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";

/// A protected resource's metadata (RFC 9728 §2), the members OAuth Desk reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct ResourceMetadata {
    pub resource: String,
    pub authorization_servers: Vec<String>,
    pub jwks_uri: Option<String>,
    pub scopes_supported: Vec<String>,
    pub bearer_methods_supported: Vec<String>,
    pub resource_signing_alg_values_supported: Vec<String>,
    pub resource_name: Option<String>,
    pub resource_documentation: Option<String>,
    pub tls_client_certificate_bound_access_tokens: bool,
    pub authorization_details_types_supported: Vec<String>,
    pub dpop_signing_alg_values_supported: Vec<String>,
    pub dpop_bound_access_tokens_required: bool,
    /// `signed_metadata` was present (§2.2); see [`SignedMetadata`].
    pub signed: Option<SignedMetadata>,
}

/// What `signed_metadata` (RFC 9728 §2.2) says, decoded but not verified.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct SignedMetadata {
    pub iss: Option<String>,
    pub alg: Option<String>,
    /// Members whose signed value differs from the plain one (the signed value wins, §2.2).
    pub differs: Vec<String>,
    /// Why it could not be read, when it could not.
    pub unreadable: Option<String>,
}

/// Where a metadata document was looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MetadataSource {
    /// The `resource_metadata` parameter of the resource's challenge (§5.1).
    Challenge,
    /// The well-known URL with the resource's path inserted (§3.1).
    WellKnown,
    /// The well-known URL at the origin's root (MCP 2025-11-25's fallback; RFC 9728 §3.1 when
    /// the resource has no path).
    WellKnownRoot,
}

/// The resource identifier a request URL stands for: the URL without its fragment (RFC 9728
/// §1.2 identifiers carry none).
pub fn resource_identifier(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.to_string()
}

/// The resource's origin as an identifier, without a trailing slash: `https://host[:port]`.
pub fn origin_identifier(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.set_query(None);
    u.set_path("");
    u.to_string().trim_end_matches('/').to_owned()
}

/// The well-known URLs for a resource, in the order tried: the path inserted between host and
/// path (§3.1, a terminating slash after the host removed, the query kept), then the root.
pub fn well_known_urls(resource: &Url) -> Vec<(MetadataSource, Url)> {
    let path = resource.path().trim_end_matches('/');
    let mut root = resource.clone();
    root.set_fragment(None);
    root.set_query(None);
    root.set_path(WELL_KNOWN);
    if path.is_empty() && resource.query().is_none() {
        return vec![(MetadataSource::WellKnownRoot, root)];
    }
    let mut inserted = resource.clone();
    inserted.set_fragment(None);
    inserted.set_path(&format!("{WELL_KNOWN}{path}"));
    vec![
        (MetadataSource::WellKnown, inserted),
        (MetadataSource::WellKnownRoot, root),
    ]
}

/// How the metadata's `resource` matched the resource it was fetched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ResourceMatch {
    /// Identical, as RFC 9728 §3.3 requires.
    Identical,
    /// Metadata named by a challenge whose `resource` is the same origin and a parent path of
    /// the request URL (`https://api.example.com/v1` for `…/v1/me`): not identical as RFC 9728
    /// §3.3 says, but what draft-mcguinness-oauth-rfc9728bis proposes and the MCP SDKs accept.
    ParentPath,
}

/// A metadata document as fetched, with what was wrong in it that could be tolerated.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FetchedMetadata {
    pub url: String,
    pub source: MetadataSource,
    pub metadata: ResourceMetadata,
    pub matched: ResourceMatch,
    /// Tolerated deviations, in words with their section.
    pub problems: Vec<String>,
}

/// Whether `named` is the same origin as `requested` and its path a parent of (or equal to)
/// the requested path, segment by segment (`/mcp` is a parent of `/mcp/x`, not of `/mcpx`),
/// with no query or fragment of its own.
pub fn is_parent_resource(named: &str, requested: &str) -> bool {
    let (Ok(n), Ok(r)) = (Url::parse(named), Url::parse(requested)) else {
        return false;
    };
    if n.origin() != r.origin() || n.query().is_some() || n.fragment().is_some() {
        return false;
    }
    let parent = n.path().trim_end_matches('/');
    let child = r.path();
    parent.is_empty()
        || child == parent
        || child
            .strip_prefix(parent)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Fetches the metadata at `url` and checks that its `resource` is one of `expected` (RFC 9728
/// §3.3: identical, as strings), or — for metadata a challenge named — a parent path of the
/// first on the same origin ([`ResourceMatch::ParentPath`]). Anything else is refused with
/// [`ProtocolError::ResourceMismatch`].
pub async fn fetch(
    http: &HttpClient,
    transcript: &Transcript,
    url: &Url,
    source: MetadataSource,
    expected: &[String],
) -> Result<FetchedMetadata> {
    let resp = http
        .send(
            "protected resource metadata",
            HttpRequest::get(url.clone()).header("accept", "application/json".into()),
            transcript,
        )
        .await?;
    if !resp.is_success() {
        return Err(resp.invalid(format!(
            "the protected resource metadata at {url} answered HTTP {} (RFC 9728 §3.2 wants 200 with JSON)",
            resp.status
        )));
    }
    let (metadata, problems) = parse(&resp)?;
    let matched = if expected.iter().any(|e| e == &metadata.resource) {
        Some(ResourceMatch::Identical)
    } else if source == MetadataSource::Challenge
        && expected
            .first()
            .is_some_and(|e| is_parent_resource(&metadata.resource, e))
    {
        Some(ResourceMatch::ParentPath)
    } else {
        None
    };
    let Some(matched) = matched else {
        return Err(ProtocolError::ResourceMismatch {
            url: url.to_string(),
            named: metadata.resource,
            expected: expected.first().cloned().unwrap_or_default(),
        });
    };
    Ok(FetchedMetadata {
        url: url.to_string(),
        source,
        metadata,
        matched,
        problems,
    })
}

/// Reads a metadata document (RFC 9728 §3.2): a JSON object with a string `resource`. Members
/// of the wrong type are dropped, each with a problem in words.
pub fn parse(resp: &HttpResponse) -> Result<(ResourceMetadata, Vec<String>)> {
    let value = resp.json()?;
    let Some(object) = value.as_object() else {
        return Err(
            resp.invalid("the protected resource metadata is not a JSON object (RFC 9728 §3.2)")
        );
    };
    let mut r = Reader {
        object,
        problems: vec![],
    };
    let resource = match object.get("resource") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(_) => {
            return Err(resp.invalid(
                "the protected resource metadata's `resource` is not a non-empty string (RFC 9728 §2: REQUIRED)",
            ));
        }
        None => {
            return Err(resp.invalid(
                "the protected resource metadata has no `resource`, which is REQUIRED (RFC 9728 §2)",
            ));
        }
    };
    let mut m = ResourceMetadata {
        resource,
        authorization_servers: r.strings("authorization_servers"),
        jwks_uri: r.string("jwks_uri"),
        scopes_supported: r.strings("scopes_supported"),
        bearer_methods_supported: r.strings("bearer_methods_supported"),
        resource_signing_alg_values_supported: r.strings("resource_signing_alg_values_supported"),
        resource_name: r.string("resource_name"),
        resource_documentation: r.string("resource_documentation"),
        tls_client_certificate_bound_access_tokens: r
            .boolean("tls_client_certificate_bound_access_tokens"),
        authorization_details_types_supported: r.strings("authorization_details_types_supported"),
        dpop_signing_alg_values_supported: r.strings("dpop_signing_alg_values_supported"),
        dpop_bound_access_tokens_required: r.boolean("dpop_bound_access_tokens_required"),
        signed: None,
    };
    let mut problems = r.problems;
    for method in &m.bearer_methods_supported {
        if !matches!(method.as_str(), "header" | "body" | "query") {
            problems.push(format!(
                "bearer_methods_supported lists {method:?}, which RFC 6750 §2 does not define (header, body, query)"
            ));
        }
    }
    if let Some(signed) = object.get("signed_metadata") {
        m.signed = Some(read_signed(signed, object));
    }
    Ok((m, problems))
}

fn read_signed(signed: &Value, plain: &serde_json::Map<String, Value>) -> SignedMetadata {
    let unreadable = |why: &str| SignedMetadata {
        unreadable: Some(why.to_owned()),
        ..SignedMetadata::default()
    };
    let Some(text) = signed.as_str() else {
        return unreadable("signed_metadata is not a string (RFC 9728 §2.2: a JWT)");
    };
    let decoded = match crate::jose::diagnose(text) {
        Ok(d) => d,
        Err(m) => return unreadable(&format!("signed_metadata is not a JWT: {}", m.reason)),
    };
    let Some(claims) = decoded.claims.as_ref().and_then(Value::as_object) else {
        return unreadable("signed_metadata is encrypted or has no claims object");
    };
    let differs = claims
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "iss" | "iat" | "exp" | "nbf" | "jti"))
        .filter(|(k, v)| plain.get(k.as_str()).is_some_and(|p| p != *v))
        .map(|(k, _)| k.clone())
        .collect();
    SignedMetadata {
        iss: claims.get("iss").and_then(Value::as_str).map(str::to_owned),
        alg: crate::jose::alg(&decoded.header).map(str::to_owned),
        differs,
        unreadable: None,
    }
}

/// Reads members tolerantly, collecting what had the wrong type.
struct Reader<'a> {
    object: &'a serde_json::Map<String, Value>,
    problems: Vec<String>,
}

impl Reader<'_> {
    fn wrong(&mut self, name: &str, wanted: &str) {
        self.problems.push(format!(
            "`{name}` is not {wanted} (RFC 9728 §2); it was ignored"
        ));
    }

    fn string(&mut self, name: &str) -> Option<String> {
        match self.object.get(name)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong(name, "a string");
                None
            }
        }
    }

    fn strings(&mut self, name: &str) -> Vec<String> {
        match self.object.get(name) {
            None => vec![],
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            Some(_) => {
                self.wrong(name, "an array of strings");
                vec![]
            }
        }
    }

    fn boolean(&mut self, name: &str) -> bool {
        match self.object.get(name) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.wrong(name, "a boolean");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests;
