//! JWT Secured Authorization Response Mode (JARM, OpenID Financial-grade API, 2022): the
//! authorization response's parameters signed by the issuer into one JWT, the `response`
//! parameter, delivered by `query.jwt`, `fragment.jwt` or `form_post.jwt` (§2.3; `jwt` is the
//! response type's default, query for `code`). Before anything in it is used the client checks,
//! per §2.4: that it is not encrypted (OAuth Desk holds no decryption key), its `alg`
//! (`authorization_signed_response_alg`, RS256 by default, §3), its signature against the
//! issuer's keys, `iss`, `aud` (this client) and `exp`. Only then do `code`, `state` and `iss`
//! come from its claims — and `state` is still compared with the one sent.

use crate::jose::{self, DecodedJwt};
use crate::verify::{Check, relative};
use serde_json::Value;

const SPEC: &str = "JARM §2.4";

/// The response modes that carry a JWT (JARM §2.3).
pub const JWT_MODES: &[&str] = &["jwt", "query.jwt", "fragment.jwt", "form_post.jwt"];

/// Every response mode OAuth Desk's loopback listener receives: `query` (the default for
/// `code`), `fragment` (through the listener's relay page), `form_post` (OAuth 2.0 Form Post
/// Response Mode: a POST to the redirect URI), and the JWT modes.
pub const MODES: &[&str] = &[
    "query",
    "fragment",
    "form_post",
    "jwt",
    "query.jwt",
    "fragment.jwt",
    "form_post.jwt",
];

pub fn is_jwt_mode(mode: &str) -> bool {
    JWT_MODES.contains(&mode)
}

/// The response arrives in the fragment: the listener serves its relay page first.
pub fn in_fragment(mode: &str) -> bool {
    matches!(mode, "fragment" | "fragment.jwt")
}

/// The `alg` JARM expects when neither the client nor the server names one (§3).
pub const DEFAULT_ALG: &str = "RS256";

/// What the client knows when it checks a response JWT.
#[derive(Debug, Clone)]
pub struct JarmContext<'a> {
    pub issuer: Option<&'a str>,
    pub client_id: &'a str,
    /// Accepted algorithms and where that came from (the server's
    /// `authorization_signing_alg_values_supported`, or JARM's default RS256).
    pub expected_algs: Vec<String>,
    pub expected_algs_origin: &'a str,
    pub now: i64,
    pub skew: i64,
}

/// The `response` JWT's shape: a compact JWS that decodes, or the failed check saying why not.
/// An encrypted (five-part) response is refused in words.
pub fn shape(response: &str) -> Result<DecodedJwt, Check> {
    let parts = response.trim().split('.').count();
    if parts == 5 {
        return Err(Check::fail(
            "format",
            "encrypted",
            "JARM §2.2",
            "the response is encrypted (JWE, five parts): OAuth Desk holds no key to decrypt it; register the client without authorization_encrypted_response_alg",
        ));
    }
    match jose::decode(response) {
        Some(d) if parts == 3 && d.claims.is_some() => Ok(d),
        _ => Err(Check::fail(
            "format",
            "malformed",
            "JARM §2.1",
            "the `response` parameter is not a signed JWT (three base64url parts with JSON claims)",
        )),
    }
}

