//! Token endpoint requests (RFC 6749 §3.2) for every grant, and tolerant parsing of the
//! response (§5.1): a server that sends `expires_in` as a string, omits `token_type`, answers
//! form-encoded or with an odd content type still works — and each deviation is recorded.

pub mod ciba;
pub mod ciba_notify;
pub mod device;
pub mod jwt_bearer;

use crate::client_auth::ClientAuth;
use crate::endpoint::{self, Deviation, Proof, error_from, parse_object};
use crate::error::Result;
use crate::http::{HttpClient, HttpResponse};
use crate::secret::{
    AccessToken, AuthorizationCode, IdToken, Password, PkceVerifier, RefreshToken, SubjectToken,
};
use crate::transcript::Transcript;
use url::Url;

/// A successful token response. Tokens are secret newtypes; everything else is metadata.
#[derive(Debug, Clone)]
pub struct TokenResponse {
    pub access_token: AccessToken,
    pub token_type: String,
    pub expires_in: Option<i64>,
    pub refresh_token: Option<RefreshToken>,
    pub id_token: Option<IdToken>,
    /// `scope` as sent; `None` means "same as requested" (RFC 6749 §5.1).
    pub scope: Option<String>,
    pub issued_token_type: Option<String>,
    /// What the server granted (RFC 9396 §7), when it said.
    pub authorization_details: Option<serde_json::Value>,
    pub deviations: Vec<Deviation>,
}

/// Sends a token request with client authentication and parses the answer.
pub async fn token_request(
    http: &HttpClient,
    transcript: &Transcript,
    step: &str,
    endpoint: &Url,
    auth: &ClientAuth,
    params: Vec<(String, String)>,
) -> Result<TokenResponse> {
    let resp =
        endpoint::send_form(http, transcript, step, endpoint, auth, params, Proof::Dpop).await?;
    parse_token_response(&resp)
}

pub fn parse_token_response(resp: &HttpResponse) -> Result<TokenResponse> {
    let parsed = parse_object(resp);
    if !resp.is_success() {
        return Err(error_from(resp, parsed.as_ref().ok().map(|o| &o.members)));
    }
    let endpoint::OAuthObject {
        members: object,
        mut deviations,
    } = parsed?;
    if object.contains_key("error") {
        deviations.push(Deviation::new(
            "error_with_success_status",
            "RFC 6749 §5.2",
            format!("error returned with HTTP {}", resp.status),
        ));
        return Err(error_from(resp, Some(&object)));
    }
    let text = |k: &str| object.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let access_token = text("access_token")
        .ok_or_else(|| resp.invalid("no access_token in the token response"))?;
    let token_type = match text("token_type") {
        Some(t) => {
            if t != "Bearer" && t.eq_ignore_ascii_case("bearer") {
                deviations.push(Deviation::new("token_type_casing", "RFC 6750 §4 / RFC 6749 §5.1", format!("token_type {t:?}; treated as Bearer (the value is case-insensitive, \"Bearer\" is canonical)")));
            }
            t
        }
        None => {
            deviations.push(Deviation::new(
                "token_type_missing",
                "RFC 6749 §5.1",
                "token_type is REQUIRED but missing; assumed Bearer",
            ));
            "Bearer".into()
        }
    };
    let expires_in = match object.get("expires_in") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(serde_json::Value::String(s)) => {
            let parsed = s.trim().parse::<i64>().ok();
            deviations.push(Deviation::new(
                "expires_in_string",
                "RFC 6749 §5.1",
                format!(
                    "expires_in sent as a string ({s:?}); {}",
                    if parsed.is_some() {
                        "parsed as a number"
                    } else {
                        "ignored: not a number"
                    }
                ),
            ));
            parsed
        }
        Some(other) => {
            deviations.push(Deviation::new(
                "expires_in_invalid",
                "RFC 6749 §5.1",
                format!("expires_in is {other}; ignored"),
            ));
            None
        }
    };
    let expires_in = expires_in.map(|e| plausible_lifetime(e, &mut deviations));
    let scope = match object.get("scope") {
        Some(serde_json::Value::Array(items)) => {
            deviations.push(Deviation::new(
                "scope_array",
                "RFC 6749 §3.3",
                "scope sent as a JSON array; joined with spaces",
            ));
            Some(
                items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
        Some(serde_json::Value::String(s)) if s.contains(',') && !s.contains(' ') => {
            deviations.push(Deviation::new(
                "scope_comma_separated",
                "RFC 6749 §3.3",
                "scope is comma-separated; split on commas",
            ));
            Some(s.replace(',', " "))
        }
        _ => text("scope"),
    };
    Ok(TokenResponse {
        access_token: AccessToken::new(access_token),
        token_type,
        expires_in,
        refresh_token: text("refresh_token").map(RefreshToken::new),
        id_token: text("id_token").map(IdToken::new),
        scope,
        issued_token_type: text("issued_token_type"),
        authorization_details: crate::rar::granted_from_token_response(&object, &mut deviations),
        deviations,
    })
}

/// The longest lifetime believed: a century. Beyond it `expires_in` is a server's mistake
/// (or an attack on our arithmetic), not an intent.
pub const MAX_LIFETIME_SECS: i64 = 100 * 365 * 86_400;

/// `expires_in` within 0 ..= [`MAX_LIFETIME_SECS`], with a deviation when it was outside.
fn plausible_lifetime(secs: i64, deviations: &mut Vec<Deviation>) -> i64 {
    if secs < 0 {
        deviations.push(Deviation::new(
            "expires_in_negative",
            "RFC 6749 §5.1",
            format!("expires_in is {secs}; treated as already expired"),
        ));
        return 0;
    }
    if secs > MAX_LIFETIME_SECS {
        deviations.push(Deviation::new(
            "expires_in_implausible",
            "RFC 6749 §5.1",
            format!("expires_in is {secs} s, more than a century; capped at {MAX_LIFETIME_SECS} s"),
        ));
        return MAX_LIFETIME_SECS;
    }
    secs
}

/// When a token issued at `now` with `expires_in` expires: never overflows.
pub fn expiry_at(now: i64, expires_in: Option<i64>) -> Option<i64> {
    expires_in.map(|e| now.saturating_add(e))
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// RFC 6749 §4.1.3 (+ RFC 7636 §4.5 `code_verifier`).
pub fn authorization_code_params(
    code: &AuthorizationCode,
    redirect_uri: &str,
    verifier: Option<&PkceVerifier>,
) -> Vec<(String, String)> {
    let mut p = pairs(&[
        ("grant_type", "authorization_code"),
        ("code", code.expose()),
        ("redirect_uri", redirect_uri),
    ]);
    if let Some(v) = verifier {
        p.push(("code_verifier".into(), v.expose().to_owned()));
    }
    p
}

/// RFC 6749 §6. `scope` empty keeps the original grant's scope.
pub fn refresh_params(refresh_token: &RefreshToken, scope: &str) -> Vec<(String, String)> {
    pairs(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.expose()),
        ("scope", scope),
    ])
}

