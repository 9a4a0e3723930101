//! Decoding any pasted token (RFC 7519 §7.2) for the Decode screen: a signed JWT (JWS), an
//! unsigned one (`alg: none`, RFC 7519 §6), an encrypted one (JWE, RFC 7516, whose payload
//! cannot be read without the recipient's key), an opaque token, or a malformed JWT with the
//! failing segment and why. Also the test tokens: edited claims signed again with a pasted key.

use super::Desk;
use super::token_views::JwtParts;
use crate::error::{CoreError, Result};
use oauthdesk_protocol::text::escape_controls;
use oauthdesk_protocol::{PrivateKey, jose, test_token};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// A pasted token, decoded.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DecodedToken {
    /// `jws`, `unsigned` (`alg: none`), `jwe`, `opaque` or `malformed`.
    pub kind: String,
    /// What it is, in words: "signed JWT (JWS, RS256)", "unsigned JWT (alg: none)", …
    pub label: String,
    pub jwt: Option<JwtParts>,
    /// The compact serialization's segments, as pasted (base64url); none for an opaque token.
    pub segments: Vec<String>,
    /// Why a malformed JWT does not decode: which segment, and what is wrong with it.
    pub problem: Option<String>,
    /// The failing segment (from 0), when one is at fault.
    pub problem_segment: Option<u32>,
}

/// A header member shown in a label: escaped and bounded, since the token is hostile input.
fn shown(v: Option<&str>) -> String {
    let s = escape_controls(v.unwrap_or("?"), false);
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

impl Desk {
    pub fn decode_token(&self, token: &str) -> Result<DecodedToken> {
        let token = token.trim().trim_start_matches("Bearer ").trim();
        if token.is_empty() {
            return Err(CoreError::InvalidInput("paste a token to decode".into()));
        }
        if token.len() > jose::MAX_TOKEN_BYTES {
            return Err(CoreError::InvalidInput(format!(
                "the pasted text is {} KiB; tokens over {} KiB are not decoded",
                token.len() / 1024,
                jose::MAX_TOKEN_BYTES / 1024
            )));
        }
        let segments: Vec<String> = token.split('.').map(str::to_owned).collect();
        let out = |kind: &str, label: String, jwt, segments, problem: Option<jose::Malformed>| {
            DecodedToken {
                kind: kind.into(),
                label,
                jwt,
                segments,
                problem_segment: problem
                    .as_ref()
                    .and_then(|p| p.segment)
                    .and_then(|s| u32::try_from(s).ok()),
                problem: problem.map(|p| p.reason),
            }
        };
        let d = match jose::diagnose(token) {
            Ok(d) => d,
            Err(m) if m.looks_like_jwt => {
                return Ok(out(
                    "malformed",
                    "malformed JWT: it does not decode".into(),
                    None,
                    segments,
                    Some(m),
                ));
            }
            Err(_) => {
                return Ok(out(
                    "opaque",
                    "opaque token: no readable data".into(),
                    None,
                    vec![],
                    None,
                ));
            }
        };
        let (kind, label) = if d.encrypted {
            (
                "jwe",
                format!(
                    "encrypted JWT (JWE, {} / {}): the payload cannot be decoded without the recipient's private key",
                    shown(jose::alg(&d.header)),
                    shown(d.header.get("enc").and_then(Value::as_str))
                ),
            )
        } else if d.unsigned() {
            (
                "unsigned",
                "unsigned JWT (alg: none): anyone could have written it".into(),
            )
        } else {
            (
                "jws",
                format!("signed JWT (JWS, {})", shown(jose::alg(&d.header))),
            )
        };
        Ok(out(kind, label, JwtParts::of(token), segments, None))
    }

    /// A TEST token: `claims_json` under `header_json`, signed with `alg` and `key` (an HMAC
    /// secret or a PEM private key, used here and forgotten). Nothing is stored.
    pub fn sign_test_token(
        &self,
        header_json: &str,
        claims_json: &str,
        alg: &str,
        key: &PrivateKey,
    ) -> Result<String> {
        let parse = |what: &str, text: &str| -> Result<Value> {
            if text.len() > jose::MAX_TOKEN_BYTES {
                return Err(CoreError::InvalidInput(format!(
                    "the {what} is over {} KiB",
                    jose::MAX_TOKEN_BYTES / 1024
                )));
            }
            serde_json::from_str(text)
                .map_err(|e| CoreError::InvalidInput(format!("the {what} is not JSON: {e}")))
        };
        let header = parse("header", header_json)?;
        let claims = parse("payload", claims_json)?;
        Ok(test_token::sign_test_token(&header, &claims, alg, key)?)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[tokio::test]
    async fn pasted_tokens_are_named_for_what_they_are() {
        let (_home, desk) = crate::desk::test_desk::open().await;
        let kind = |t: &str| desk.decode_token(t).expect("decodes");
        let none = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(r#"{"sub":"x"}"#));
        let d = kind(&none);
        assert_eq!(
            (d.kind.as_str(), d.label.starts_with("unsigned JWT")),
            ("unsigned", true),
            "alg none is an unsigned JWT, never a signed one: {d:?}"
        );
        let rs = format!(
            "{}.{}.c2ln",
            b64(r#"{"alg":"RS256"}"#),
            b64(r#"{"sub":"x"}"#)
        );
        assert_eq!(
            kind(&rs).label,
            "signed JWT (JWS, RS256)",
            "a JWS names its algorithm"
        );
        let jwe = format!(
            "{}.a2V5.aXY.Y2lwaGVy.dGFn",
            b64(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#)
        );
        let d = kind(&jwe);
        assert!(
            d.kind == "jwe"
                && d.label.contains("RSA-OAEP / A256GCM")
                && d.label.contains("private key"),
            "a JWE is labelled encrypted, not decodable without the key: {d:?}"
        );
        let broken = format!("{}.eyJzdWIi.c2ln", b64(r#"{"alg":"RS256"}"#));
        let d = kind(&broken);
        assert_eq!(
            (d.kind.as_str(), d.problem_segment),
            ("malformed", Some(1)),
            "a damaged payload is a malformed JWT with the payload at fault: {d:?}"
        );
        assert!(
            d.problem
                .as_deref()
                .is_some_and(|p| p.contains("payload (segment 2) is not JSON")),
            "and the reason says so in words: {d:?}"
        );
        assert_eq!(
            kind("2YotnFZFEjr1zCsicMWpAA").kind,
            "opaque",
            "an opaque token"
        );
        assert!(
            desk.decode_token(&"eyJ".repeat(40_000)).is_err(),
            "text over the size bound is refused with a reason"
        );
        let alg = format!("{}.{}.c2ln", b64("{\"alg\":\"\u{202e}RS256\"}"), b64("{}"));
        assert!(
            !kind(&alg).label.contains('\u{202e}'),
            "a bidi override in the header's alg is escaped in the label"
        );
    }
}
