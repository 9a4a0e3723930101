//! Decoding compact JWTs (RFC 7519 §7.2) for display and claim summaries: a JWS (RFC 7515
//! §7.1, three segments), an unsigned JWT (`alg: none`, RFC 7519 §6: three segments, the last
//! empty) and a JWE (RFC 7516 §7.1, five segments, whose payload stays encrypted). When the text
//! does not decode, [`diagnose`] says which segment fails and why, in words. This module does
//! not verify signatures; verification against keys is `verify`'s.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// Pasted text longer than this is not decoded: no real token comes near it (a large ID token
/// is a few KiB), and decoding unbounded input on every keystroke would stall the screen.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct DecodedJwt {
    pub header: Value,
    /// `None` for JWE (five segments): the payload is encrypted.
    pub claims: Option<Value>,
    pub encrypted: bool,
}

impl DecodedJwt {
    /// `alg: none` (RFC 7519 §6.1): an unsigned JWT, which anyone could have written.
    pub fn unsigned(&self) -> bool {
        !self.encrypted && alg(&self.header).is_some_and(|a| a.eq_ignore_ascii_case("none"))
    }
}

/// The header's `alg`, if it is a string.
pub fn alg(header: &Value) -> Option<&str> {
    header.get("alg").and_then(Value::as_str)
}

/// Why a text is not a decodable JWT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// The failing segment, counted from 0 (`None` when the whole text is at fault).
    pub segment: Option<usize>,
    /// What is wrong, in words: "the payload (segment 2) is not JSON: …".
    pub reason: String,
    /// `false` when the text does not look like a JWT at all (an opaque token).
    pub looks_like_jwt: bool,
}

/// Decodes a compact JWS or JWE; `None` if the string is not a JWT (e.g. an opaque token).
pub fn decode(token: &str) -> Option<DecodedJwt> {
    diagnose(token).ok()
}

/// The segment names of a JWS (RFC 7515 §7.1) and a JWE (RFC 7516 §7.1), in order.
pub fn segment_names(count: usize) -> &'static [&'static str] {
    match count {
        5 => &[
            "protected header",
            "encrypted key",
            "initialization vector",
            "ciphertext",
            "authentication tag",
        ],
        _ => &["header", "payload", "signature"],
    }
}

/// Decodes like [`decode`], or says which segment fails and why.
pub fn diagnose(token: &str) -> Result<DecodedJwt, Malformed> {
    let token = token.trim();
    let whole = |reason: String, looks_like_jwt| Malformed {
        segment: None,
        reason,
        looks_like_jwt,
    };
    if token.len() > MAX_TOKEN_BYTES {
        return Err(whole(
            format!(
                "the text is {} bytes; tokens over {} KiB are not decoded",
                token.len(),
                MAX_TOKEN_BYTES / 1024
            ),
            false,
        ));
    }
    let parts: Vec<&str> = token.split('.').collect();
    // A JOSE header is a JSON object, so its base64url starts with "eyJ" (`{"`) in practice.
    let jwt_like = token.starts_with("eyJ") || (matches!(parts.len(), 3 | 5) && all_b64(&parts));
    if !matches!(parts.len(), 3 | 5) {
        return Err(whole(
            format!(
                "{} dot-separated segment{}: a signed JWT has 3 (header.payload.signature), an encrypted one (JWE) 5",
                parts.len(),
                if parts.len() == 1 { "" } else { "s" }
            ),
            jwt_like,
        ));
    }
    let names = segment_names(parts.len());
    let at = |i: usize, reason: String| Malformed {
        segment: Some(i),
        reason: format!("the {} (segment {}) {reason}", names[i], i + 1),
        looks_like_jwt: jwt_like,
    };
    for (i, part) in parts.iter().enumerate() {
        if let Some((pos, ch)) = part
            .trim_end_matches('=')
            .char_indices()
            .find(|(_, c)| !is_b64url(*c))
        {
            return Err(at(
                i,
                format!(
                    "has {} at position {}, which is not base64url (A–Z, a–z, 0–9, - and _)",
                    crate::text::escape_controls(&format!("{ch:?}"), false),
                    pos + 1
                ),
            ));
        }
    }
    let header = json_segment(parts[0]).map_err(|r| at(0, r))?;
    if parts.len() == 5 {
        for (i, p) in parts.iter().enumerate().skip(2) {
            if p.is_empty() {
                return Err(at(i, "is empty; a JWE needs it (RFC 7516 §7.1)".into()));
            }
        }
        return Ok(DecodedJwt {
            header,
            claims: None,
            encrypted: true,
        });
    }
    let claims = json_segment(parts[1]).map_err(|r| at(1, r))?;
    if URL_SAFE_NO_PAD
        .decode(parts[2].trim_end_matches('='))
        .is_err()
    {
        return Err(at(
            2,
            "is not valid base64url (its length does not fit)".into(),
        ));
    }
    Ok(DecodedJwt {
        header,
        claims: Some(claims),
        encrypted: false,
    })
}

