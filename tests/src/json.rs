//! Reading the CLI's `--json` answers: each lookup is a check of its own, and fails showing the
//! value it looked in (so a missing check, token or exchange says what was there instead).

use serde_json::Value;

/// The elements of a JSON array; `what` names it in the failure.
#[track_caller]
pub fn array<'a>(v: &'a Value, what: &str) -> &'a [Value] {
    match v.as_array() {
        Some(a) => a,
        None => panic!("{what} is a JSON array: {v}"),
    }
}

/// A string field; `what` names it in the failure.
#[track_caller]
pub fn str<'a>(v: &'a Value, what: &str) -> &'a str {
    match v.as_str() {
        Some(s) => s,
        None => panic!("{what} is a string: {v}"),
    }
}

/// The check called `name` in a list of checks (`findings.checks`, a token's `checks`).
#[track_caller]
pub fn check<'a>(checks: &'a Value, name: &str) -> &'a Value {
    match checks
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == name))
    {
        Some(c) => c,
        None => panic!("no {name} check in {checks}"),
    }
}

/// Every check appears once in a list of checks.
#[track_caller]
pub fn assert_unique_names(checks: &Value) {
    let names: Vec<&str> = array(checks, "the checks")
        .iter()
        .map(|c| str(&c["name"], "a check's name"))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "each check once: {names:?}");
}

/// The token of kind `kind` (`access_token`, `id_token`, `refresh_token`) in an `inspect --json`.
#[track_caller]
pub fn token<'a>(inspection: &'a Value, kind: &str) -> &'a Value {
    match inspection["tokens"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["token"] == kind))
    {
        Some(t) => t,
        None => panic!("the inspection has an {kind}: {inspection}"),
    }
}

/// The exchange with step `step` in one flow of `log --json`.
#[track_caller]
pub fn exchange<'a>(flow: &'a Value, step: &str) -> &'a Value {
    match flow["exchanges"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["step"] == step))
    {
        Some(e) => e,
        None => panic!("the transcript has a {step:?} exchange: {flow}"),
    }
}

/// The steps of one flow of `log --json`, in order.
#[track_caller]
pub fn steps(flow: &Value) -> Vec<&str> {
    array(&flow["exchanges"], "the flow's exchanges")
        .iter()
        .map(|e| str(&e["step"], "an exchange's step"))
        .collect()
}

/// The claims of a JWT, decoded without verification (for reading `aud`, `acr`, …).
#[track_caller]
pub fn jwt_claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap_or("");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("the token is a JWT: {token}"))
}
