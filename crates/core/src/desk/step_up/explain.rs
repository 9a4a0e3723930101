//! What an API's refusal means, from what is known locally: the `WWW-Authenticate` challenges
//! (RFC 9110 §11.6.1; Bearer, RFC 6750 §3; DPoP, RFC 9449 §7.1), the grant as it is now, the
//! claims of the access token that was sent, and, for `invalid_token`, the resource the API's
//! metadata names (RFC 9728 §2). Pure: no network, no store, so every case is unit-tested.

use super::invalid_token::{MetadataLookup, invalid_token};
use super::plan::{insufficient_scope, user_authentication};
use super::{CallChallenge, ChallengeKind, StepUpPlan};
use crate::model::GrantView;
use oauthdesk_protocol::challenge::{self, ResourceChallenge};
use oauthdesk_protocol::text::escape_controls;
use serde_json::Value;

/// What the explanation is made from.
pub(crate) struct Facts<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub now: i64,
    /// The grant as stored after the response (another process may have revoked it meanwhile).
    pub grant: &'a GrantView,
    /// The `resource` (RFC 8707) the grant was requested for.
    pub requested_resource: Option<&'a str>,
    /// The claims of the access token that was sent, when it is a JWT.
    pub claims: Option<&'a Value>,
    /// The scheme the token was sent with: `Bearer`, `DPoP`, or the token type.
    pub sent_scheme: &'a str,
    /// The API's protected resource metadata, when the challenge named it and it was fetched.
    pub metadata: Option<&'a MetadataLookup>,
}

/// Whether a response is explained: 401 and 403 always, another failure when it carries a
/// Bearer or DPoP challenge (RFC 6750 §3.1 answers `invalid_request` with 400).
pub(crate) fn needs_explaining(status: u16, headers: &[(String, String)]) -> bool {
    if (200..300).contains(&status) {
        return false;
    }
    status == 401 || status == 403 || !challenge::from_headers(headers).oauth().is_empty()
}

/// The challenge that speaks to this call: of the sent scheme and carrying an error, else any
/// with an error, else of the sent scheme, else the first.
pub(crate) fn pick<'a>(all: &'a [ResourceChallenge], sent: &str) -> Option<&'a ResourceChallenge> {
    let ours = |c: &&ResourceChallenge| c.scheme.eq_ignore_ascii_case(sent);
    all.iter()
        .filter(ours)
        .find(|c| c.error.is_some())
        .or_else(|| all.iter().find(|c| c.error.is_some()))
        .or_else(|| all.iter().find(ours))
        .or_else(|| all.first())
}

/// The metadata URL to look up: only for an `invalid_token` whose challenge names one.
pub(crate) fn metadata_to_fetch(
    status: u16,
    headers: &[(String, String)],
    sent: &str,
) -> Option<String> {
    if !needs_explaining(status, headers) {
        return None;
    }
    let all = challenge::from_headers(headers).oauth();
    let c = pick(&all, sent)?;
    (c.error.as_deref() == Some("invalid_token"))
        .then(|| c.resource_metadata.clone())
        .flatten()
}

/// Text from the server, safe to show on one line.
pub(super) fn shown(s: &str) -> String {
    let mut t = escape_controls(s, false);
    if t.chars().count() > 300 {
        t = t.chars().take(300).collect::<String>() + "…";
    }
    t
}

pub(super) fn list(items: &[String]) -> String {
    items.iter().map(|s| shown(s)).collect::<Vec<_>>().join(" ")
}

/// "4 min", "2 h", "12 s".
pub(super) fn span(secs: i64) -> String {
    let a = secs.unsigned_abs();
    match a {
        0..=59 => format!("{a} s"),
        60..=3599 => format!("{} min", a / 60),
        3600..=86_399 => format!("{} h", a / 3600),
        _ => format!("{} d", a / 86_400),
    }
}

pub(super) fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => vec![],
    }
}

/// A claim of the access token, else of the grant's ID token.
pub(super) fn claim<'a>(f: &'a Facts<'_>, name: &str) -> Option<&'a Value> {
    f.claims
        .and_then(|c| c.get(name))
        .or_else(|| f.grant.claims.as_ref()?.get("id_token")?.get(name))
}

