//! Key sets to verify with: a JWKS or a single JWK (RFC 7517 §4–5), a PEM public key, or a
//! client secret as the HMAC key (OIDC Core §10.1). Each key carries what selection needs: its
//! `kid` (RFC 7515 §4.1.4), family, pinned `alg` (RFC 7517 §4.4), `crv` and `use` (§4.2).
//! Entries that cannot be used are kept as reasons, not dropped silently.

use crate::error::{ProtocolError, Result};
use crate::secret::ClientSecret;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;

/// Kind of key, as far as algorithm matching is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFamily {
    Hmac,
    Rsa,
    Ec,
    Ed,
}

impl KeyFamily {
    pub(super) fn of_alg(alg: Algorithm) -> Self {
        use Algorithm::*;
        match alg {
            HS256 | HS384 | HS512 => KeyFamily::Hmac,
            ES256 | ES384 => KeyFamily::Ec,
            EdDSA => KeyFamily::Ed,
            _ => KeyFamily::Rsa,
        }
    }
    pub(super) fn name(self) -> &'static str {
        match self {
            KeyFamily::Hmac => "a shared secret (HMAC)",
            KeyFamily::Rsa => "an RSA public key",
            KeyFamily::Ec => "an EC public key",
            KeyFamily::Ed => "an Ed25519 public key",
        }
    }
}

/// A verification key and what it is allowed for.
pub struct VerifyKey {
    pub kid: Option<String>,
    pub family: KeyFamily,
    /// The JWK's `alg`, when it pins one.
    pub alg: Option<String>,
    /// The JWK's `crv` for EC and OKP keys.
    pub crv: Option<String>,
    /// `use: enc` keys are never used to verify.
    pub for_encryption: bool,
    pub(super) key: DecodingKey,
}

impl std::fmt::Debug for VerifyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyKey")
            .field("kid", &self.kid)
            .field("family", &self.family)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

/// Keys to verify with, and where they came from (for the reasons shown to the user).
#[derive(Debug, Default)]
pub struct KeySet {
    pub keys: Vec<VerifyKey>,
    pub origin: String,
    /// JWK entries that could not be used (unsupported `kty` or `crv`), with why.
    pub skipped: Vec<String>,
}

impl KeySet {
    /// A JWKS (`{"keys":[…]}`) or a single JWK, as JSON text or value.
    pub fn from_jwks_value(v: &Value, origin: &str) -> Result<Self> {
        let entries: Vec<Value> = match v.get("keys") {
            Some(Value::Array(a)) => a.clone(),
            Some(_) => return Err(ProtocolError::KeyFormat("`keys` is not an array")),
            None if v.get("kty").is_some() => vec![v.clone()],
            None => {
                return Err(ProtocolError::KeyFormat(
                    "neither a JWKS (no `keys`) nor a JWK (no `kty`)",
                ));
            }
        };
        let mut set = KeySet {
            origin: origin.into(),
            ..Default::default()
        };
        for (i, e) in entries.iter().enumerate() {
            let kid = e.get("kid").and_then(Value::as_str).map(str::to_owned);
            let label = kid.clone().unwrap_or_else(|| format!("#{i}"));
            let kty = e.get("kty").and_then(Value::as_str).unwrap_or("");
            let crv = e.get("crv").and_then(Value::as_str).map(str::to_owned);
            if kty == "OKP" && crv.as_deref() != Some("Ed25519") {
                set.skipped.push(format!(
                    "key {label}: OKP curve {} is not supported (Ed25519 only)",
                    crv.as_deref().unwrap_or("?")
                ));
                continue;
            }
            let jwk: Jwk = match serde_json::from_value(e.clone()) {
                Ok(j) => j,
                Err(err) => {
                    set.skipped
                        .push(format!("key {label}: not a usable JWK ({err})"));
                    continue;
                }
            };
            let key = match DecodingKey::from_jwk(&jwk) {
                Ok(k) => k,
                Err(err) => {
                    set.skipped.push(format!("key {label}: {err}"));
                    continue;
                }
            };
            let family = match kty {
                "RSA" => KeyFamily::Rsa,
                "EC" => KeyFamily::Ec,
                "OKP" => KeyFamily::Ed,
                "oct" => KeyFamily::Hmac,
                other => {
                    set.skipped
                        .push(format!("key {label}: kty {other} is not supported"));
                    continue;
                }
            };
            set.keys.push(VerifyKey {
                kid,
                family,
                alg: e.get("alg").and_then(Value::as_str).map(str::to_owned),
                crv,
                for_encryption: e.get("use").and_then(Value::as_str) == Some("enc"),
                key,
            });
        }
        Ok(set)
    }

