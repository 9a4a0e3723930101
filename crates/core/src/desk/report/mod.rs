//! The provider report: where an authorization server strays from the specs, collected from what
//! OAuth Desk already keeps — the client's discovered metadata, the deviations recorded on each
//! grant, the recorded (redacted) exchanges and the history — each with the spec section it
//! departs from and what OAuth Desk did about it.

use super::Desk;

mod fapi2;
use crate::error::Result;
use crate::model::{Client, FlowTranscript, GrantView, HistoryEvent};
use crate::store;
pub use fapi2::{ProfileReport, ProfileVerdict, fapi2_verdict};
use oauthdesk_protocol::client_auth::AuthMethod;
use oauthdesk_protocol::transcript::Exchange;
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Breaks a MUST/REQUIRED of a spec.
    Violation,
    /// Allowed, but against a SHOULD or a security recommendation, or worth knowing.
    Advice,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub spec: String,
    pub detail: String,
    /// What OAuth Desk did about it.
    pub action: String,
    /// Where it was seen: `metadata`, `token endpoint`, `callback`, `grants`, …
    pub source: String,
    pub occurrences: u32,
}

impl Finding {
    /// A finding seen once.
    pub fn new(
        code: &str,
        severity: Severity,
        spec: &str,
        detail: String,
        action: &str,
        source: &str,
    ) -> Finding {
        Finding {
            code: code.into(),
            severity,
            spec: spec.into(),
            detail,
            action: action.into(),
            source: source.into(),
            occurrences: 1,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ProviderReport {
    pub client: String,
    pub issuer: Option<String>,
    pub flows_checked: u32,
    pub exchanges_checked: u32,
    pub grants_checked: u32,
    pub findings: Vec<Finding>,
}

impl Desk {
    pub async fn provider_report(&self, client: &str) -> Result<ProviderReport> {
        let c = self.client(client).await?;
        let grants = self.grants(Some(client)).await?;
        let flows = store::history::transcripts(&self.db, &c.id, 1000).await?;
        let events = self.history(Some(client)).await?;
        Ok(analyze(&c, &grants, &flows, &events))
    }
}

#[derive(Default)]
struct Collector {
    findings: BTreeMap<String, Finding>,
}

impl Collector {
    fn add(
        &mut self,
        code: &str,
        severity: Severity,
        spec: &str,
        source: &str,
        detail: String,
        action: &str,
    ) {
        self.findings
            .entry(code.to_owned())
            .and_modify(|f| f.occurrences += 1)
            .or_insert_with(|| Finding::new(code, severity, spec, detail, action, source));
    }
}

/// What OAuth Desk does about each recorded token-response deviation.
fn deviation_action(code: &str) -> &'static str {
    match code {
        "content_type_not_json" => "parsed the body as JSON anyway",
        "form_encoded_response" => {
            "parsed the form-encoded body (GitHub does this without Accept: application/json)"
        }
        "error_with_success_status" => "treated the body as the error it is, despite HTTP 200",
        "token_type_casing" => "treated the value as Bearer (token_type is case-insensitive)",
        "token_type_missing" => "assumed Bearer",
        "expires_in_string" => "parsed the string as a number",
        "expires_in_invalid" => "ignored expires_in: the token's lifetime is unknown",
        "scope_array" => "joined the array with spaces",
        "scope_comma_separated" => "split the scopes on commas",
        "verification_url" => "used verification_url as verification_uri",
        "interval_missing" => "polled every 5 s, the spec's default",
        _ => "tolerated it and recorded it here",
    }
}

fn severity_of_deviation(code: &str) -> Severity {
    match code {
        "token_type_casing" | "interval_missing" => Severity::Advice,
        _ => Severity::Violation,
    }
}

fn is_json_type(ct: Option<&str>) -> bool {
    ct.is_some_and(|c| {
        let c = c
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        c == "application/json" || c.ends_with("+json")
    })
}

/// Whether a recorded callback URL has an `iss` parameter (RFC 9207 §2), in its query or, for
/// the implicit flow, its fragment.
fn carries_iss(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        u.query_pairs().any(|(k, _)| k == "iss")
            || u.fragment()
                .is_some_and(|f| url::form_urlencoded::parse(f.as_bytes()).any(|(k, _)| k == "iss"))
    })
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The report, from stored data only.
pub fn analyze(
    client: &Client,
    grants: &[GrantView],
    flows: &[FlowTranscript],
    events: &[HistoryEvent],
) -> ProviderReport {
    let mut c = Collector::default();
    let exchanges: Vec<&Exchange> = flows.iter().flat_map(|f| f.exchanges.iter()).collect();
    // Only what was seen: a server may send `iss` without announcing it, and the other way round.
    let saw_iss = exchanges
        .iter()
        .any(|e| e.step == "callback received" && carries_iss(&e.request.url));
    if let Some(m) = &client.metadata {
        if m.code_challenge_methods_supported.is_empty() && m.authorization_endpoint.is_some() {
            c.add(
                "pkce_not_advertised",
                Severity::Advice,
                "RFC 8414 §2 / RFC 9700 §2.1.1",
                "metadata",
                "the metadata lists no code_challenge_methods_supported; by RFC 8414 that means the server does not support PKCE".into(),
                "sends PKCE S256 anyway (servers that ignore it are unaffected); turn PKCE off per client if the server refuses it",
            );
        } else if !m.code_challenge_methods_supported.is_empty()
            && !m
                .code_challenge_methods_supported
                .iter()
                .any(|x| x == "S256")
        {
            c.add(
                "pkce_plain_only",
                Severity::Violation,
                "RFC 7636 §4.2 / RFC 9700 §2.1.1",
                "metadata",
                format!(
                    "PKCE methods offered: {} — no S256, so the code verifier travels in the clear",
                    m.code_challenge_methods_supported.join(", ")
                ),
                "sends S256 regardless; a server that rejects it leaves no secure PKCE option",
            );
        }
        if !m.authorization_response_iss_parameter_supported && m.authorization_endpoint.is_some() {
            if saw_iss {
                c.add(
                    "iss_not_announced",
                    Severity::Advice,
                    "RFC 9207 §3",
                    "metadata",
                    "authorization responses carry iss, but the metadata does not announce authorization_response_iss_parameter_supported, so a client cannot insist on it".into(),
                    "verifies iss whenever a response carries one",
                );
            } else {
                c.add(
                    "no_iss_in_authorization_response",
                    Severity::Advice,
                    "RFC 9207 §3 / RFC 9700 §4.4.2",
                    "metadata",
                    "the server does not announce authorization_response_iss_parameter_supported, and no authorization response seen so far carried iss: a mix-up between issuers cannot be detected".into(),
                    "checks state on every callback; verifies iss whenever a response carries one",
                );
            }
        }
        let oidc = m.scopes_supported.iter().any(|s| s == "openid")
            || m.response_types_supported
                .iter()
                .any(|r| r.contains("id_token"))
            || m.userinfo_endpoint.is_some();
        if oidc && m.jwks_uri.is_none() {
            c.add(
                "jwks_uri_missing",
                Severity::Violation,
                "OIDC Discovery §3",
                "metadata",
                "an OpenID provider's metadata must give jwks_uri; without it ID token signatures cannot be checked".into(),
                "reports the signature check as failed for tokens it cannot verify; relies on TLS for ID tokens from the token endpoint (OIDC Core §3.1.3.7 (6))",
            );
        }
        if m.response_types_supported.is_empty() {
            c.add(
                "response_types_missing",
                Severity::Violation,
                "RFC 8414 §2",
                "metadata",
                "response_types_supported is REQUIRED but absent".into(),
                "assumed code",
            );
        }
        let discovered = |label: &str| match label {
            "authorization" => &m.authorization_endpoint,
            "token" => &m.token_endpoint,
            "revocation" => &m.revocation_endpoint,
            "introspection" => &m.introspection_endpoint,
            "userinfo" => &m.userinfo_endpoint,
            _ => &m.device_authorization_endpoint,
        };
        for (label, url) in client.endpoints.all() {
            if let (Some(url), None) = (url, discovered(label)) {
                let answered = exchanges
                    .iter()
                    .filter(|e| {
                        e.request.url.split('?').next() == Some(url.as_str())
                            && e.response.as_ref().is_some_and(|r| r.status < 400)
                    })
                    .count();
                let seen = if answered > 0 {
                    format!("; it answered {answered} request(s) there")
                } else {
                    String::new()
                };
                c.add(
                    "discovery_missing_endpoint",
                    Severity::Advice,
                    "RFC 8414 §2",
                    "metadata",
                    format!(
                        "the metadata omits the {label} endpoint the client uses ({url}){seen}"
                    ),
                    "uses the endpoint configured by hand",
                );
            }
        }
    }
    for g in grants {
        for d in &g.deviations {
            c.add(
                &d.code,
                severity_of_deviation(&d.code),
                &d.spec,
                "token endpoint",
                d.detail.clone(),
                deviation_action(&d.code),
            );
        }
        if g.scopes_granted.is_none() && !g.scopes_requested.is_empty() {
            c.add(
                "scope_omitted",
                Severity::Advice,
                "RFC 6749 §5.1",
                "token endpoint",
                "the token response omitted scope; allowed only when the granted scopes equal the requested ones".into(),
                "shows the granted scopes as \"as requested\" and compares with the access token's claims or introspection where it can",
            );
        }
    }
    for _ in events
        .iter()
        .filter(|e| e.kind == "refreshed" && e.detail.contains("not rotated"))
    {
        let public = client.auth_method == AuthMethod::None;
        c.add(
            "refresh_not_rotated",
            if public { Severity::Violation } else { Severity::Advice },
            "RFC 9700 §4.14.2",
            "token endpoint",
            if public {
                "a refresh returned no new refresh token to a public client: its refresh tokens must be rotated or sender-constrained".into()
            } else {
                "refresh tokens are not rotated (allowed for confidential clients, but rotation limits the damage of a leaked token)".into()
            },
            "keeps using the old refresh token (RFC 6749 §6)",
        );
    }
    for e in &exchanges {
        let step = e.step.as_str();
        if step == "callback received" {
            let has_error = e.request.url.contains("error=");
            let rejected = e.note.as_deref().is_some_and(|n| n.starts_with("rejected"));
            if !rejected && !has_error && !carries_iss(&e.request.url) {
                c.add(
                    "no_iss_in_authorization_response",
                    Severity::Advice,
                    "RFC 9207 §3 / RFC 9700 §4.4.2",
                    "callback",
                    "authorization responses carry no iss: a mix-up between issuers cannot be detected".into(),
                    "checks state on every callback; verifies iss whenever a response carries one",
                );
            }
            continue;
        }
        let Some(r) = &e.response else { continue };
        let ct = header(&r.headers, "content-type");
        let json: Option<serde_json::Value> = serde_json::from_str(&r.body).ok();
        let token_like = step.starts_with("token request")
            || step.starts_with("revocation")
            || step == "introspection"
            || step == "device authorization request";
        if token_like && r.status >= 400 {
            if json.as_ref().and_then(|j| j.get("error")).is_none() {
                c.add(
                    "error_not_json",
                    Severity::Violation,
                    "RFC 6749 §5.2",
                    step,
                    format!(
                        "an HTTP {} error came without a JSON body with `error` ({})",
                        r.status,
                        ct.unwrap_or("no content type")
                    ),
                    "shows the status and the start of the body instead of an OAuth error",
                );
            } else if r.status != 400
                && r.status != 401
                && r.status < 500
                && step.starts_with("token request")
            {
                c.add("error_status", Severity::Advice, "RFC 6749 §5.2", step, format!("an OAuth error came with HTTP {} (400, or 401 for invalid_client, expected)", r.status), "read the error body regardless of the status");
            }
        }
        if step.starts_with("token request") && r.status == 200 {
            let cc = header(&r.headers, "cache-control")
                .unwrap_or("")
                .to_ascii_lowercase();
            if !cc.contains("no-store") {
                c.add(
                    "token_response_cacheable",
                    Severity::Violation,
                    "RFC 6749 §5.1",
                    "token endpoint",
                    format!(
                        "token responses must carry Cache-Control: no-store; got {}",
                        if cc.is_empty() {
                            "none".into()
                        } else {
                            cc.clone()
                        }
                    ),
                    "never caches token responses itself; intermediaries might",
                );
            }
            if json.as_ref().and_then(|j| j.get("error")).is_some() {
                c.add(
                    "error_with_success_status",
                    Severity::Violation,
                    "RFC 6749 §5.2",
                    "token endpoint",
                    "an error came with HTTP 200".into(),
                    deviation_action("error_with_success_status"),
                );
            }
        }
        if step.starts_with("revocation") && r.status != 200 && r.status != 503 && r.status < 400 {
            c.add(
                "revocation_status",
                Severity::Violation,
                "RFC 7009 §2.2",
                "revocation endpoint",
                format!("a revocation answered HTTP {} (200 expected)", r.status),
                "treated any 2xx as success",
            );
        }
        if step == "introspection"
            && r.status == 200
            && json.as_ref().and_then(|j| j.get("active")).is_none()
        {
            c.add(
                "introspection_active_missing",
                Severity::Violation,
                "RFC 7662 §2.2",
                "introspection endpoint",
                "the introspection response has no `active` member".into(),
                "shows the response as it came; cannot say whether the token is active",
            );
        }
        if step == "userinfo"
            && r.status == 200
            && !is_json_type(ct)
            && !ct.is_some_and(|c| c.contains("application/jwt"))
        {
            c.add(
                "userinfo_content_type",
                Severity::Violation,
                "OIDC Core §5.3.2",
                "userinfo endpoint",
                format!("userinfo served as {}", ct.unwrap_or("no content type")),
                "parsed the body as JSON when it was",
            );
        }
        if step == "discovery" && r.status == 200 && !is_json_type(ct) {
            c.add(
                "discovery_content_type",
                Severity::Violation,
                "RFC 8414 §3.2",
                "metadata",
                format!("metadata served as {}", ct.unwrap_or("no content type")),
                "parsed the body as JSON anyway",
            );
        }
    }
    let mut findings: Vec<Finding> = c.findings.into_values().collect();
    findings.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.code.cmp(&b.code)));
    ProviderReport {
        client: client.name.clone(),
        issuer: client
            .metadata
            .as_ref()
            .map(|m| m.issuer.clone())
            .or_else(|| client.issuer.clone()),
        flows_checked: flows.len() as u32,
        exchanges_checked: exchanges.len() as u32,
        grants_checked: grants.len() as u32,
        findings,
    }
}

#[cfg(test)]
mod tests;
