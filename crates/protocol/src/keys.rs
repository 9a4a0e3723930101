//! Client-held key pairs (ES256, P-256) for `private_key_jwt` client authentication (RFC 7523
//! §2.2) and DPoP proofs (RFC 9449 §4), and signing a JWT with them or with a client secret
//! (`client_secret_jwt`, HS256). The private key is a [`PrivateKey`] (base64 PKCS#8) kept in
//! the keychain; the public key is a JWK (RFC 7517), safe to show and copy into a provider's
//! registration, whose `kid` is its RFC 7638 thumbprint. The key generation is p256's; the JWK,
//! its thumbprint and the compact JWS (RFC 7515 §7.1) are jsonwebtoken's.

use crate::error::{ProtocolError, Result};
use crate::secret::{ClientSecret, PrivateKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::jwk::{Jwk, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use serde::Serialize;
use serde_json::Value;

/// A generated or imported P-256 key pair.
#[derive(Clone)]
pub struct KeyPair {
    /// Base64 of the PKCS#8 DER private key.
    pub private: PrivateKey,
    /// `{kty, crv, x, y, kid, alg, use}`; `kid` is the RFC 7638 thumbprint.
    pub public_jwk: Value,
}

/// The public half only: the private key never reaches a log line.
impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("public_jwk", &self.public_jwk)
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// The bare public key (`kty`, `crv`, `x`, `y`; no `kid`, `alg` or `use`), as a DPoP
    /// proof's `jwk` header member carries it (RFC 9449 §4.2).
    pub fn bare_public_jwk(&self) -> Result<Jwk> {
        let mut jwk: Jwk =
            serde_json::from_value(self.public_jwk.clone()).map_err(ProtocolError::JwkShape)?;
        jwk.common = Default::default();
        Ok(jwk)
    }
}

/// A fresh ES256 key pair from the OS's randomness.
pub fn generate_es256() -> KeyPair {
    // p256 0.13 takes a rand_core 0.6 RNG, and the workspace's rand 0.9 implements rand_core
    // 0.9, so the OS RNG is the one p256 re-exports (rand_core 0.6's `getrandom` feature,
    // switched on through jsonwebtoken's rust_crypto → rand 0.8 `std`).
    let sk = p256::SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng);
    of_secret(&sk).expect("a valid P-256 key encodes")
}

/// An existing private key: PKCS#8 or SEC1 PEM, P-256 only.
pub fn from_pem(pem: &str) -> Result<KeyPair> {
    let pem = pem.trim();
    let sk = p256::SecretKey::from_pkcs8_pem(pem)
        .or_else(|_| p256::SecretKey::from_sec1_pem(pem))
        .map_err(|_| ProtocolError::PrivateKeyPem)?;
    of_secret(&sk)
}

/// The key pair stored as `private` (base64 PKCS#8).
pub fn from_stored(private: &PrivateKey) -> Result<KeyPair> {
    let sk = p256::SecretKey::from_pkcs8_der(&stored_der(private)?)
        .map_err(ProtocolError::StoredKeyFormat)?;
    of_secret(&sk)
}

fn stored_der(private: &PrivateKey) -> Result<Vec<u8>> {
    STANDARD
        .decode(private.expose().trim())
        .map_err(ProtocolError::StoredKeyEncoding)
}

fn of_secret(sk: &p256::SecretKey) -> Result<KeyPair> {
    let der = sk.to_pkcs8_der().map_err(ProtocolError::KeyEncoding)?;
    let key = EncodingKey::from_ec_der(der.as_bytes());
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::ES256).map_err(ProtocolError::Jwk)?;
    jwk.common.key_id = Some(
        jwk.thumbprint(ThumbprintHash::SHA256)
            .map_err(ProtocolError::Jwk)?,
    );
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    Ok(KeyPair {
        private: PrivateKey::new(STANDARD.encode(der.as_bytes())),
        public_jwk: serde_json::to_value(&jwk).map_err(ProtocolError::JwkShape)?,
    })
}

/// RFC 7638 JWK thumbprint (SHA-256, base64url) of an EC, RSA or OKP public JWK.
pub fn thumbprint(jwk: &Value) -> Result<String> {
    let jwk: Jwk = serde_json::from_value(jwk.clone()).map_err(ProtocolError::JwkShape)?;
    jwk.thumbprint(ThumbprintHash::SHA256)
        .map_err(ProtocolError::Jwk)
}

