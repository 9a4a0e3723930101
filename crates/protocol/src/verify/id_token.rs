//! ID token validation, OpenID Connect Core §3.1.3.7: the expected `alg` (7), `iss` (2),
//! `aud` / `azp` (3–5), the times (9–10), `nonce` (11) and `auth_time` against `max_age` (13),
//! and the hash claims binding the ID token to what came with it: `at_hash` (§3.1.3.6, required
//! for implicit/hybrid by §3.2.2.10) and `c_hash` (§3.3.2.11). The signature is
//! [`super::verify_signature`]'s.

use super::Check;
use super::jwt::{audiences, iss_check, num, relative, time_checks};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::Digest;

/// The `at_hash` / `c_hash` of a value (OIDC Core §3.1.3.6 / §3.3.2.11): the left half of the
/// hash that matches the JWS `alg`, base64url. `None` for algorithms without a defined hash.
pub fn half_hash(alg: &str, value: &str) -> Option<String> {
    let digest: Vec<u8> = match alg {
        "RS256" | "PS256" | "ES256" | "HS256" | "ES256K" => {
            sha2::Sha256::digest(value.as_bytes()).to_vec()
        }
        "RS384" | "PS384" | "ES384" | "HS384" => sha2::Sha384::digest(value.as_bytes()).to_vec(),
        // EdDSA with Ed25519 uses SHA-512 (OpenID Connect Core errata; OIDF's conformance suite).
        "RS512" | "PS512" | "ES512" | "HS512" | "EdDSA" | "Ed25519" => {
            sha2::Sha512::digest(value.as_bytes()).to_vec()
        }
        _ => return None,
    };
    Some(URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2]))
}

/// What the client knows when it checks an ID token (OIDC Core §3.1.3.7).
#[derive(Debug, Clone, Default)]
pub struct IdTokenContext<'a> {
    pub issuer: Option<&'a str>,
    pub client_id: Option<&'a str>,
    /// The nonce sent in the authorization request.
    pub nonce: Option<&'a str>,
    /// `max_age` sent in the authorization request.
    pub max_age: Option<i64>,
    /// The access token issued with the ID token, for `at_hash`.
    pub access_token: Option<&'a str>,
    /// True when the ID token came from the authorization endpoint together with an access
    /// token (implicit/hybrid): `at_hash` is then REQUIRED (§3.2.2.10).
    pub at_hash_required: bool,
    /// The authorization code, for `c_hash` (only known during the login itself).
    pub code: Option<&'a str>,
    /// The algorithms the client accepts (its registered `id_token_signed_response_alg`, or
    /// the server's advertised list), and where that expectation came from.
    pub expected_algs: Vec<String>,
    pub expected_algs_origin: &'a str,
    pub now: i64,
    pub skew: i64,
}