    /// Pasted key material: a JWKS or JWK (JSON) or a PEM public key (RSA, EC or Ed25519).
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let t = text.trim();
        if t.starts_with('{') {
            let v: Value = serde_json::from_str(t).map_err(ProtocolError::KeyJson)?;
            return Self::from_jwks_value(&v, origin);
        }
        if t.starts_with("-----BEGIN") {
            if t.contains("PRIVATE KEY") {
                return Err(ProtocolError::KeyFormat(
                    "that is a private key; paste the public key (or a JWKS) instead",
                ));
            }
            let b = t.as_bytes();
            let (family, key) = if let Ok(k) = DecodingKey::from_rsa_pem(b) {
                (KeyFamily::Rsa, k)
            } else if let Ok(k) = DecodingKey::from_ec_pem(b) {
                (KeyFamily::Ec, k)
            } else if let Ok(k) = DecodingKey::from_ed_pem(b) {
                (KeyFamily::Ed, k)
            } else {
                return Err(ProtocolError::KeyFormat(
                    "the PEM is not an RSA, EC (P-256/P-384) or Ed25519 public key",
                ));
            };
            return Ok(KeySet {
                keys: vec![VerifyKey {
                    kid: None,
                    family,
                    alg: None,
                    crv: None,
                    for_encryption: false,
                    key,
                }],
                origin: origin.into(),
                skipped: vec![],
            });
        }
        Err(ProtocolError::KeyFormat(
            "expected a JWKS or JWK (JSON) or a PEM public key",
        ))
    }

    /// A client secret as the HMAC key (OIDC Core §10.1: the octets of its UTF-8 form).
    pub fn from_client_secret(secret: &ClientSecret, origin: &str) -> Self {
        KeySet {
            keys: vec![VerifyKey {
                kid: None,
                family: KeyFamily::Hmac,
                alg: None,
                crv: None,
                for_encryption: false,
                key: DecodingKey::from_secret(secret.expose().as_bytes()),
            }],
            origin: origin.into(),
            skipped: vec![],
        }
    }

    pub fn merge(&mut self, other: KeySet) {
        self.keys.extend(other.keys);
        self.skipped.extend(other.skipped);
        if self.origin.is_empty() {
            self.origin = other.origin;
        } else if !other.origin.is_empty() {
            self.origin = format!("{} and {}", self.origin, other.origin);
        }
    }

    pub fn has_kid(&self, kid: &str) -> bool {
        self.keys.iter().any(|k| k.kid.as_deref() == Some(kid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_key_material_is_refused_by_name() {
        let err = |t: &str| KeySet::parse(t, "the given key").unwrap_err();
        assert!(
            matches!(err("{not json"), ProtocolError::KeyJson(_)),
            "broken JSON keeps serde's error as the source"
        );
        assert_eq!(
            err(r#"{"keys": 1}"#).to_string(),
            "`keys` is not an array",
            "a `keys` member that is not an array is refused by name"
        );
        assert_eq!(
            err(r#"{"n": "x"}"#).to_string(),
            "neither a JWKS (no `keys`) nor a JWK (no `kty`)",
            "JSON that is neither a JWKS nor a JWK is refused, saying why"
        );
        assert!(
            err("-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----")
                .to_string()
                .starts_with("that is a private key"),
            "a private key is never taken as key material to verify with"
        );
        assert_eq!(
            err("hello").to_string(),
            "expected a JWKS or JWK (JSON) or a PEM public key",
            "text that is neither JSON nor PEM is refused, listing what is accepted"
        );
    }

    #[test]
    fn unusable_entries_are_skipped_with_a_reason() {
        // RFC 9449 §4.1's example public key, next to an X25519 (encryption-only) key.
        let jwks = serde_json::json!({"keys": [
            {"kty": "OKP", "crv": "X25519", "kid": "x", "x": "AA"},
            {"kty": "EC", "kid": "e", "crv": "P-256",
             "x": "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
             "y": "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}
        ]});
        let set = KeySet::from_jwks_value(&jwks, "test").unwrap();
        assert!(
            set.has_kid("e") && !set.has_kid("x"),
            "the P-256 key is kept under its kid and the X25519 key is not"
        );
        assert_eq!(
            set.keys[0].family,
            KeyFamily::Ec,
            "the kept key is of the EC family"
        );
        assert_eq!(
            set.skipped,
            ["key x: OKP curve X25519 is not supported (Ed25519 only)"],
            "the X25519 key is skipped with the reason"
        );
    }
}