/// The token types of RFC 8693 §3.
pub const TOKEN_TYPE_ACCESS: &str = "urn:ietf:params:oauth:token-type:access_token";
pub const TOKEN_TYPE_REFRESH: &str = "urn:ietf:params:oauth:token-type:refresh_token";
pub const TOKEN_TYPE_ID: &str = "urn:ietf:params:oauth:token-type:id_token";
pub const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

/// RFC 8693 §2.1: trade `subject` (and optionally an `actor`) for a new token.
pub fn token_exchange_params(
    subject: (&SubjectToken, &str),
    actor: Option<(&SubjectToken, &str)>,
    requested_token_type: Option<&str>,
    audience: Option<&str>,
    resource: Option<&str>,
    scope: &str,
) -> Vec<(String, String)> {
    let mut p = pairs(&[
        ("grant_type", TOKEN_EXCHANGE),
        ("subject_token", subject.0.expose()),
        ("subject_token_type", subject.1),
        ("scope", scope),
    ]);
    if let Some((token, kind)) = actor {
        p.push(("actor_token".into(), token.expose().to_owned()));
        p.push(("actor_token_type".into(), kind.to_owned()));
    }
    for (k, v) in [
        ("requested_token_type", requested_token_type),
        ("audience", audience),
        ("resource", resource),
    ] {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            p.push((k.into(), v.to_owned()));
        }
    }
    p
}

/// RFC 6749 §4.4.
pub fn client_credentials_params(scope: &str) -> Vec<(String, String)> {
    pairs(&[("grant_type", "client_credentials"), ("scope", scope)])
}

