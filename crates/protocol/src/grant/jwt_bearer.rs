//! The JWT bearer authorization grant (RFC 7523 §2.1): `grant_type=urn:ietf:params:oauth:
//! grant-type:jwt-bearer&assertion=<JWT>` (with `scope`), the grant enterprise access uses
//! after a token exchange (an identity provider's assertion traded at another server). The
//! assertion is given (piped in), or made here and signed with the client's own key (ES256,
//! `private_key_jwt`'s key) or secret (HS256) with the claims RFC 7523 §3 asks for: `iss`,
//! `sub`, `aud` (the token endpoint), `exp`, `iat`, `jti`, plus any given claims, which win.
//!
//! The assertion is an [`Assertion`] secret: redacted in the transcript (`assertion` is a
//! secret parameter name) and never stored.

use crate::client_auth::{ClientAuth, Credential};
use crate::error::{ProtocolError, Result};
use crate::keys::{Signer, sign_jwt};
use crate::secret::Assertion;
use serde_json::{Map, Value};

pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// Longest assertion accepted (a JWT with a large `x5c` chain fits).
pub const MAX_ASSERTION: usize = 64 * 1024;
/// Lifetime of an assertion made here: short, as RFC 7523 §3 item 4 advises ("the
/// authorization server may reject JWTs with an exp claim value that is unreasonably far in
/// the future").
pub const ASSERTION_LIFETIME_SECS: u64 = 300;

/// A given assertion, checked for shape only (the server verifies it): a compact JWS (three
/// parts) or JWE (five), at most [`MAX_ASSERTION`] bytes, no whitespace inside.
pub fn given(text: &str) -> Result<Assertion> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ProtocolError::Assertion("the assertion is empty".into()));
    }
    if t.len() > MAX_ASSERTION {
        return Err(ProtocolError::Assertion(format!(
            "the assertion is {} bytes, more than the {MAX_ASSERTION} accepted",
            t.len()
        )));
    }
    let parts = t.split('.').count();
    let url_safe = t
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'='));
    if !url_safe || !(parts == 3 || parts == 5) {
        return Err(ProtocolError::Assertion(
            "it is not a JWT: RFC 7523 §2.1 wants a single JWT in compact form (three base64url parts, or five for an encrypted one)".into(),
        ));
    }
    Ok(Assertion::new(t))
}

/// Claims given for a self-signed assertion: a JSON object, or nothing.
pub fn parse_claims(text: Option<&str>) -> Result<Map<String, Value>> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Map::new());
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ProtocolError::Assertion(
            "the assertion claims must be a JSON object, e.g. {\"sub\":\"alice\"}".into(),
        )),
        Err(e) => Err(ProtocolError::Assertion(format!(
            "the assertion claims are not JSON ({e})"
        ))),
    }
}

/// An assertion signed with the client's own credential: ES256 with its private key, HS256
/// with its secret. `iss` and `sub` are the client ID unless `extra` says otherwise.
pub fn self_signed(
    auth: &ClientAuth,
    audience: &str,
    extra: &Map<String, Value>,
    now: u64,
) -> Result<Assertion> {
    let signer = match &auth.credential {
        Some(Credential::PrivateKey(key)) => Signer::Es256(key),
        Some(Credential::Secret(secret)) => Signer::Secret(secret),
        None => {
            return Err(ProtocolError::Assertion(
                "the client has no key or secret to sign an assertion with: give one (private_key_jwt's key signs ES256, a client secret HS256), or pipe in an assertion".into(),
            ));
        }
    };
    let mut claims = Map::new();
    claims.insert("iss".into(), Value::from(auth.client_id.clone()));
    claims.insert("sub".into(), Value::from(auth.client_id.clone()));
    claims.insert("aud".into(), Value::from(audience));
    claims.insert("iat".into(), Value::from(now));
    claims.insert(
        "exp".into(),
        Value::from(now.saturating_add(ASSERTION_LIFETIME_SECS)),
    );
    claims.insert("jti".into(), Value::from(crate::random::token()));
    for (k, v) in extra {
        claims.insert(k.clone(), v.clone());
    }
    for required in ["iss", "sub", "aud", "exp"] {
        if claims.get(required).is_none_or(Value::is_null) {
            return Err(ProtocolError::Assertion(format!(
                "the claim {required} is required (RFC 7523 §3) and cannot be null"
            )));
        }
    }
    let jwt = sign_jwt(
        &signer,
        jsonwebtoken::Header::default(),
        &Value::Object(claims),
    )
    .map_err(|e| ProtocolError::Assertion(e.to_string()))?;
    Ok(Assertion::new(jwt))
}