/// The ID token checks of OIDC Core §3.1.3.7 (signature excluded: see [`super::verify_signature`]),
/// each reported on its own.
pub fn id_token_checks(header: &Value, claims: &Value, ctx: &IdTokenContext<'_>) -> Vec<Check> {
    const S: &str = "OIDC Core §3.1.3.7";
    let mut checks = Vec::new();
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if ctx.expected_algs.is_empty() {
        checks.push(Check::not_applicable(
            "alg",
            "OIDC Core §3.1.3.7 (7)",
            format!("signed with {alg}; no client registration to compare with"),
        ));
    } else if ctx.expected_algs.iter().any(|a| a == alg) {
        checks.push(Check::pass(
            "alg",
            "OIDC Core §3.1.3.7 (7)",
            format!("{alg} is {}", ctx.expected_algs_origin),
        ));
    } else {
        checks.push(Check::fail(
            "alg",
            "alg_unexpected",
            "OIDC Core §3.1.3.7 (7)",
            format!(
                "signed with {alg}, but {} is {}",
                ctx.expected_algs.join(", "),
                ctx.expected_algs_origin
            ),
        ));
    }
    iss_check(claims, ctx.issuer, "OIDC Core §3.1.3.7 (2)", &mut checks);
    match claims.get("sub").and_then(Value::as_str) {
        Some(s) if !s.is_empty() => {
            checks.push(Check::pass("sub", "OIDC Core §2", format!("subject {s}")))
        }
        _ => checks.push(Check::fail(
            "sub",
            "claim_missing",
            "OIDC Core §2",
            "no `sub` claim: an ID token must name its subject",
        )),
    }
    let aud = audiences(claims);
    match ctx.client_id {
        _ if aud.is_empty() => checks.push(Check::fail("aud", "claim_missing", "OIDC Core §3.1.3.7 (3)", "no `aud` claim")),
        None => checks.push(Check::not_applicable("aud", "OIDC Core §3.1.3.7 (3)", format!("audience {}; no client to compare with", aud.join(", ")))),
        Some(cid) if aud.iter().any(|a| a == cid) => {
            checks.push(Check::pass("aud", "OIDC Core §3.1.3.7 (3)", if aud.len() == 1 { format!("audience is this client ({cid})") } else { format!("audiences {} include this client", aud.join(", ")) }))
        }
        Some(cid) => checks.push(Check::fail("aud", "aud_mismatch", "OIDC Core §3.1.3.7 (3)", format!("audience {} does not include this client ({cid}): the token was issued to someone else", aud.join(", ")))),
    }
    let azp = claims.get("azp").and_then(Value::as_str);
    match (azp, ctx.client_id) {
        (Some(azp), Some(cid)) if azp != cid => checks.push(Check::fail(
            "azp",
            "azp_mismatch",
            "OIDC Core §3.1.3.7 (5)",
            format!("authorized party is {azp}, not this client ({cid})"),
        )),
        (Some(azp), _) => checks.push(Check::pass(
            "azp",
            "OIDC Core §3.1.3.7 (5)",
            format!("authorized party is {azp}"),
        )),
        (None, _) if aud.len() > 1 => checks.push(Check::warn(
            "azp",
            "azp_missing",
            "OIDC Core §3.1.3.7 (4)",
            "several audiences but no `azp`: the client cannot tell who the token was issued to",
        )),
        (None, _) => checks.push(Check::not_applicable(
            "azp",
            "OIDC Core §3.1.3.7 (4)",
            "single audience, no `azp` needed",
        )),
    }
    time_checks(claims, ctx.now, ctx.skew, S, &mut checks, true);
    let nonce = claims.get("nonce").and_then(Value::as_str);
    match (ctx.nonce, nonce) {
        (Some(sent), Some(got)) if sent == got => checks.push(Check::pass(
            "nonce",
            "OIDC Core §3.1.3.7 (11)",
            "matches the nonce sent in the authorization request",
        )),
        (Some(_), Some(_)) => checks.push(Check::fail(
            "nonce",
            "nonce_mismatch",
            "OIDC Core §3.1.3.7 (11)",
            "differs from the nonce sent: a replayed or substituted ID token",
        )),
        (Some(_), None) => checks.push(Check::fail(
            "nonce",
            "nonce_missing",
            "OIDC Core §3.1.3.7 (11)",
            "a nonce was sent but the ID token has none",
        )),
        (None, Some(_)) => checks.push(Check::not_applicable(
            "nonce",
            "OIDC Core §3.1.3.7 (11)",
            "the token has a nonce but none is known to compare with",
        )),
        (None, None) => checks.push(Check::not_applicable(
            "nonce",
            "OIDC Core §3.1.3.7 (11)",
            "no nonce was sent",
        )),
    }
    match (ctx.max_age, num(claims, "auth_time")) {
        (Some(_), None) => checks.push(Check::fail(
            "auth_time",
            "auth_time_missing",
            "OIDC Core §3.1.3.7 (13)",
            "max_age was requested but the ID token has no `auth_time`",
        )),
        (Some(max), Some(at)) => {
            let reference = num(claims, "iat").unwrap_or(ctx.now);
            let age = reference.saturating_sub(at);
            if age > max.saturating_add(ctx.skew) {
                checks.push(Check::fail(
                    "auth_time",
                    "auth_too_old",
                    "OIDC Core §3.1.3.7 (13)",
                    format!(
                        "the user authenticated {age} s before issue, more than max_age {max} s"
                    ),
                ));
            } else {
                checks.push(Check::pass(
                    "auth_time",
                    "OIDC Core §3.1.3.7 (13)",
                    format!("authenticated {age} s before issue, within max_age {max} s"),
                ));
            }
        }
        (None, Some(at)) if super::jwt::implausible(at, ctx.now) => checks.push(Check::warn(
            "auth_time",
            "implausible_time",
            "OIDC Core §2",
            super::jwt::implausible_reason("auth_time", at),
        )),
        (None, Some(at)) => checks.push(Check::not_applicable(
            "auth_time",
            "OIDC Core §3.1.3.7 (13)",
            format!(
                "authenticated {}; no max_age was requested",
                relative(at.saturating_sub(ctx.now))
            ),
        )),
        (None, None) => checks.push(Check::not_applicable(
            "auth_time",
            "OIDC Core §3.1.3.7 (13)",
            "no max_age was requested",
        )),
    }
    checks.push(hash_check(
        "at_hash",
        claims.get("at_hash").and_then(Value::as_str),
        alg,
        ctx.access_token,
        ctx.at_hash_required,
        "OIDC Core §3.2.2.9",
        "access token",
        "the access token is not at hand",
    ));
    checks.push(hash_check(
        "c_hash",
        claims.get("c_hash").and_then(Value::as_str),
        alg,
        ctx.code,
        false,
        "OIDC Core §3.3.2.11",
        "authorization code",
        "the code is single-use and is not kept after the login",
    ));
    checks
}

