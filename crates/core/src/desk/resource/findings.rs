//! Where a probed resource and its authorization servers depart from the specs, each finding
//! with its section and what OAuth Desk did, as the provider report lists them.

use super::{ResourceProbe, ServerProbe};
use crate::desk::report::{Finding, Severity};

fn finding(
    code: &str,
    severity: Severity,
    spec: &str,
    detail: String,
    action: &str,
    source: &str,
) -> Finding {
    Finding::new(code, severity, spec, detail, action, source)
}

/// Every finding of a probe, violations first.
pub(super) fn of(p: &ResourceProbe) -> Vec<Finding> {
    let mut out = Vec::new();
    resource_answer(p, &mut out);
    metadata(p, &mut out);
    for s in &p.servers {
        server(s, &mut out);
    }
    out.sort_by_key(|f| f.severity);
    out
}

fn resource_answer(p: &ResourceProbe, out: &mut Vec<Finding>) {
    use Severity::*;
    let Some(status) = p.status else {
        if let Some(e) = &p.request_error {
            out.push(finding(
                "resource_unreachable",
                Violation,
                "RFC 9110 §9",
                format!("the request to the resource failed: {e}"),
                "stopped: nothing else could be learned",
                "resource",
            ));
        }
        return;
    };
    let src = "resource";
    match status {
        200..=299 => out.push(finding("resource_open", Advice, "RFC 6750 §3", format!("the resource answered HTTP {status} without a token: it does not require authorization for this request"), "still looked for its metadata", src)),
        401 | 403 => {}
        _ => out.push(finding("resource_unexpected_status", Advice, "RFC 6750 §3.1", format!("without a token the resource answered HTTP {status}, not 401 Unauthorized"), "looked for its metadata anyway", src)),
    }
    if status == 401 && p.challenges.is_empty() && p.other_schemes.is_empty() {
        out.push(finding("no_challenge", Violation, "RFC 9110 §15.5.2", "a 401 answer carries no WWW-Authenticate header; a server MUST send at least one challenge".into(), "looked for its metadata at the well-known locations", src));
    }
    if !p.challenge_problems.is_empty() {
        out.push(finding(
            "challenge_malformed",
            Violation,
            "RFC 9110 §11.6.1",
            format!(
                "WWW-Authenticate could not be read entirely: {}",
                p.challenge_problems.join("; ")
            ),
            "used what could be read",
            src,
        ));
    }
    let bearer = p.challenges.first();
    if matches!(status, 401 | 403) && !p.challenges.is_empty() {
        if p.challenges.iter().all(|c| c.resource_metadata.is_none()) {
            out.push(finding("no_resource_metadata_parameter", Advice, "RFC 9728 §5.1", "the challenge does not name resource_metadata, so a client must guess the metadata's location".into(), "tried the well-known locations", src));
        }
        if p.challenges.iter().all(|c| c.scope.is_empty()) {
            out.push(finding(
                "no_scope_in_challenge",
                Advice,
                "RFC 6750 §3; MCP 2025-11-25 Scope Selection",
                "the challenge names no scope, so a client cannot tell what to ask for".into(),
                "suggests the metadata's scopes_supported instead",
                src,
            ));
        }
    }
    if let Some(code) = bearer
        .filter(|_| status == 401)
        .and_then(|b| b.error.as_ref())
    {
        out.push(finding("error_without_token", Advice, "RFC 6750 §3.1", format!("the challenge to a request without any token carries error={code:?}; RFC 6750 §3.1 says a request without authentication information SHOULD NOT get an error code"), "ignored the error code", src));
    }
}

