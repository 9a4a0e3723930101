//! Test tokens: a header and claims the user edited, signed again with a key the user pasted,
//! to try a resource server's validation (RFC 7515 §7.1 compact serialization). The header is
//! kept member for member (only `alg` is set from the chosen algorithm), so `kid`, `typ` and
//! custom members survive. The cryptography is jsonwebtoken's, as for client assertions and
//! DPoP proofs (`keys`, `dpop`).

use crate::error::{ProtocolError, Result};
use crate::secret::PrivateKey;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::Value;
use std::str::FromStr;

/// Signs `claims` under `header` with `alg` and `key`: the shared secret's UTF-8 octets for
/// HS256/384/512 (RFC 7518 §3.2), else a PEM private key (RSA for RS*/PS*, EC for ES256/384,
/// Ed25519 for EdDSA).
pub fn sign_test_token(
    header: &Value,
    claims: &Value,
    alg: &str,
    key: &PrivateKey,
) -> Result<String> {
    let Value::Object(header) = header else {
        return Err(ProtocolError::KeyFormat("the header must be a JSON object"));
    };
    if !claims.is_object() {
        return Err(ProtocolError::KeyFormat(
            "the payload must be a JSON object",
        ));
    }
    let algorithm = Algorithm::from_str(alg).map_err(|_| {
        ProtocolError::KeyFormat(
            "choose HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384 or EdDSA",
        )
    })?;
    let material = key.expose().trim();
    if material.is_empty() {
        return Err(ProtocolError::KeyFormat(
            "give a secret or a private key to sign with",
        ));
    }
    let pem = material.as_bytes();
    let encoding = match algorithm {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
            if material.starts_with("-----BEGIN") {
                return Err(ProtocolError::KeyFormat(
                    "HS256/384/512 sign with a shared secret, not a PEM key",
                ));
            }
            EncodingKey::from_secret(material.as_bytes())
        }
        Algorithm::ES256 | Algorithm::ES384 => EncodingKey::from_ec_pem(pem).map_err(|_| {
            ProtocolError::KeyFormat("ES256/ES384 need an EC private key in PEM (BEGIN PRIVATE KEY or BEGIN EC PRIVATE KEY)")
        })?,
        Algorithm::EdDSA => EncodingKey::from_ed_pem(pem).map_err(|_| {
            ProtocolError::KeyFormat("EdDSA needs an Ed25519 private key in PEM (BEGIN PRIVATE KEY)")
        })?,
        _ => EncodingKey::from_rsa_pem(pem).map_err(|_| {
            ProtocolError::KeyFormat("RS*/PS* need an RSA private key in PEM (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)")
        })?,
    };
    let mut header = header.clone();
    header.insert("alg".into(), Value::String(alg.into()));
    let segment = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let message = format!("{}.{}", segment(&Value::Object(header)), segment(claims));
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &encoding, algorithm)
        .map_err(ProtocolError::Signing)?;
    Ok(format!("{message}.{signature}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ClientSecret;
    use crate::verify::{CheckStatus, KeySet, verify_signature};
    use serde_json::json;

    #[test]
    fn an_edited_token_is_signed_with_the_secret_and_keeps_its_header() {
        let secret = "a-test-secret-of-at-least-32-bytes!!";
        let header = json!({"alg": "none", "typ": "at+jwt", "kid": "k1", "x-custom": 1});
        let claims = json!({"sub": "alice", "scope": "admin"});
        let token =
            sign_test_token(&header, &claims, "HS384", &PrivateKey::new(secret)).expect("signs");
        let d = crate::jose::decode(&token).expect("the test token decodes");
        assert_eq!(
            (
                d.header["alg"].as_str(),
                d.header["x-custom"].as_i64(),
                d.header["kid"].as_str()
            ),
            (Some("HS384"), Some(1), Some("k1")),
            "alg is set from the choice and the other header members are kept"
        );
        assert_eq!(d.claims, Some(claims), "the edited claims are the payload");
        let keys = KeySet::from_client_secret(&ClientSecret::new(secret), "the secret");
        assert_eq!(
            verify_signature(&token, &keys).check.status,
            CheckStatus::Pass,
            "the test token verifies with the same secret"
        );
        let other = KeySet::from_client_secret(
            &ClientSecret::new("another-secret-of-32-bytes-length"),
            "x",
        );
        assert_eq!(
            verify_signature(&token, &other).check.code.as_deref(),
            Some("bad_signature"),
            "and not with another one"
        );
    }

    #[test]
    fn an_edited_token_is_signed_with_a_pem_private_key() {
        let pair = crate::keys::generate_es256();
        let der = base64::engine::general_purpose::STANDARD
            .decode(pair.private.expose())
            .expect("base64 DER");
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64::engine::general_purpose::STANDARD.encode(der)
        );
        let token = sign_test_token(
            &json!({"typ": "JWT"}),
            &json!({"sub": "bob"}),
            "ES256",
            &PrivateKey::new(pem.clone()),
        )
        .expect("signs with the EC key");
        let keys = KeySet::from_jwks_value(&pair.public_jwk, "the public key").expect("a JWK");
        assert_eq!(
            verify_signature(&token, &keys).check.status,
            CheckStatus::Pass,
            "the ES256 test token verifies with the matching public key"
        );
        let err = |alg: &str, key: &str| {
            sign_test_token(&json!({}), &json!({}), alg, &PrivateKey::new(key))
                .expect_err("refused")
                .to_string()
        };
        assert!(
            err("RS256", &pem).starts_with("RS*/PS* need an RSA private key"),
            "an EC key cannot sign RS256"
        );
        assert!(
            err("HS256", &pem).contains("not a PEM key"),
            "a PEM key is not taken as an HMAC secret"
        );
        assert!(
            err("none", "x").starts_with("choose HS256"),
            "alg none is not offered for signing"
        );
        assert!(
            err("HS256", "  ").starts_with("give a secret"),
            "an empty key is refused"
        );
    }
}