/// RFC 6749 §4.3 (legacy; OAuth 2.0 Security BCP §2.4 says it MUST NOT be used).
pub fn password_params(username: &str, password: &Password, scope: &str) -> Vec<(String, String)> {
    pairs(&[
        ("grant_type", "password"),
        ("username", username),
        ("password", password.expose()),
        ("scope", scope),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, ct: &str, body: &str) -> HttpResponse {
        HttpResponse {
            url: "https://as.example/token".into(),
            status,
            headers: vec![("content-type".into(), ct.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn tolerates_string_expiry_missing_type_and_lowercase_bearer() {
        let r = parse_token_response(&resp(
            200,
            "application/json",
            r#"{"access_token":"a","expires_in":"3600"}"#,
        ))
        .unwrap();
        assert_eq!(r.expires_in, Some(3600), "string expires_in parsed");
        assert_eq!(r.token_type, "Bearer", "missing token_type assumed Bearer");
        let codes: Vec<_> = r.deviations.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            ["token_type_missing", "expires_in_string"],
            "both deviations reported"
        );
        let r = parse_token_response(&resp(
            200,
            "application/json",
            r#"{"access_token":"a","token_type":"bearer","expires_in":60}"#,
        ))
        .unwrap();
        assert_eq!(
            r.deviations[0].code, "token_type_casing",
            "a lowercase bearer token_type is reported as a casing deviation"
        );
        assert!(
            r.scope.is_none(),
            "absent scope stays None (= as requested)"
        );
    }

    #[test]
    fn hostile_lifetimes_are_capped_and_reported() {
        for (body, want, code) in [
            (
                r#"{"access_token":"a","token_type":"Bearer","expires_in":1e30}"#,
                MAX_LIFETIME_SECS,
                "expires_in_implausible",
            ),
            (
                r#"{"access_token":"a","token_type":"Bearer","expires_in":9223372036854775807}"#,
                MAX_LIFETIME_SECS,
                "expires_in_implausible",
            ),
            (
                r#"{"access_token":"a","token_type":"Bearer","expires_in":-5}"#,
                0,
                "expires_in_negative",
            ),
        ] {
            let r = parse_token_response(&resp(200, "application/json", body))
                .expect("a hostile number is not an unreadable response");
            assert_eq!(r.expires_in, Some(want), "expires_in of {body} is bounded");
            assert!(
                r.deviations.iter().any(|d| d.code == code),
                "{body} is reported as {code}"
            );
        }
        assert_eq!(
            expiry_at(i64::MAX - 1, Some(MAX_LIFETIME_SECS)),
            Some(i64::MAX),
            "the expiry saturates instead of overflowing"
        );
    }

    #[test]
    fn form_encoded_and_comma_scopes() {
        let r = parse_token_response(&resp(
            200,
            "application/x-www-form-urlencoded",
            "access_token=gho_1&scope=repo%2Cgist&token_type=bearer",
        ))
        .unwrap();
        assert_eq!(
            r.access_token.expose(),
            "gho_1",
            "the access token is read from a form-encoded body"
        );
        assert_eq!(
            r.scope.as_deref(),
            Some("repo gist"),
            "comma-separated scopes split"
        );
        assert!(
            r.deviations
                .iter()
                .any(|d| d.code == "form_encoded_response"),
            "a form-encoded token response is reported as a deviation (RFC 6749 §5.1 says JSON)"
        );
    }

    #[test]
    fn errors_become_oauth_errors_even_with_200() {
        let e = parse_token_response(&resp(
            400,
            "application/json",
            r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#,
        ))
        .unwrap_err();
        assert_eq!(
            e.oauth().map(|o| o.error.as_str()),
            Some("invalid_grant"),
            "an error body with HTTP 400 becomes an OAuth error (RFC 6749 §5.2)"
        );
        let e = parse_token_response(&resp(
            200,
            "application/json",
            r#"{"error":"bad_verification_code"}"#,
        ))
        .unwrap_err();
        assert_eq!(
            e.oauth().map(|o| o.error.as_str()),
            Some("bad_verification_code"),
            "GitHub-style 200 errors are errors"
        );
        let e =
            parse_token_response(&resp(502, "text/html", "<html>Bad gateway</html>")).unwrap_err();
        assert!(
            e.to_string().contains("Bad gateway") && e.to_string().contains("502"),
            "non-OAuth error shows status and body: {e}"
        );
        let e = parse_token_response(&resp(200, "application/json", "{not json")).unwrap_err();
        assert!(
            e.to_string().contains("not JSON"),
            "malformed JSON named: {e}"
        );
    }

    #[test]
    fn code_params_include_verifier_not_empty_values() {
        let p = authorization_code_params(
            &AuthorizationCode::new("c"),
            "http://127.0.0.1:1/cb",
            Some(&PkceVerifier::new("v")),
        );
        assert!(
            p.contains(&("code_verifier".into(), "v".into())),
            "the PKCE verifier is sent in the token request (RFC 7636 §4.5)"
        );
        assert!(
            refresh_params(&RefreshToken::new("r"), "")
                .iter()
                .all(|(k, _)| k != "scope"),
            "empty scope omitted"
        );
    }
}
