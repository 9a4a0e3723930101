//! Client-held key pairs (ES256, P-256) for `private_key_jwt` client authentication (RFC 7523)
//! and, later, DPoP proofs; and signing a JWT with them or with a client secret
//! (`client_secret_jwt`). The private key is a [`Secret`] (base64 PKCS#8) kept in the keychain;
//! the public key is a JWK, safe to show and copy into a provider's registration.

use crate::secret::Secret;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rand::RngCore;
use serde_json::{Value, json};
use sha2::Digest;

/// A generated or imported P-256 key pair.
#[derive(Clone)]
pub struct KeyPair {
    /// Base64 of the PKCS#8 DER private key.
    pub private: Secret,
    /// `{kty, crv, x, y, kid, alg, use}`; `kid` is the RFC 7638 thumbprint.
    pub public_jwk: Value,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("public_jwk", &self.public_jwk)
            .finish_non_exhaustive()
    }
}

/// A fresh ES256 key pair from the OS's randomness.
pub fn generate_es256() -> KeyPair {
    loop {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        // Rejection sampling: the scalar must be below the curve order (fails with ~2^-32 odds).
        if let Ok(sk) = p256::SecretKey::from_slice(&bytes) {
            return of_secret(&sk).expect("a valid P-256 key encodes");
        }
    }
}

/// An existing private key: PKCS#8 or SEC1 PEM, P-256 only.
pub fn from_pem(pem: &str) -> Result<KeyPair, String> {
    let sk = p256::SecretKey::from_pkcs8_pem(pem.trim())
        .or_else(|_| p256::SecretKey::from_sec1_pem(pem.trim()))
        .map_err(|_| "expected a P-256 (ES256) private key in PEM (PKCS#8 `BEGIN PRIVATE KEY` or SEC1 `BEGIN EC PRIVATE KEY`)".to_owned())?;
    of_secret(&sk)
}

/// The key pair stored as `private` (base64 PKCS#8).
pub fn from_stored(private: &Secret) -> Result<KeyPair, String> {
    let der = STANDARD
        .decode(private.expose().trim())
        .map_err(|_| "the stored private key is not base64".to_owned())?;
    let sk = p256::SecretKey::from_pkcs8_der(&der)
        .map_err(|_| "the stored private key is not a P-256 PKCS#8 key".to_owned())?;
    of_secret(&sk)
}

fn of_secret(sk: &p256::SecretKey) -> Result<KeyPair, String> {
    let der = sk.to_pkcs8_der().map_err(|e| e.to_string())?;
    let mut jwk: Value =
        serde_json::from_str(&sk.public_key().to_jwk_string()).map_err(|e| e.to_string())?;
    jwk["kid"] = json!(thumbprint(&jwk));
    jwk["alg"] = json!("ES256");
    jwk["use"] = json!("sig");
    Ok(KeyPair {
        private: Secret::new(STANDARD.encode(der.as_bytes())),
        public_jwk: jwk,
    })
}

/// RFC 7638 JWK thumbprint (SHA-256) of an EC or RSA public JWK, base64url.
pub fn thumbprint(jwk: &Value) -> String {
    let s = |k: &str| {
        jwk.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    // Required members only, lexicographic order, no whitespace.
    let canonical = match jwk.get("kty").and_then(Value::as_str) {
        Some("RSA") => format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, s("e"), s("n")),
        Some("OKP") => format!(r#"{{"crv":"{}","kty":"OKP","x":"{}"}}"#, s("crv"), s("x")),
        _ => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            s("crv"),
            s("x"),
            s("y")
        ),
    };
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(canonical.as_bytes()))
}

/// How a JWT is signed.
pub enum Signer<'a> {
    /// HS256 with a client secret (`client_secret_jwt`).
    Secret(&'a Secret),
    /// ES256 with a stored private key (base64 PKCS#8).
    Es256(&'a Secret),
}

/// A compact JWS of `claims` with `header` (its `alg` is set here).
pub fn sign_jwt(signer: &Signer<'_>, mut header: Value, claims: &Value) -> Result<String, String> {
    let (alg, key) = match signer {
        Signer::Secret(s) => ("HS256", EncodingKey::from_secret(s.expose().as_bytes())),
        Signer::Es256(private) => {
            let der = STANDARD
                .decode(private.expose().trim())
                .map_err(|_| "the stored private key is not base64".to_owned())?;
            ("ES256", EncodingKey::from_ec_der(&der))
        }
    };
    header["alg"] = json!(alg);
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let algorithm = if alg == "HS256" {
        Algorithm::HS256
    } else {
        Algorithm::ES256
    };
    let signature = jsonwebtoken::crypto::sign(input.as_bytes(), &key, algorithm)
        .map_err(|e| format!("signing failed: {e}"))?;
    Ok(format!("{input}.{signature}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{CheckStatus, KeySet, verify_signature};

    #[test]
    fn rfc7638_thumbprint_example() {
        // RFC 7638 §3.1's RSA example.
        let jwk = json!({"kty":"RSA","e":"AQAB","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"});
        assert_eq!(
            thumbprint(&jwk),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn generated_keys_sign_what_their_public_jwk_verifies() {
        let pair = generate_es256();
        assert_eq!(pair.public_jwk["crv"], "P-256");
        assert!(
            pair.public_jwk.get("d").is_none(),
            "the public JWK carries no private part"
        );
        let jwt = sign_jwt(
            &Signer::Es256(&pair.private),
            json!({"typ": "JWT"}),
            &json!({"sub": "c"}),
        )
        .unwrap();
        let keys =
            KeySet::from_jwks_value(&json!({"keys": [pair.public_jwk.clone()]}), "test").unwrap();
        assert_eq!(
            verify_signature(&jwt, &keys).check.status,
            CheckStatus::Pass
        );
        let again = from_stored(&pair.private).unwrap();
        assert_eq!(
            again.public_jwk, pair.public_jwk,
            "the stored form round-trips"
        );
        assert!(
            from_pem("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----").is_err()
        );
    }
}