/// The checks of JARM §2.4 over a decoded response, with its `signature` check (made against
/// the issuer's keys by the caller), each reported on its own.
pub fn checks(decoded: &DecodedJwt, signature: Check, ctx: &JarmContext<'_>) -> Vec<Check> {
    let mut out = vec![Check::pass("format", "JARM §2.1", "a signed JWT (JWS)")];
    let alg = decoded
        .header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or("");
    out.push(if ctx.expected_algs.iter().any(|a| a == alg) {
        Check::pass(
            "alg",
            "JARM §3",
            format!("{alg} is {}", ctx.expected_algs_origin),
        )
    } else {
        Check::fail(
            "alg",
            "alg_unexpected",
            "JARM §3",
            format!(
                "signed with {:?}, but {} is {}",
                alg,
                ctx.expected_algs.join(", "),
                ctx.expected_algs_origin
            ),
        )
    });
    out.push(signature);
    let empty = Value::Null;
    let claims = decoded.claims.as_ref().unwrap_or(&empty);
    let iss = claims.get("iss").and_then(Value::as_str);
    out.push(match (iss, ctx.issuer) {
        (None, _) => Check::fail(
            "iss",
            "claim_missing",
            SPEC,
            "no `iss` claim: the response does not say who issued it",
        ),
        (Some(iss), None) => Check::fail(
            "iss",
            "issuer_unknown",
            SPEC,
            format!("issued by {iss}, but this client has no issuer to compare with"),
        ),
        (Some(iss), Some(want)) if iss == want => {
            Check::pass("iss", SPEC, format!("issuer is {iss}"))
        }
        (Some(iss), Some(want)) => Check::fail(
            "iss",
            "iss_mismatch",
            SPEC,
            format!("issuer is {iss}, expected exactly {want}: a mix-up or a forged response"),
        ),
    });
    let aud: Vec<&str> = match claims.get("aud") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    out.push(if aud.is_empty() {
        Check::fail("aud", "claim_missing", SPEC, "no `aud` claim")
    } else if aud.contains(&ctx.client_id) {
        Check::pass(
            "aud",
            SPEC,
            format!("audience is this client ({})", ctx.client_id),
        )
    } else {
        Check::fail(
            "aud",
            "aud_mismatch",
            SPEC,
            format!(
                "audience {} does not include this client ({}): the response was made for someone else",
                aud.join(", "),
                ctx.client_id
            ),
        )
    });
    out.push(match claims.get("exp") {
        None => Check::fail(
            "exp",
            "claim_missing",
            "JARM §2.1",
            "no `exp` claim: the response never says when it stops being valid",
        ),
        Some(v) => match v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)) {
            None => Check::fail(
                "exp",
                "claim_invalid",
                "JARM §2.1",
                "`exp` is not a number (NumericDate, RFC 7519 §2)",
            ),
            Some(exp) if ctx.now.saturating_sub(ctx.skew) >= exp => Check::fail(
                "exp",
                "expired",
                SPEC,
                format!(
                    "expired {} (clock-skew tolerance {} s): a stale or replayed response",
                    relative(exp.saturating_sub(ctx.now)),
                    ctx.skew
                ),
            ),
            Some(exp) => Check::pass(
                "exp",
                SPEC,
                format!("expires {}", relative(exp.saturating_sub(ctx.now))),
            ),
        },
    });
    out
}