/// The token request of RFC 7523 §2.1.
pub fn params(assertion: &Assertion, scope: &str) -> Vec<(String, String)> {
    let mut p = vec![
        ("grant_type".to_owned(), GRANT_TYPE.to_owned()),
        ("assertion".to_owned(), assertion.expose().to_owned()),
    ];
    if !scope.is_empty() {
        p.push(("scope".into(), scope.into()));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client_auth::AuthMethod;
    use crate::secret::ClientSecret;

    fn auth(credential: Option<Credential>) -> ClientAuth {
        ClientAuth {
            client_id: "desk".into(),
            method: AuthMethod::ClientSecretBasic,
            credential,
            client_id_in_body: false,
            audience: None,
            dpop: None,
        }
    }

    #[test]
    fn a_self_signed_assertion_has_the_rfc7523_claims_and_the_given_ones() {
        let secret = ClientSecret::new("0123456789abcdef0123456789abcdef");
        let extra = parse_claims(Some(r#"{"sub":"alice","tenant":"t1"}"#)).unwrap();
        let a = self_signed(
            &auth(Some(Credential::Secret(secret))),
            "https://as/token",
            &extra,
            1000,
        )
        .unwrap();
        let decoded = crate::jose::decode(a.expose()).expect("a JWT");
        let c = decoded.claims.expect("claims");
        assert_eq!(c["iss"], "desk", "iss is the client");
        assert_eq!(c["sub"], "alice", "a given sub wins");
        assert_eq!(c["aud"], "https://as/token", "aud is the token endpoint");
        assert_eq!(
            (c["iat"].as_u64(), c["exp"].as_u64()),
            (Some(1000), Some(1300)),
            "iat now, exp 5 minutes on"
        );
        assert!(
            c["jti"].as_str().is_some_and(|j| !j.is_empty()),
            "a jti is set"
        );
        assert_eq!(c["tenant"], "t1", "given claims are added");
        assert_eq!(decoded.header["alg"], "HS256", "a secret signs HS256");
        assert!(
            self_signed(&auth(None), "a", &Map::new(), 0).is_err(),
            "without a key or secret there is nothing to sign with"
        );
        let null_sub = parse_claims(Some(r#"{"sub":null}"#)).unwrap();
        assert!(
            self_signed(
                &auth(Some(Credential::Secret(ClientSecret::new("s")))),
                "a",
                &null_sub,
                0
            )
            .is_err(),
            "a null required claim is refused"
        );
    }

    #[test]
    fn given_assertions_are_checked_for_shape_and_redacted() {
        assert!(
            given(" a.b.c \n").is_ok(),
            "a compact JWS is taken (trimmed)"
        );
        assert!(given("a.b.c.d.e").is_ok(), "a compact JWE is taken");
        assert!(given("not a jwt").is_err(), "text with spaces is refused");
        assert!(given("a.b").is_err(), "two parts are refused");
        assert!(
            given(&"a.".repeat(MAX_ASSERTION)).is_err(),
            "an oversized assertion is refused"
        );
        assert!(
            parse_claims(Some("[1]")).is_err(),
            "claims that are not an object are refused"
        );
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params(&Assertion::new("h.p.s"), "api:read"))
            .finish();
        let redacted = crate::transcript::redact_form(&body);
        assert!(
            redacted.contains("assertion=[redacted]") && !redacted.contains("h.p.s"),
            "the assertion never reaches the transcript: {redacted}"
        );
        assert!(
            !format!("{:?}", Assertion::new("h.p.s")).contains("h.p.s"),
            "Debug hides the assertion"
        );
    }
}
