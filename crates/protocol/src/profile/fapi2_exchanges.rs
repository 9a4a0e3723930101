//! FAPI 2.0 rules over the recorded (redacted) exchanges: what the server actually did when the
//! client's flows ran. A rule that no recorded exchange speaks to comes out "not observed".

use super::fapi2::{ALLOWED_AUTH_METHODS, Evidence, LONG_ACCESS_TOKEN_SECS};
use super::{Outcome, ProfileCheck};
use crate::transcript::Exchange;
use std::collections::{BTreeMap, BTreeSet};

/// Checks gathered by code (a rule seen in many exchanges is one line with a count), and the
/// topics some exchange spoke to.
#[derive(Default)]
struct Tally {
    checks: BTreeMap<String, ProfileCheck>,
    topics: BTreeSet<&'static str>,
}

impl Tally {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        topic: &'static str,
        code: &str,
        outcome: Outcome,
        section: &str,
        requirement: &str,
        detail: String,
        source: &str,
    ) {
        self.topics.insert(topic);
        self.checks
            .entry(code.to_owned())
            .and_modify(|c| c.occurrences = c.occurrences.saturating_add(1))
            .or_insert_with(|| {
                ProfileCheck::new(code, outcome, section, requirement, detail, source)
            });
    }
}

const PAR_RULE: &str =
    "shall reject authorization requests sent without pushed authorization requests (RFC 9126)";
const PKCE_RULE: &str = "shall require PKCE (RFC 7636) with S256 as the code challenge method";
const ISS_RULE: &str = "shall return an iss parameter in the authorization response (RFC 9207)";
const PAR_TTL_RULE: &str =
    "shall issue request_uri values with expires_in of less than 600 seconds";
const BOUND_RULE: &str = "shall only issue sender-constrained access tokens (MTLS or DPoP)";
const AUTH_RULE: &str = "shall authenticate clients with MTLS or private_key_jwt only";
const ROTATION_RULE: &str =
    "shall not use refresh token rotation except in extraordinary circumstances";
const LIFETIME_RULE: &str =
    "short-lived access tokens, with refresh tokens for long-lived grants (security consideration)";

fn pairs(form: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(form.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn query(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.query().map(pairs))
        .unwrap_or_default()
}

fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The client authentication a recorded request carried, by name.
fn auth_used(e: &Exchange, configured: Option<&str>) -> String {
    let body = pairs(e.request.body.as_deref().unwrap_or(""));
    let configured_tls = configured.filter(|m| m.contains("tls_client_auth"));
    if let Some(m) = configured_tls {
        return m.to_owned();
    }
    if header(&e.request.headers, "authorization")
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("basic"))
    {
        return "client_secret_basic".into();
    }
    if get(&body, "client_secret").is_some() {
        return "client_secret_post".into();
    }
    if get(&body, "client_assertion").is_some() {
        return match configured {
            Some(m @ ("private_key_jwt" | "client_secret_jwt")) => m.to_owned(),
            _ => "a JWT client assertion (kind not known)".into(),
        };
    }
    "none".into()
}

fn json(e: &Exchange) -> Option<serde_json::Value> {
    let r = e.response.as_ref()?;
    serde_json::from_str(&r.body).ok()
}

fn succeeded(e: &Exchange) -> bool {
    e.response
        .as_ref()
        .is_some_and(|r| (200..300).contains(&r.status))
}

pub(super) fn check_exchanges(ev: &Evidence<'_>) -> Vec<ProfileCheck> {
    let mut t = Tally::default();
    for flow in &ev.flows {
        authorization_flow(&mut t, flow, ev);
        for e in flow.iter().filter(|e| e.step.starts_with("token request")) {
            token_response(&mut t, e, ev);
        }
    }
    refreshes(&mut t, ev);
    let mut out: Vec<ProfileCheck> = t.checks.into_values().collect();
    let unseen = [
        (
            "par",
            "par_use",
            "FAPI 2.0 SP §5.3.2.2 (3)",
            PAR_RULE,
            "no recorded authorization code flow",
        ),
        (
            "pkce",
            "pkce_use",
            "FAPI 2.0 SP §5.3.2.2 (5)",
            PKCE_RULE,
            "no recorded authorization code flow",
        ),
        (
            "iss",
            "iss_in_response",
            "FAPI 2.0 SP §5.3.2.2 (7)",
            ISS_RULE,
            "no authorization response recorded",
        ),
        (
            "par_ttl",
            "par_request_uri_lifetime",
            "FAPI 2.0 SP §5.3.2.2 (12)",
            PAR_TTL_RULE,
            "no pushed authorization request recorded",
        ),
        (
            "bound",
            "sender_constrained_tokens",
            "FAPI 2.0 SP §5.3.2.1 (4)",
            BOUND_RULE,
            "no token response recorded",
        ),
        (
            "auth",
            "client_auth_used",
            "FAPI 2.0 SP §5.3.2.1 (6)",
            AUTH_RULE,
            "no token response recorded",
        ),
        (
            "lifetime",
            "access_token_lifetime",
            "FAPI 2.0 SP §6.1",
            LIFETIME_RULE,
            "no token response recorded",
        ),
        (
            "rotation",
            "refresh_rotation",
            "FAPI 2.0 SP §5.3.2.1 (9)",
            ROTATION_RULE,
            "no refresh recorded",
        ),
    ];
    for (topic, code, section, rule, why) in unseen {
        if !t.topics.contains(topic) {
            out.push(ProfileCheck::new(
                code,
                Outcome::NotObserved,
                section,
                rule,
                why.into(),
                "exchanges",
            ));
        }
    }
    out
}

