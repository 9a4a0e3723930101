//! JWT access tokens, RFC 9068: the `typ` `at+jwt` profile (§2.1), its required claims
//! `iss`, `aud`, `client_id`, `jti`, `sub`, the times (§2.2) and `scope` (§2.2.3), validated
//! as §4 says. To a client an access token is opaque (RFC 6749 §1.4), so a JWT without the
//! profile gets the same checks as warnings.

use super::Check;
use super::jwt::{audiences, iss_check, time_checks};
use serde_json::Value;

/// What the client knows when it checks a JWT access token (RFC 9068).
#[derive(Debug, Clone, Default)]
pub struct AccessTokenContext<'a> {
    pub issuer: Option<&'a str>,
    pub client_id: Option<&'a str>,
    /// The `resource` / `audience` the token was requested for, if any.
    pub resource: Option<&'a str>,
    pub now: i64,
    pub skew: i64,
}

/// Whether the header declares the RFC 9068 profile (`typ` `at+jwt`).
pub fn is_rfc9068(header: &Value) -> bool {
    header.get("typ").and_then(Value::as_str).is_some_and(|t| {
        t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt")
    })
}

/// RFC 9068 §4 checks. A JWT access token without `typ: at+jwt` is the provider's own format:
/// to the client an access token is opaque (RFC 6749 §1.4), so its checks are advisory (warn).
pub fn access_token_checks(
    header: &Value,
    claims: &Value,
    ctx: &AccessTokenContext<'_>,
) -> Vec<Check> {
    const S: &str = "RFC 9068 §2.2";
    let profile = is_rfc9068(header);
    let mut checks = Vec::new();
    let typ = header.get("typ").and_then(Value::as_str);
    if profile {
        checks.push(Check::pass(
            "typ",
            "RFC 9068 §2.1",
            format!("typ is {}", typ.unwrap_or("")),
        ));
    } else {
        checks.push(Check::warn(
            "typ",
            "not_rfc9068",
            "RFC 9068 §2.1",
            format!(
                "typ is {}, not at+jwt: a provider-specific JWT, so these checks are advisory",
                typ.unwrap_or("absent")
            ),
        ));
    }
    let mut rest = Vec::new();
    iss_check(claims, ctx.issuer, "RFC 9068 §4", &mut rest);
    let aud = audiences(claims);
    match ctx.resource {
        _ if aud.is_empty() => rest.push(Check::fail(
            "aud",
            "claim_missing",
            S,
            "no `aud` claim: RFC 9068 requires the resource server's identifier",
        )),
        Some(r) if !aud.iter().any(|a| a == r) => rest.push(Check::fail(
            "aud",
            "aud_mismatch",
            "RFC 9068 §4",
            format!(
                "audience {} does not include the requested resource {r}",
                aud.join(", ")
            ),
        )),
        _ => rest.push(Check::pass(
            "aud",
            S,
            format!("audience {}", aud.join(", ")),
        )),
    }
    match (
        claims.get("client_id").and_then(Value::as_str),
        ctx.client_id,
    ) {
        (None, _) => rest.push(Check::fail(
            "client_id",
            "claim_missing",
            S,
            "no `client_id` claim",
        )),
        (Some(got), Some(want)) if got != want => rest.push(Check::fail(
            "client_id",
            "client_id_mismatch",
            S,
            format!("issued to client {got}, not {want}"),
        )),
        (Some(got), _) => rest.push(Check::pass(
            "client_id",
            S,
            format!("issued to client {got}"),
        )),
    }
    match claims.get("jti").and_then(Value::as_str) {
        Some(j) if !j.is_empty() => rest.push(Check::pass("jti", S, "has a unique identifier")),
        _ => rest.push(Check::fail("jti", "claim_missing", S, "no `jti` claim")),
    }
    match claims.get("sub").and_then(Value::as_str) {
        Some(s) => rest.push(Check::pass("sub", S, format!("subject {s}"))),
        None => rest.push(Check::fail("sub", "claim_missing", S, "no `sub` claim")),
    }
    match (claims.get("scope"), claims.get("scp")) {
        (Some(Value::String(s)), _) => rest.push(Check::pass(
            "scope",
            "RFC 9068 §2.2.3",
            format!("scope {s}"),
        )),
        (_, Some(v)) => rest.push(Check::warn(
            "scope",
            "scp_instead_of_scope",
            "RFC 9068 §2.2.3",
            format!("scopes are in `scp` ({v}) rather than RFC 9068's `scope`"),
        )),
        _ => rest.push(Check::warn(
            "scope",
            "scope_absent",
            "RFC 9068 §2.2.3",
            "no `scope` claim",
        )),
    }
    time_checks(claims, ctx.now, ctx.skew, S, &mut rest, true);
    checks.extend(
        rest.into_iter()
            .map(|c| if profile { c } else { c.soften() }),
    );
    checks
}

/// Scopes of a JWT access token: `scope` (space-separated) or `scp` (array or string).
pub fn token_scopes(claims: &Value) -> Option<Vec<String>> {
    let split = |s: &str| {
        s.split([' ', ','])
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    match (claims.get("scope"), claims.get("scp")) {
        (Some(Value::String(s)), _) => Some(split(s)),
        (Some(Value::Array(a)), _) | (_, Some(Value::Array(a))) => Some(
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        (_, Some(Value::String(s))) => Some(split(s)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc9068_checks_are_strict_only_for_at_jwt() {
        let now = 1_700_000_000;
        let ctx = AccessTokenContext {
            issuer: Some("https://op"),
            client_id: Some("rp"),
            resource: None,
            now,
            skew: 0,
        };
        let claims = json!({"iss":"https://op","aud":"api","client_id":"other","sub":"u","exp":now+60,"iat":now,"jti":"1","scope":"a b"});
        let strict = access_token_checks(&json!({"alg":"RS256","typ":"at+jwt"}), &claims, &ctx);
        assert!(
            strict.iter().any(|c| c.name == "client_id" && c.failed()),
            "with typ at+jwt, a token issued to another client fails the client_id check"
        );
        let loose = access_token_checks(&json!({"alg":"RS256","typ":"JWT"}), &claims, &ctx);
        assert!(
            loose.iter().all(|c| !c.failed()),
            "provider-specific JWTs get warnings, not failures"
        );
        assert_eq!(
            token_scopes(&json!({"scp":["a","b"]})),
            Some(vec!["a".to_string(), "b".to_string()]),
            "scopes in an `scp` array are read as the token's scopes"
        );
    }
}