/// The authorization response's parameters from the JWT's claims (JARM §2.1): its string
/// members (`code`, `state`, `iss`, `error`, `error_description`…), for the usual callback
/// checks. Numbers (`exp`) and the audience are not response parameters.
pub fn params_of(claims: &Value) -> Vec<(String, String)> {
    claims
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| k.as_str() != "aud")
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// The response as the timeline shows it: header, claims (the code redacted, as in every
/// transcript) and each check (name, status, code, reason, spec), as the ID token's are shown.
pub fn transcript_body(decoded: Option<&DecodedJwt>, checks: &[Check]) -> String {
    // Only the claims are redacted: a check's `code` member names a failure, not a secret.
    let claims = decoded.and_then(|d| d.claims.as_ref()).map(|c| {
        serde_json::from_str::<Value>(&crate::transcript::redact_body(&c.to_string()))
            .unwrap_or(Value::Null)
    });
    serde_json::json!({
        "header": decoded.map(|d| d.header.clone()),
        "claims": claims,
        "checks": checks,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::CheckStatus;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    fn jwt(header: Value, claims: Value) -> String {
        let enc = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.c2ln", enc(&header), enc(&claims))
    }

    fn ctx() -> JarmContext<'static> {
        JarmContext {
            issuer: Some("https://as.example"),
            client_id: "cid",
            expected_algs: vec!["RS256".into(), "ES256".into()],
            expected_algs_origin: "the server's authorization_signing_alg_values_supported",
            now: NOW,
            skew: 60,
        }
    }

    fn good() -> Value {
        json!({"iss": "https://as.example", "aud": "cid", "exp": NOW + 300, "code": "c1", "state": "s1"})
    }

    fn failed(claims: Value) -> Vec<(String, Option<String>)> {
        let d = shape(&jwt(json!({"alg": "RS256"}), claims)).unwrap();
        let sig = Check::pass("signature", "RFC 7515 §5.2", "ok");
        checks(&d, sig, &ctx())
            .into_iter()
            .filter(Check::failed)
            .map(|c| (c.name, c.code))
            .collect()
    }

    #[test]
    fn a_good_response_passes_every_check_and_gives_its_parameters() {
        assert!(
            failed(good()).is_empty(),
            "a response from the issuer to this client, unexpired, passes"
        );
        let params = params_of(&good());
        assert!(
            params.contains(&("code".into(), "c1".into()))
                && params.contains(&("state".into(), "s1".into()))
                && params.contains(&("iss".into(), "https://as.example".into())),
            "code, state and iss come from the claims: {params:?}"
        );
        assert!(
            !params.iter().any(|(k, _)| k == "aud" || k == "exp"),
            "aud and exp are no response parameters"
        );
    }

    #[test]
    fn an_error_inside_the_jwt_is_explained_after_its_state_is_checked() {
        let claims = json!({"iss": "https://as.example", "aud": "cid", "exp": NOW + 300,
            "error": "access_denied", "error_description": "the user said no", "state": "s1"});
        let expect = crate::loopback::CallbackExpectation {
            state: "s1".into(),
            issuer: Some("https://as.example".into()),
            iss_required: true,
            fragment: false,
            logout: false,
            jarm: false,
        };
        let err = crate::loopback::check(&params_of(&claims), &expect).unwrap_err();
        assert_eq!(
            err.oauth()
                .map(|e| (e.error.as_str(), e.error_description.as_deref())),
            Some(("access_denied", Some("the user said no"))),
            "an error response inside the JWT is the server's OAuth error, explained as usual"
        );
        let forged = json!({"iss": "https://as.example", "error": "access_denied", "state": "zz"});
        assert!(
            matches!(
                crate::loopback::check(&params_of(&forged), &expect),
                Err(crate::ProtocolError::StateMismatch)
            ),
            "the state inside the JWT is still compared with the one sent"
        );
    }

    #[test]
    fn each_defect_is_named() {
        let with = |k: &str, v: Value| {
            let mut c = good();
            c[k] = v;
            c
        };
        assert_eq!(
            failed(with("aud", json!("someone-else"))),
            [("aud".into(), Some("aud_mismatch".into()))],
            "a response for another client is refused by its aud"
        );
        assert_eq!(
            failed(with("iss", json!("https://evil.example"))),
            [("iss".into(), Some("iss_mismatch".into()))],
            "a response from another issuer is refused by its iss"
        );
        assert_eq!(
            failed(with("exp", json!(NOW - 600))),
            [("exp".into(), Some("expired".into()))],
            "an expired response is refused"
        );
        assert_eq!(
            failed(with("exp", json!(i64::MIN))),
            [("exp".into(), Some("expired".into()))],
            "an exp of i64::MIN does not overflow"
        );
        let mut no_exp = good();
        no_exp.as_object_mut().unwrap().remove("exp");
        assert_eq!(
            failed(no_exp),
            [("exp".into(), Some("claim_missing".into()))],
            "exp is required"
        );
        let d = shape(&jwt(json!({"alg": "HS256"}), good())).unwrap();
        let sig = Check::pass("signature", "RFC 7515 §5.2", "ok");
        let alg = checks(&d, sig, &ctx());
        assert_eq!(
            alg[1].code.as_deref(),
            Some("alg_unexpected"),
            "an alg outside the expected ones is refused: {alg:?}"
        );
        let bad_sig = Check::fail("signature", "bad_signature", "RFC 7515 §5.2", "no");
        let d = shape(&jwt(json!({"alg": "RS256"}), good())).unwrap();
        assert!(
            checks(&d, bad_sig, &ctx())
                .iter()
                .any(|c| c.name == "signature" && c.failed()),
            "the caller's signature check is part of the verdict"
        );
    }

    #[test]
    fn encrypted_and_malformed_responses_are_refused_in_words() {
        let e = shape("a.b.c.d.e").unwrap_err();
        assert_eq!(
            (e.code.as_deref(), e.status),
            (Some("encrypted"), CheckStatus::Fail),
            "a JWE response is refused"
        );
        assert!(e.reason.contains("decrypt"), "and says why: {}", e.reason);
        assert_eq!(
            shape("not-a-jwt").unwrap_err().code.as_deref(),
            Some("malformed"),
            "garbage is malformed"
        );
    }

    #[test]
    fn the_response_parameter_is_redacted_in_transcripts() {
        let response = jwt(json!({"alg": "RS256"}), good());
        let url = format!("http://127.0.0.1:5000/callback?response={response}");
        let red = crate::transcript::redact_url(&url);
        assert!(
            !red.contains(&response) && red.contains("response=[redacted]"),
            "the response JWT carries the code: the callback URL in the transcript redacts it: {red}"
        );
        let form = crate::transcript::redact_form(&format!("response={response}"));
        assert!(
            !form.contains(&response),
            "a form_post.jwt body redacts it too: {form}"
        );
    }

    #[test]
    fn the_timeline_body_redacts_the_code() {
        let d = shape(&jwt(json!({"alg": "RS256"}), good())).unwrap();
        let body = transcript_body(
            Some(&d),
            &[
                Check::pass("iss", SPEC, "issuer is https://as.example"),
                Check::fail("aud", "aud_mismatch", SPEC, "someone else's"),
            ],
        );
        assert!(
            body.contains(r#""code":"aud_mismatch""#),
            "a check's failure code is shown, not mistaken for a secret: {body}"
        );
        assert!(
            !body.contains("\"c1\""),
            "the code inside the response is redacted: {body}"
        );
        assert!(
            body.contains(r#""name":"iss""#) && body.contains("\"s1\""),
            "checks and the other claims are shown: {body}"
        );
        assert!(
            is_jwt_mode("form_post.jwt") && !is_jwt_mode("form_post"),
            "form_post.jwt carries a JWT, plain form_post does not"
        );
        assert!(
            in_fragment("fragment.jwt") && !in_fragment("jwt"),
            "only the fragment modes need the relay page (jwt means query.jwt for code)"
        );
    }
}