/// One browser flow: PAR, the authorization request, the callback.
fn authorization_flow(t: &mut Tally, flow: &[Exchange], ev: &Evidence<'_>) {
    let Some(authz) = flow.iter().find(|e| e.step == "authorization request") else {
        return;
    };
    let par = flow
        .iter()
        .find(|e| e.step == "pushed authorization request");
    let callback = flow.iter().find(|e| e.step == "callback received");
    let cb_params = callback.map(|c| query(&c.request.url)).unwrap_or_default();
    let accepted = callback
        .is_some_and(|c| c.note.as_deref().is_some_and(|n| n.starts_with("accepted")))
        && get(&cb_params, "code").is_some();
    let authz_params = query(&authz.request.url);
    let pushed = get(&authz_params, "request_uri").is_some();
    const PAR_SECTION: &str = "FAPI 2.0 SP §5.3.2.2 (3)";
    if pushed {
        t.add("par", "par_used", Outcome::Passed, PAR_SECTION, PAR_RULE,
            "the authorization request went through the browser only as a request_uri from a pushed request".into(),
            "authorization request");
    } else if accepted {
        t.add("par", "authorization_without_par_accepted", Outcome::Violation, PAR_SECTION, PAR_RULE,
            "the server issued a code for an authorization request sent in the browser URL, not pushed".into(),
            "authorization request");
    }
    // The parameters went in the pushed request, or in the browser URL.
    let sent = match par {
        Some(p) if pushed => pairs(p.request.body.as_deref().unwrap_or("")),
        _ => authz_params.clone(),
    };
    if accepted {
        let method = get(&sent, "code_challenge_method");
        let has_challenge = get(&sent, "code_challenge").is_some();
        if has_challenge && method == Some("S256") {
            t.add(
                "pkce",
                "pkce_s256_used",
                Outcome::Passed,
                "FAPI 2.0 SP §5.3.2.2 (5)",
                PKCE_RULE,
                "code_challenge_method=S256 was sent and the code was issued for it".into(),
                "authorization request",
            );
        } else {
            let what = match (has_challenge, method) {
                (false, _) => "without any PKCE code_challenge".to_owned(),
                (true, m) => format!(
                    "with code_challenge_method {}",
                    m.unwrap_or("absent (plain)")
                ),
            };
            t.add(
                "pkce",
                "code_without_pkce_s256",
                Outcome::Violation,
                "FAPI 2.0 SP §5.3.2.2 (5)",
                PKCE_RULE,
                format!("the server issued a code for a request {what}"),
                "authorization request",
            );
        }
        if get(&cb_params, "iss").is_some() {
            t.add(
                "iss",
                "iss_in_response",
                Outcome::Passed,
                "FAPI 2.0 SP §5.3.2.2 (7)",
                ISS_RULE,
                "the authorization response carried iss".into(),
                "callback received",
            );
        } else {
            t.add("iss", "iss_missing_in_response", Outcome::Violation, "FAPI 2.0 SP §5.3.2.2 (7)", ISS_RULE,
                "the authorization response carried no iss: a mix-up between issuers cannot be detected".into(),
                "callback received");
        }
    }
    let Some(par) = par.filter(|p| succeeded(p)) else {
        return;
    };
    let body = pairs(par.request.body.as_deref().unwrap_or(""));
    const TTL_SECTION: &str = "FAPI 2.0 SP §5.3.2.2 (12)";
    match json(par).and_then(|j| j.get("expires_in").and_then(serde_json::Value::as_i64)) {
        Some(s) if (1..600).contains(&s) => t.add("par_ttl", "par_request_uri_lifetime", Outcome::Passed,
            TTL_SECTION, PAR_TTL_RULE, format!("request_uri expires_in {s} s"), "pushed authorization request"),
        Some(s) => t.add("par_ttl", "par_request_uri_too_long", Outcome::Violation, TTL_SECTION, PAR_TTL_RULE,
            format!("request_uri expires_in {s} s"), "pushed authorization request"),
        None => t.add("par_ttl", "par_expires_in_missing", Outcome::Violation, TTL_SECTION, PAR_TTL_RULE,
            "the pushed authorization response has no numeric expires_in (REQUIRED by RFC 9126 §2.2)".into(),
            "pushed authorization request"),
    }
    if auth_used(par, ev.client_auth_method) == "none" {
        t.add("par_auth", "par_without_client_auth_accepted", Outcome::Violation, "FAPI 2.0 SP §5.3.2.2 (4)",
            "shall reject pushed authorization requests without client authentication",
            "the server accepted a pushed authorization request that carried no client authentication".into(),
            "pushed authorization request");
    }
    if get(&body, "dpop_jkt").is_some() {
        t.add("dpop_jkt", "dpop_code_binding", Outcome::Passed, "FAPI 2.0 SP §5.3.2.1 (12)",
            "if using DPoP, shall support authorization code binding to the DPoP key (RFC 9449 §10)",
            "a pushed request with dpop_jkt was accepted".into(), "pushed authorization request");
    }
}