/// The explanation of a refused call and, when a new login could satisfy the API, the plan for
/// it. `None` when the response needs no explaining.
pub(crate) fn explain(f: &Facts<'_>) -> Option<(CallChallenge, Option<StepUpPlan>)> {
    if !needs_explaining(f.status, f.headers) {
        return None;
    }
    let parsed = challenge::from_headers(f.headers);
    let all = parsed.oauth();
    let mut out = CallChallenge {
        kind: ChallengeKind::NoChallenge,
        scheme: None,
        error: None,
        error_description: None,
        summary: String::new(),
        details: vec![],
        required_scopes: vec![],
        missing_scopes: vec![],
        acr_values: vec![],
        max_age: None,
        token: None,
        resource_metadata: None,
        api_resource: None,
        problems: parsed.problems.clone(),
    };
    let Some(c) = pick(&all, f.sent_scheme) else {
        no_oauth_challenge(f, &parsed, &mut out);
        return Some((out, None));
    };
    out.scheme = Some(c.scheme.clone());
    out.error = c.error.clone();
    out.error_description = c.error_description.clone();
    out.required_scopes = c.scope.clone();
    out.acr_values = c.acr_values.clone();
    out.max_age = c.max_age;
    out.resource_metadata = c.resource_metadata.clone();
    for other in &all {
        out.problems.extend(other.problems.iter().cloned());
    }
    scheme_notes(f, &all, &mut out);
    if let Some(d) = &c.error_description {
        out.details
            .push(format!("The API's own words: {}", shown(d)));
    }
    let plan = match c.error.as_deref() {
        Some("insufficient_scope") => insufficient_scope(f, c, &mut out),
        Some("insufficient_user_authentication") => user_authentication(f, c, &mut out),
        Some("invalid_token") => invalid_token(f, c, &mut out),
        Some("invalid_request") => {
            out.kind = ChallengeKind::InvalidRequest;
            out.summary = format!(
                "The API says the request is malformed (invalid_request, RFC 6750 §3.1){}.",
                status_note(f.status, 400)
            );
            None
        }
        Some("use_dpop_nonce") => {
            out.kind = ChallengeKind::UseDpopNonce;
            out.summary = if f.sent_scheme.eq_ignore_ascii_case("dpop") {
                "The API still asks for a DPoP nonce after the retry with the nonce it sent \
                 (use_dpop_nonce, RFC 9449 §9): it does not accept its own nonce."
                    .into()
            } else {
                format!(
                    "The API asks for a DPoP proof with its nonce (use_dpop_nonce, RFC 9449 §9), \
                     but the token was sent as {}: this client is not set up for DPoP.",
                    shown(f.sent_scheme)
                )
            };
            None
        }
        Some("invalid_dpop_proof") => {
            out.kind = ChallengeKind::InvalidDpopProof;
            out.summary =
                "The API refused the DPoP proof (invalid_dpop_proof, RFC 9449 §7.1).".into();
            if !c.algs.is_empty() {
                out.details.push(format!(
                    "It accepts proofs signed with {} (algs, RFC 9449 §7.1); OAuth Desk signs with ES256.",
                    list(&c.algs)
                ));
            }
            None
        }
        Some(other) => {
            out.kind = ChallengeKind::OtherError;
            out.summary = format!(
                "The API answered HTTP {} with error {:?}, which neither RFC 6750 §3.1, RFC 9470 \
                 §3 nor RFC 9449 defines.",
                f.status,
                shown(other)
            );
            None
        }
        None => {
            out.kind = ChallengeKind::NoError;
            out.summary = format!(
                "The API answered HTTP {} with a {} challenge but no error code; RFC 6750 §3.1 \
                 leaves it out when a request carries no authentication, so the API may not have \
                 seen the token.",
                f.status,
                shown(&c.scheme)
            );
            None
        }
    };
    if let Some(p) = &plan {
        out.details.push(p.reason.clone());
    }
    Some((out, plan))
}

/// " (RFC 6750 §3.1 says HTTP 403)" when the status is not the one the spec names.
pub(super) fn status_note(status: u16, wanted: u16) -> String {
    if status == wanted {
        String::new()
    } else {
        format!("; it answered HTTP {status}, where RFC 6750 §3.1 says {wanted}")
    }
}

fn no_oauth_challenge(f: &Facts<'_>, parsed: &challenge::Challenges, out: &mut CallChallenge) {
    let schemes: Vec<String> = parsed.challenges.iter().map(|c| shown(&c.scheme)).collect();
    if !schemes.is_empty() {
        out.kind = ChallengeKind::NotOauth;
        out.scheme = parsed.challenges.first().map(|c| c.scheme.clone());
        out.summary = format!(
            "The API answered HTTP {} with a {} challenge only: it does not ask for an OAuth \
             token (RFC 6750 §3 uses Bearer, RFC 9449 §7.1 DPoP).",
            f.status,
            schemes.join(", ")
        );
    } else if f.status == 401 {
        out.summary = "The API answered HTTP 401 without a WWW-Authenticate challenge, which RFC \
                       9110 §15.5.2 requires (\"MUST send\"): nothing says why the token was \
                       refused or what to ask for."
            .into();
    } else {
        out.summary = format!(
            "The API answered HTTP {} without a WWW-Authenticate challenge: it refused the \
             request without saying why in OAuth terms (for missing scopes RFC 6750 §3.1 sends \
             error=\"insufficient_scope\").",
            f.status
        );
    }
}

/// The sent scheme against the schemes the API offers.
fn scheme_notes(f: &Facts<'_>, all: &[ResourceChallenge], out: &mut CallChallenge) {
    if all
        .iter()
        .any(|c| c.scheme.eq_ignore_ascii_case(f.sent_scheme))
    {
        return;
    }
    let offered: Vec<String> = all.iter().map(|c| shown(&c.scheme)).collect();
    out.details.push(format!(
        "The token was sent as {}, and the API offers only {} ({}).",
        shown(f.sent_scheme),
        offered.join(", "),
        if f.sent_scheme.eq_ignore_ascii_case("dpop") {
            "it may not accept DPoP-bound tokens, RFC 9449 §7.1"
        } else {
            "it wants DPoP-bound tokens with a proof, RFC 9449 §7.1"
        }
    ));
}
