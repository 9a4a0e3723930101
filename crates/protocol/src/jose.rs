//! Decoding compact JWTs (RFC 7519 §7.2) for display and claim summaries. This module does
//! not verify signatures; verification against the issuer's JWKS is a separate step.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct DecodedJwt {
    pub header: Value,
    /// `None` for JWE (five segments): the payload is encrypted.
    pub claims: Option<Value>,
    pub encrypted: bool,
}

/// Decodes a compact JWS or JWE; `None` if the string is not a JWT (e.g. an opaque token).
pub fn decode(token: &str) -> Option<DecodedJwt> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    let json = |s: &str| -> Option<Value> {
        let bytes = URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()?;
        serde_json::from_slice::<Value>(&bytes)
            .ok()
            .filter(Value::is_object)
    };
    match parts.len() {
        3 => Some(DecodedJwt {
            header: json(parts[0])?,
            claims: Some(json(parts[1])?),
            encrypted: false,
        }),
        5 => Some(DecodedJwt {
            header: json(parts[0])?,
            claims: None,
            encrypted: true,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
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
}