#[allow(clippy::too_many_arguments)]
fn hash_check(
    name: &str,
    claim: Option<&str>,
    alg: &str,
    value: Option<&str>,
    required: bool,
    spec: &str,
    what: &str,
    unknown: &str,
) -> Check {
    match (claim, value) {
        (None, _) if required => Check::fail(
            name,
            &format!("{name}_missing"),
            spec,
            format!("`{name}` is required here but absent"),
        ),
        (None, _) => Check::not_applicable(
            name,
            spec,
            format!("no `{name}` claim (optional in this response)"),
        ),
        (Some(_), None) => {
            Check::not_applicable(name, spec, format!("`{name}` is present but {unknown}"))
        }
        (Some(got), Some(v)) => match half_hash(alg, v) {
            None => Check::fail(
                name,
                "unsupported_alg",
                spec,
                format!("no hash is defined for alg {alg}"),
            ),
            Some(want) if want == got => Check::pass(name, spec, format!("matches the {what}")),
            Some(_) => Check::fail(
                name,
                &format!("{name}_mismatch"),
                spec,
                format!(
                    "does not match the {what}: the token and the {what} were not issued together"
                ),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn half_hash_matches_the_oidc_core_example() {
        // OIDC Core §A.3: access token "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", at_hash "77QmUPtjPfzWtF2AnpK9RQ" (RS256).
        assert_eq!(
            half_hash("RS256", "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y").as_deref(),
            Some("77QmUPtjPfzWtF2AnpK9RQ"),
            "the RS256 half hash of OIDC Core §A.3's access token is its at_hash"
        );
        assert_eq!(
            half_hash("none", "x"),
            None,
            "an alg without a defined hash has no half hash"
        );
    }

    #[test]
    fn id_token_checks_name_each_failure() {
        let now = 1_700_000_000;
        let header = json!({"alg":"RS256"});
        let ctx = IdTokenContext {
            issuer: Some("https://op"),
            client_id: Some("rp"),
            nonce: Some("n-1"),
            now,
            skew: 30,
            expected_algs: vec!["RS256".into()],
            expected_algs_origin: "the default",
            ..Default::default()
        };
        let good =
            json!({"iss":"https://op","aud":"rp","sub":"u","exp":now+60,"iat":now,"nonce":"n-1"});
        let checks = id_token_checks(&header, &good, &ctx);
        assert!(
            checks.iter().all(|c| !c.failed()),
            "a well-formed ID token passes every check: {checks:?}"
        );
        let code = |claims: Value, name: &str| {
            id_token_checks(&header, &claims, &ctx)
                .into_iter()
                .find(|c| c.name == name)
                .and_then(|c| c.code)
        };
        assert_eq!(code(json!({"iss":"https://evil","aud":"rp","sub":"u","exp":now+60,"iat":now,"nonce":"n-1"}), "iss").as_deref(), Some("iss_mismatch"), "an issuer other than the expected one fails iss (OIDC Core §3.1.3.7 (2))");
        assert_eq!(code(json!({"iss":"https://op","aud":"other","sub":"u","exp":now+60,"iat":now,"nonce":"n-1"}), "aud").as_deref(), Some("aud_mismatch"), "an aud without the client id fails aud (OIDC Core §3.1.3.7 (3))");
        assert_eq!(code(json!({"iss":"https://op","aud":"rp","sub":"u","exp":now-31,"iat":now-100,"nonce":"n-1"}), "exp").as_deref(), Some("expired"), "an exp past by more than the skew fails (OIDC Core §3.1.3.7 (9))");
        assert_eq!(code(json!({"iss":"https://op","aud":"rp","sub":"u","exp":now+600,"iat":now+300,"nonce":"n-1"}), "iat").as_deref(), Some("iat_future"), "an iat further ahead than the skew fails (OIDC Core §3.1.3.7 (10))");
        assert_eq!(
            code(
                json!({"iss":"https://op","aud":"rp","sub":"u","exp":now+60,"iat":now}),
                "nonce"
            )
            .as_deref(),
            Some("nonce_missing"),
            "a nonce was sent, so an ID token without one fails (OIDC Core §3.1.3.7 (11))"
        );
        assert_eq!(
            code(
                json!({"iss":"https://op","aud":"rp","sub":"u","exp":now+60,"iat":now,"nonce":"x"}),
                "nonce"
            )
            .as_deref(),
            Some("nonce_mismatch"),
            "a nonce other than the one sent fails (OIDC Core §3.1.3.7 (11))"
        );
        assert_eq!(code(json!({"iss":"https://op","aud":["rp","x"],"azp":"x","sub":"u","exp":now+60,"iat":now,"nonce":"n-1"}), "azp").as_deref(), Some("azp_mismatch"), "an azp other than the client id fails (OIDC Core §3.1.3.7 (5))");
        // Within the skew: an `exp` 20 s ago still passes with 30 s tolerance.
        assert_eq!(
            code(
                json!({"iss":"https://op","aud":"rp","sub":"u","exp":now-20,"iat":now-100,"nonce":"n-1"}),
                "exp"
            ),
            None,
            "an exp 20 s past is within the 30 s skew: no failure code"
        );
        let with_at = IdTokenContext {
            access_token: Some("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            ..ctx.clone()
        };
        let bad_at = json!({"iss":"https://op","aud":"rp","sub":"u","exp":now+60,"iat":now,"nonce":"n-1","at_hash":"AAAAAAAAAAAAAAAAAAAAAA"});
        let at = id_token_checks(&header, &bad_at, &with_at)
            .into_iter()
            .find(|c| c.name == "at_hash")
            .unwrap();
        assert_eq!(
            at.code.as_deref(),
            Some("at_hash_mismatch"),
            "an at_hash that does not match the access token fails (OIDC Core §3.1.3.6)"
        );
    }
}
