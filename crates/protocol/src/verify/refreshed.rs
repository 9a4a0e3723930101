//! An ID token that arrives with a refresh (OIDC Core §12.2) must describe the same login as
//! the original: the same `iss`, `sub` and `aud`, an `auth_time` equal to the original's when
//! present, a new `iat`, and no different `nonce`. Its signature is checked like a login's.

use super::Check;
use super::jwt::{audiences, num};
use serde_json::Value;

const SPEC: &str = "OIDC Core §12.2";

/// The §12.2 comparisons of a refreshed ID token's claims with the original's.
pub fn refreshed_id_token_checks(original: &Value, refreshed: &Value) -> Vec<Check> {
    let mut checks = Vec::new();
    for name in ["iss", "sub"] {
        let (was, now) = (
            original.get(name).and_then(Value::as_str),
            refreshed.get(name).and_then(Value::as_str),
        );
        checks.push(match (was, now) {
            (Some(a), Some(b)) if a == b => {
                Check::pass(name, SPEC, format!("{name} unchanged ({b})"))
            }
            (_, None) => Check::fail(
                name,
                "claim_missing",
                SPEC,
                format!("the refreshed ID token has no `{name}`"),
            ),
            (a, Some(b)) => Check::fail(
                name,
                "changed_on_refresh",
                SPEC,
                format!(
                    "`{name}` is {b:?}, the original login's was {a:?}: it describes another login"
                ),
            ),
        });
    }
    let (mut was, mut now) = (audiences(original), audiences(refreshed));
    was.sort();
    now.sort();
    checks.push(if was == now && !now.is_empty() {
        Check::pass("aud", SPEC, format!("aud unchanged ({})", now.join(", ")))
    } else {
        Check::fail(
            "aud",
            "changed_on_refresh",
            SPEC,
            format!(
                "aud is [{}], the original's was [{}]",
                now.join(", "),
                was.join(", ")
            ),
        )
    });
    match (num(original, "auth_time"), num(refreshed, "auth_time")) {
        (_, None) => checks.push(Check::not_applicable("auth_time", SPEC, "no `auth_time` in the refreshed ID token")),
        (Some(a), Some(b)) if a == b => checks.push(Check::pass("auth_time", SPEC, "auth_time is the original login's")),
        (a, Some(b)) => checks.push(Check::fail(
            "auth_time",
            "changed_on_refresh",
            SPEC,
            format!("auth_time is {b}, the original login's was {a:?}: a refresh is not a new authentication"),
        )),
    }
    match (num(original, "iat"), num(refreshed, "iat")) {
        (Some(a), Some(b)) if b < a => checks.push(Check::fail(
            "iat",
            "iat_not_new",
            SPEC,
            format!(
                "iat {b} is before the original's {a}: iat must be when the new ID token was issued"
            ),
        )),
        (_, None) => checks.push(Check::fail(
            "iat",
            "claim_missing",
            SPEC,
            "the refreshed ID token has no `iat`",
        )),
        _ => checks.push(Check::pass("iat", SPEC, "iat is the time of the refresh")),
    }
    match (
        original.get("nonce").and_then(Value::as_str),
        refreshed.get("nonce").and_then(Value::as_str),
    ) {
        (_, None) => checks.push(Check::pass("nonce", SPEC, "no nonce, as §12.2 advises")),
        (Some(a), Some(b)) if a == b => {
            checks.push(Check::pass("nonce", SPEC, "the original login's nonce"))
        }
        (_, Some(_)) => checks.push(Check::fail(
            "nonce",
            "nonce_mismatch",
            SPEC,
            "the refreshed ID token carries a nonce other than the original login's",
        )),
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn failed(original: Value, refreshed: Value) -> Vec<String> {
        refreshed_id_token_checks(&original, &refreshed)
            .into_iter()
            .filter(|c| c.failed())
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn a_refreshed_id_token_must_describe_the_same_login() {
        let original =
            json!({"iss":"https://op","sub":"u","aud":"rp","iat":100,"auth_time":90,"nonce":"n"});
        assert!(
            failed(
                original.clone(),
                json!({"iss":"https://op","sub":"u","aud":["rp"],"iat":200,"auth_time":90})
            )
            .is_empty(),
            "same iss, sub, aud and auth_time with a newer iat passes"
        );
        assert_eq!(
            failed(
                original.clone(),
                json!({"iss":"https://op","sub":"other","aud":"rp","iat":200})
            ),
            ["sub"],
            "another subject is refused"
        );
        assert_eq!(
            failed(
                original.clone(),
                json!({"iss":"https://evil","sub":"u","aud":"x","iat":200})
            ),
            ["iss", "aud"],
            "another issuer and audience are refused"
        );
        assert_eq!(
            failed(
                original,
                json!({"iss":"https://op","sub":"u","aud":"rp","iat":50,"auth_time":95,"nonce":"m"})
            ),
            ["auth_time", "iat", "nonce"],
            "a new auth_time, an older iat and another nonce are refused"
        );
    }
}