/// A successful token response: how the token is bound, how the client authenticated, how long
/// the token lives.
fn token_response(t: &mut Tally, e: &Exchange, ev: &Evidence<'_>) {
    let Some(body) = json(e).filter(|j| j.get("access_token").is_some()) else {
        return;
    };
    if !succeeded(e) {
        return;
    }
    let step = e.step.as_str();
    let token_type = body
        .get("token_type")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    let proof_sent = header(&e.request.headers, "dpop").is_some();
    const BOUND: &str = "FAPI 2.0 SP §5.3.2.1 (4), (5)";
    if token_type.eq_ignore_ascii_case("dpop") {
        t.add(
            "bound",
            "token_dpop_bound",
            Outcome::Passed,
            BOUND,
            BOUND_RULE,
            "token_type DPoP: the access token is bound to the client's DPoP key (RFC 9449 §5)"
                .into(),
            step,
        );
    } else if ev.certificate_bound_tokens > 0 {
        t.add(
            "bound",
            "token_certificate_bound",
            Outcome::Passed,
            BOUND,
            BOUND_RULE,
            format!(
                "token_type {token_type}; stored access tokens carry cnf.x5t#S256 (RFC 8705 §3.1)"
            ),
            step,
        );
    } else {
        t.add(
            "bound",
            "bearer_token_issued",
            Outcome::Violation,
            BOUND,
            BOUND_RULE,
            format!(
                "token_type {}: a bearer token, bound to nothing{}",
                if token_type.is_empty() {
                    "absent"
                } else {
                    token_type
                },
                if proof_sent {
                    ", although the request carried a DPoP proof"
                } else {
                    ""
                }
            ),
            step,
        );
    }
    let method = auth_used(e, ev.client_auth_method);
    if ALLOWED_AUTH_METHODS.contains(&method.as_str()) {
        t.add(
            "auth",
            "client_auth_used",
            Outcome::Passed,
            "FAPI 2.0 SP §5.3.2.1 (6)",
            AUTH_RULE,
            format!("the token endpoint authenticated the client with {method}"),
            step,
        );
    } else {
        t.add(
            "auth",
            "client_auth_not_allowed_accepted",
            Outcome::Violation,
            "FAPI 2.0 SP §5.3.2.1 (6)",
            AUTH_RULE,
            format!("the token endpoint issued tokens to a client authenticated with {method}"),
            step,
        );
    }
    match body.get("expires_in").and_then(serde_json::Value::as_i64) {
        Some(s) if s > LONG_ACCESS_TOKEN_SECS => t.add(
            "lifetime",
            "long_lived_access_token",
            Outcome::Advice,
            "FAPI 2.0 SP §6.1",
            LIFETIME_RULE,
            format!("an access token lives {s} s (more than {LONG_ACCESS_TOKEN_SECS} s)"),
            step,
        ),
        Some(s) => t.add(
            "lifetime",
            "access_token_lifetime",
            Outcome::Passed,
            "FAPI 2.0 SP §6.1",
            LIFETIME_RULE,
            format!("access tokens live at most {LONG_ACCESS_TOKEN_SECS} s (seen {s} s)"),
            step,
        ),
        None => t.add(
            "lifetime",
            "access_token_lifetime_unknown",
            Outcome::Advice,
            "FAPI 2.0 SP §6.1",
            LIFETIME_RULE,
            "a token response gave no expires_in: the access token's lifetime is unknown".into(),
            step,
        ),
    }
}

fn refreshes(t: &mut Tally, ev: &Evidence<'_>) {
    const SECTION: &str = "FAPI 2.0 SP §5.3.2.1 (9)";
    if ev.refreshes_rotated > 0 {
        t.add("rotation", "refresh_token_rotated", Outcome::Violation, SECTION, ROTATION_RULE,
            format!("{} refresh(es) returned a new refresh token (rotation); unless in extraordinary circumstances with a retry window, FAPI 2.0 rules it out", ev.refreshes_rotated),
            "token request (refresh_token)");
        if let Some(c) = t.checks.get_mut("refresh_token_rotated") {
            c.occurrences = ev.refreshes_rotated;
        }
    } else if ev.refreshes_kept > 0 {
        t.add(
            "rotation",
            "refresh_not_rotated",
            Outcome::Passed,
            SECTION,
            ROTATION_RULE,
            format!("{} refresh(es) kept the refresh token", ev.refreshes_kept),
            "token request (refresh_token)",
        );
    }
}