fn metadata(p: &ResourceProbe, out: &mut Vec<Finding>) {
    use Severity::*;
    let src = "resource metadata";
    if p.status.is_none() {
        return;
    }
    let Some(m) = &p.metadata else {
        let detail = p
            .metadata_error
            .clone()
            .unwrap_or_else(|| "no protected resource metadata".into());
        let code = if detail.contains("RFC 9728 §3.3") {
            "metadata_resource_mismatch"
        } else {
            "no_resource_metadata"
        };
        let (severity, spec, action) = if code == "metadata_resource_mismatch" {
            (
                Violation,
                "RFC 9728 §3.3",
                "refused the metadata: no authorization server it names is used",
            )
        } else {
            (
                Violation,
                "RFC 9728 §3; MCP 2025-06-18 Authorization Server Discovery",
                "cannot find the authorization server from the resource; give the issuer yourself",
            )
        };
        out.push(finding(code, severity, spec, detail, action, src));
        return;
    };
    // Found at the root although a path-inserted location existed for this URL.
    let root_fallback = m.source == oauthdesk_protocol::resource::MetadataSource::WellKnownRoot
        && url::Url::parse(&p.url)
            .is_ok_and(|u| oauthdesk_protocol::resource::well_known_urls(&u).len() > 1);
    if root_fallback {
        out.push(finding("metadata_at_root_only", Advice, "RFC 9728 §3.1", format!("the metadata for {} was found only at the origin's root, not at the path-inserted location", p.resource), "used it (MCP 2025-11-25 allows the root fallback)", src));
    }
    if m.matched == oauthdesk_protocol::resource::ResourceMatch::ParentPath {
        out.push(finding(
            "metadata_resource_parent",
            Advice,
            "RFC 9728 §3.3",
            format!("the metadata named by the challenge is for {}, a parent path of {} on the same origin, not the identical URL RFC 9728 §3.3 asks for", m.metadata.resource, p.resource),
            "accepted it, as draft-mcguinness-oauth-rfc9728bis proposes and the MCP SDKs do (same origin, parent path); the resource indicator sent is the metadata's resource",
            src,
        ));
    }
    for problem in &m.problems {
        out.push(finding(
            "metadata_member",
            Advice,
            "RFC 9728 §2",
            problem.clone(),
            "ignored that member",
            src,
        ));
    }
    let md = &m.metadata;
    if md.authorization_servers.is_empty() {
        out.push(finding(
            "no_authorization_servers",
            Violation,
            "RFC 9728 §2; MCP 2025-06-18 §2.3.1",
            "the metadata names no authorization_servers, so a client cannot find where to log in"
                .into(),
            "stopped: give the issuer yourself",
            src,
        ));
    }
    if !md.bearer_methods_supported.is_empty()
        && !md.bearer_methods_supported.iter().any(|b| b == "header")
    {
        out.push(finding(
            "no_header_bearer_method",
            Advice,
            "RFC 6750 §2.1; MCP Access Token Usage",
            "bearer_methods_supported does not list header, the only method MCP and OAuth Desk use"
                .into(),
            "sends the token in the Authorization header anyway",
            src,
        ));
    }
    if md.dpop_bound_access_tokens_required {
        out.push(finding(
            "dpop_required",
            Advice,
            "RFC 9728 §2; RFC 9449",
            "the resource accepts only DPoP-bound access tokens".into(),
            "a client for it is made with DPoP on",
            src,
        ));
    }
    if let Some(signed) = &md.signed {
        let detail = match &signed.unreadable {
            Some(why) => format!("signed_metadata is present but unreadable: {why}"),
            None => format!(
                "signed_metadata is present (iss {:?}, alg {:?}); its signature was not verified: OAuth Desk has no trust anchor for signed resource metadata{}",
                signed.iss.as_deref().unwrap_or("none"),
                signed.alg.as_deref().unwrap_or("none"),
                if signed.differs.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; the signed values differ for {}",
                        signed.differs.join(", ")
                    )
                }
            ),
        };
        out.push(finding(
            "signed_metadata_not_verified",
            Advice,
            "RFC 9728 §2.2",
            detail,
            "used the plain members",
            src,
        ));
    }
}

fn server(s: &ServerProbe, out: &mut Vec<Finding>) {
    use Severity::*;
    let src = format!("authorization server {}", s.issuer);
    let Some(m) = &s.metadata else {
        out.push(finding(
            "authorization_server_unknown",
            Violation,
            "RFC 8414 §3; MCP 2025-11-25 Authorization Server Metadata Discovery",
            format!(
                "no metadata could be used for {}: {}",
                s.issuer,
                s.error.as_deref().unwrap_or("not found")
            ),
            "cannot log in at this server",
            &src,
        ));
        return;
    };
    if m.code_challenge_methods_supported.is_empty() {
        out.push(finding("no_code_challenge_methods", Violation, "RFC 8414 §2; MCP 2025-11-25 Authorization Code Protection", "the metadata does not list code_challenge_methods_supported; MCP clients MUST refuse to proceed without it".into(), "uses PKCE S256 anyway and says so", &src));
    } else if !s.pkce_s256 {
        out.push(finding(
            "no_pkce_s256",
            Violation,
            "RFC 7636 §4.2; MCP Authorization Code Protection",
            format!(
                "code_challenge_methods_supported is {:?}, without S256",
                m.code_challenge_methods_supported
            ),
            "uses S256 anyway: plain is not safe",
            &src,
        ));
    }
    if s.registration_endpoint.is_none() && !s.client_id_metadata_document_supported {
        out.push(finding("no_registration", Advice, "RFC 7591; MCP Client Registration", "the server offers neither dynamic registration nor Client ID Metadata Documents: a client must be registered by hand".into(), "needs --client-id", &src));
    }
    if !m.authorization_response_iss_parameter_supported {
        out.push(finding("no_iss_parameter", Advice, "RFC 9207 §3", "the metadata does not say authorization_response_iss_parameter_supported: responses cannot be tied to this issuer (mix-up attacks)".into(), "checks iss whenever the response carries one", &src));
    }
    if m.issuer.starts_with("http://")
        && !m.issuer.starts_with("http://127.0.0.1")
        && !m.issuer.starts_with("http://localhost")
        && !m.issuer.starts_with("http://[::1]")
    {
        out.push(finding(
            "issuer_not_https",
            Violation,
            "RFC 8414 §2",
            "the issuer is not an https URL".into(),
            "used only because insecure was allowed",
            &src,
        ));
    }
}