fn is_b64url(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn all_b64(parts: &[&str]) -> bool {
    parts
        .iter()
        .take(2)
        .all(|p| !p.is_empty() && p.trim_end_matches('=').chars().all(is_b64url))
}

fn json_segment(s: &str) -> Result<Value, String> {
    if s.is_empty() {
        return Err("is empty".into());
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .map_err(|_| "is not valid base64url (its length does not fit)".to_owned())?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| "is not UTF-8 text once decoded".to_owned())?;
    match serde_json::from_str::<Value>(text) {
        Ok(v) if v.is_object() => Ok(v),
        Ok(_) => Err("is JSON but not an object (RFC 7519 §7.2 wants a JSON object)".into()),
        Err(e) => Err(format!("is not JSON once decoded ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn decodes_jws_and_recognises_opaque() {
        let t = "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTAwfQ.c2ln";
        let d = super::decode(t).expect("a JWS");
        assert_eq!(
            d.header["typ"], "at+jwt",
            "the JOSE header is decoded as JSON"
        );
        assert_eq!(
            d.claims.unwrap()["sub"],
            "alice",
            "the payload is decoded as the JSON claims"
        );
        assert!(
            super::decode("opaque-token-123").is_none(),
            "opaque tokens are not JWTs"
        );
        assert!(
            super::decode("a.b.c").is_none(),
            "garbage segments are not JWTs"
        );
    }

    #[test]
    fn unsigned_and_encrypted_are_recognised() {
        let none = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(r#"{"sub":"x"}"#));
        let d = diagnose(&none).expect("an unsigned JWT decodes");
        assert!(d.unsigned(), "alg none is an unsigned JWT (RFC 7519 §6)");
        let signed = format!(
            "{}.{}.c2ln",
            b64(r#"{"alg":"HS256"}"#),
            b64(r#"{"sub":"x"}"#)
        );
        assert!(
            !diagnose(&signed).expect("a JWS").unsigned(),
            "an HS256 token is signed"
        );
        let jwe = format!(
            "{}.a2V5.aXY.Y2lwaGVy.dGFn",
            b64(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#)
        );
        let d = diagnose(&jwe).expect("a JWE's header decodes");
        assert!(
            d.encrypted && d.claims.is_none() && !d.unsigned(),
            "five segments are a JWE whose payload stays encrypted"
        );
    }

    #[test]
    fn malformed_segments_are_named_with_the_reason() {
        let h = b64(r#"{"alg":"RS256"}"#);
        let err = |t: &str| diagnose(t).expect_err("malformed");
        let e = err(&format!("{h}.eyJzdWIi.c2ln"));
        assert_eq!(
            e.segment,
            Some(1),
            "the payload is the failing segment: {e:?}"
        );
        assert!(
            e.reason.starts_with("the payload (segment 2) is not JSON"),
            "a truncated payload is said to be not JSON: {}",
            e.reason
        );
        let e = err(&format!("{h}.ab$c.c2ln"));
        assert_eq!(
            (e.segment, e.reason.contains("'$' at position 3")),
            (Some(1), true),
            "a character outside base64url is named with its position: {e:?}"
        );
        let e = err(&format!("{}.{}.c2ln", b64("[1]"), b64("{}")));
        assert!(
            e.reason
                .starts_with("the header (segment 1) is JSON but not an object"),
            "a header that is a JSON array is refused: {}",
            e.reason
        );
        let e = err(&format!("{h}.{}", b64("{}")));
        assert!(
            e.segment.is_none()
                && e.looks_like_jwt
                && e.reason.starts_with("2 dot-separated segments"),
            "a JWT missing its signature segment is counted: {e:?}"
        );
        let e = err("2YotnFZFEjr1zCsicMWpAA");
        assert!(
            !e.looks_like_jwt,
            "an opaque token does not look like a JWT"
        );
        let e = err(&format!("{h}.{}.\u{7}", b64("{}")));
        assert!(
            e.reason.contains("\\u{7}") && !e.reason.contains('\u{7}'),
            "a control character in the input is escaped in the reason: {}",
            e.reason
        );
        let huge = "eyJ".repeat(MAX_TOKEN_BYTES);
        assert!(
            err(&huge).reason.contains("not decoded"),
            "text over the size bound is refused, not decoded"
        );
    }
}