/// How a JWT is signed.
pub enum Signer<'a> {
    /// HS256 with a client secret (`client_secret_jwt`).
    Secret(&'a ClientSecret),
    /// ES256 with a stored private key (base64 PKCS#8).
    Es256(&'a PrivateKey),
}

/// A compact JWS of `claims` with `header`, whose `alg` is set here from the signer.
pub fn sign_jwt(
    signer: &Signer<'_>,
    mut header: Header,
    claims: &impl Serialize,
) -> Result<String> {
    let key = match signer {
        Signer::Secret(s) => {
            header.alg = Algorithm::HS256;
            EncodingKey::from_secret(s.expose().as_bytes())
        }
        Signer::Es256(private) => {
            header.alg = Algorithm::ES256;
            EncodingKey::from_ec_der(&stored_der(private)?)
        }
    };
    jsonwebtoken::encode(&header, claims, &key).map_err(ProtocolError::Signing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{CheckStatus, KeySet, verify_signature};
    use serde_json::json;

    #[test]
    fn rfc7638_thumbprint_example() {
        // RFC 7638 §3.1's RSA example.
        let jwk = json!({"kty":"RSA","e":"AQAB","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"});
        assert_eq!(
            thumbprint(&jwk).unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
            "the thumbprint of RFC 7638 §3.1's RSA example is the one it gives"
        );
    }

    #[test]
    fn rfc9449_jkt_example() {
        // RFC 9449 §4.1's proof key and the `jkt` §6.1 gives for it.
        let jwk = json!({"kty":"EC","crv":"P-256","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"});
        assert_eq!(
            thumbprint(&jwk).unwrap(),
            "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
            "the thumbprint of RFC 9449's example key is the jkt §6.1 gives"
        );
        assert!(
            matches!(
                thumbprint(&json!({"kty":"EC","crv":"P-256"})),
                Err(ProtocolError::Jwk(_) | ProtocolError::JwkShape(_))
            ),
            "a JWK without its key members has no thumbprint"
        );
    }

    #[test]
    fn generated_keys_sign_what_their_public_jwk_verifies() {
        let pair = generate_es256();
        assert_eq!(pair.public_jwk["crv"], "P-256", "generated keys are P-256");
        assert!(
            pair.public_jwk.get("d").is_none(),
            "the public JWK carries no private part"
        );
        assert_eq!(
            (&pair.public_jwk["alg"], &pair.public_jwk["use"]),
            (&json!("ES256"), &json!("sig")),
            "the public JWK declares ES256 and signature use"
        );
        assert_eq!(
            pair.public_jwk["kid"],
            thumbprint(&pair.public_jwk).unwrap(),
            "the kid is the RFC 7638 thumbprint"
        );
        let jwt = sign_jwt(
            &Signer::Es256(&pair.private),
            Header::default(),
            &json!({"sub": "c"}),
        )
        .unwrap();
        let keys =
            KeySet::from_jwks_value(&json!({"keys": [pair.public_jwk.clone()]}), "test").unwrap();
        assert_eq!(
            verify_signature(&jwt, &keys).check.status,
            CheckStatus::Pass,
            "a JWT signed with the generated private key verifies with its public JWK"
        );
        let again = from_stored(&pair.private).unwrap();
        assert_eq!(
            again.public_jwk, pair.public_jwk,
            "the stored form round-trips"
        );
        assert!(
            from_pem("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----").is_err(),
            "a PEM block that holds no key is refused"
        );
        assert!(
            !format!("{pair:?}").contains(pair.private.expose()),
            "the Debug form never shows the private key"
        );
    }

    #[test]
    fn the_public_jwk_is_p256s_own_with_kid_alg_and_use() {
        let pair = generate_es256();
        let der = STANDARD.decode(pair.private.expose()).unwrap();
        let sk = p256::SecretKey::from_pkcs8_der(&der).unwrap();
        let mut want: Value = serde_json::from_str(&sk.public_key().to_jwk_string()).unwrap();
        want["kid"] = json!(thumbprint(&want).unwrap());
        want["alg"] = json!("ES256");
        want["use"] = json!("sig");
        assert_eq!(
            pair.public_jwk, want,
            "keys registered before keep their JWK and kid"
        );
    }

    #[test]
    fn unreadable_private_keys_are_refused_by_name() {
        assert_eq!(
            from_stored(&PrivateKey::new("not base64!"))
                .unwrap_err()
                .to_string(),
            "the stored private key is not base64",
            "a stored private key that is not base64 is refused by name"
        );
        assert_eq!(
            from_stored(&PrivateKey::new("AAAA"))
                .unwrap_err()
                .to_string(),
            "the stored private key is not a P-256 PKCS#8 key",
            "stored bytes that are not a P-256 PKCS#8 key are refused by name"
        );
        assert!(
            from_pem("hello")
                .unwrap_err()
                .to_string()
                .starts_with("expected a P-256"),
            "text that is not a PEM key is refused, saying a P-256 key was expected"
        );
        let err = sign_jwt(
            &Signer::Es256(&PrivateKey::new("AAAA")),
            Header::default(),
            &json!({}),
        )
        .unwrap_err();
        assert!(
            matches!(err, ProtocolError::Signing(_))
                && err.to_string().starts_with("signing failed: "),
            "a key jsonwebtoken cannot sign with is a Signing error in words: {err}"
        );
    }
}
