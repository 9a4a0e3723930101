//! JWS signature verification (RFC 7515 §5.2) against a [`KeySet`], with the refusals of
//! RFC 8725 §3.1 made by name before any key is tried: `alg_none`, `alg_confusion` (an HMAC
//! `alg` against public keys); then key selection by `kid` (`unknown_kid`, RFC 7515 §4.1.4),
//! family (`key_mismatch`, RFC 7517 §4.4), pinned `alg` and `crv` (RFC 7518 §3.1).

use super::Check;
use super::keys::{KeyFamily, KeySet, VerifyKey};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use serde_json::Value;
use std::str::FromStr;

/// The result of a signature verification, with whether a refetch of the key set could help.
#[derive(Debug, Clone)]
pub struct SignatureOutcome {
    pub check: Check,
    /// The header named a `kid` the key set lacks: the issuer may have rotated its keys.
    pub unknown_kid: bool,
}

const SIG_SPEC: &str = "RFC 7515 §5.2";

/// Verifies a compact JWS against `keys`. `alg: none` and an HMAC `alg` against a public key
/// (algorithm confusion) are refused by name before any key is tried.
pub fn verify_signature(token: &str, keys: &KeySet) -> SignatureOutcome {
    let outcome = |check| SignatureOutcome {
        check,
        unknown_kid: false,
    };
    let parts: Vec<&str> = token.trim().split('.').collect();
    if parts.len() == 5 {
        return outcome(Check::not_applicable(
            "signature",
            "RFC 7516",
            "the token is encrypted (JWE); it cannot be verified without the recipient's private key",
        ));
    }
    if parts.len() != 3 {
        return outcome(Check::fail(
            "signature",
            "malformed",
            SIG_SPEC,
            "not a compact JWS (three base64url segments)",
        ));
    }
    // The header is read as plain JSON, not with `jsonwebtoken::decode_header`: that one fails
    // on an `alg` outside its enum (`none` among them), and those must be refused by name.
    let header: Value = match URL_SAFE_NO_PAD
        .decode(parts[0])
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
    {
        Some(v) => v,
        None => {
            return outcome(Check::fail(
                "signature",
                "malformed",
                SIG_SPEC,
                "the header is not base64url JSON",
            ));
        }
    };
    let alg_name = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if alg_name.is_empty() {
        return outcome(Check::fail(
            "signature",
            "alg_missing",
            "RFC 7515 §4.1.1",
            "the header has no `alg`",
        ));
    }
    if alg_name.eq_ignore_ascii_case("none") {
        return outcome(Check::fail(
            "signature",
            "alg_none",
            "RFC 8725 §3.1",
            "`alg: none`: the token is unsigned, so anyone could have written it; unsigned tokens are never accepted",
        ));
    }
    let Ok(alg) = Algorithm::from_str(alg_name) else {
        return outcome(Check::fail(
            "signature",
            "unsupported_alg",
            "RFC 7518 §3.1",
            format!(
                "algorithm {alg_name} is not supported (RS/PS 256-512, ES256, ES384, EdDSA, HS 256-512 are)"
            ),
        ));
    };
    let family = KeyFamily::of_alg(alg);
    let kid = header.get("kid").and_then(Value::as_str);
    let usable: Vec<&VerifyKey> = keys.keys.iter().filter(|k| !k.for_encryption).collect();
    if usable.is_empty() {
        let why = if keys.skipped.is_empty() {
            String::new()
        } else {
            format!(" ({})", keys.skipped.join("; "))
        };
        return outcome(Check::fail(
            "signature",
            "no_keys",
            SIG_SPEC,
            format!("{} has no signing key{why}", display_origin(keys)),
        ));
    }
    if family == KeyFamily::Hmac && usable.iter().all(|k| k.family != KeyFamily::Hmac) {
        return outcome(Check::fail(
            "signature",
            "alg_confusion",
            "RFC 8725 §3.1",
            format!(
                "the header says {alg_name} (HMAC) but the keys are public keys: the algorithm-confusion attack, where a public key is misused as an HMAC secret; refused"
            ),
        ));
    }
    // `kid` selects among keys that carry one (RFC 7515 §4.1.4); keys without a kid (a PEM, a
    // client secret) remain candidates when no key carries the header's kid.
    let by_kid: Vec<&VerifyKey> = match kid {
        Some(kid) => {
            let named: Vec<&VerifyKey> = usable
                .iter()
                .copied()
                .filter(|k| k.kid.as_deref() == Some(kid))
                .collect();
            if named.is_empty() {
                usable.iter().copied().filter(|k| k.kid.is_none()).collect()
            } else {
                named
            }
        }
        None => usable.clone(),
    };
    if let Some(kid) = kid
        && by_kid.is_empty()
    {
        return SignatureOutcome {
            check: Check::fail(
                "signature",
                "unknown_kid",
                "RFC 7515 §4.1.4",
                format!("no key with kid \"{kid}\" in {}", display_origin(keys)),
            ),
            unknown_kid: true,
        };
    }
    let candidates: Vec<&VerifyKey> = by_kid
        .iter()
        .copied()
        .filter(|k| k.family == family)
        .collect();
    if candidates.is_empty() {
        let have = by_kid.first().map(|k| k.family.name()).unwrap_or("no key");
        let (code, spec) = if family == KeyFamily::Hmac {
            ("alg_confusion", "RFC 8725 §3.1")
        } else {
            ("key_mismatch", "RFC 7517 §4.4")
        };
        return outcome(Check::fail(
            "signature",
            code,
            spec,
            format!(
                "the header says {alg_name}, which needs {}, but the key{} is {have}",
                family.name(),
                kid.map(|k| format!(" \"{k}\"")).unwrap_or_default()
            ),
        ));
    }
    try_keys(&candidates, parts, alg, alg_name, keys)
}

fn try_keys(
    candidates: &[&VerifyKey],
    parts: Vec<&str>,
    alg: Algorithm,
    alg_name: &str,
    keys: &KeySet,
) -> SignatureOutcome {
    let message = format!("{}.{}", parts[0], parts[1]);
    let mut refusals = Vec::new();
    for k in candidates {
        if let Some(pinned) = &k.alg
            && pinned != alg_name
        {
            refusals.push(format!(
                "key {} is for {pinned}",
                k.kid.as_deref().unwrap_or("(no kid)")
            ));
            continue;
        }
        if let Some(crv) = &k.crv {
            let want = match alg {
                Algorithm::ES256 => Some("P-256"),
                Algorithm::ES384 => Some("P-384"),
                Algorithm::EdDSA => Some("Ed25519"),
                _ => None,
            };
            if want.is_some_and(|w| w != crv) {
                refusals.push(format!(
                    "key {} is on curve {crv}",
                    k.kid.as_deref().unwrap_or("(no kid)")
                ));
                continue;
            }
        }
        if let Ok(true) = jsonwebtoken::crypto::verify(parts[2], message.as_bytes(), &k.key, alg) {
            let which = k
                .kid
                .as_ref()
                .map(|kid| format!("key \"{kid}\""))
                .unwrap_or_else(|| "the key".into());
            return SignatureOutcome {
                check: Check::pass(
                    "signature",
                    SIG_SPEC,
                    format!(
                        "valid {alg_name} signature by {which} from {}",
                        display_origin(keys)
                    ),
                ),
                unknown_kid: false,
            };
        }
    }
    let extra = if refusals.is_empty() {
        String::new()
    } else {
        format!(" ({})", refusals.join("; "))
    };
    SignatureOutcome {
        check: Check::fail(
            "signature",
            "bad_signature",
            SIG_SPEC,
            format!(
                "the {alg_name} signature does not verify with {}{extra}: the token was altered or signed by another key",
                display_origin(keys)
            ),
        ),
        unknown_kid: false,
    }
}

fn display_origin(keys: &KeySet) -> String {
    if keys.origin.is_empty() {
        "the given keys".into()
    } else {
        keys.origin.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ClientSecret;
    use crate::verify::CheckStatus;
    use serde_json::json;

    fn b64(v: &Value) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
    }

    #[test]
    fn refuses_alg_none_and_hmac_against_public_keys() {
        let jwks = json!({"keys":[{"kty":"RSA","kid":"k1","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}]});
        let keys = KeySet::from_jwks_value(&jwks, "test JWKS").unwrap();
        let none = format!(
            "{}.{}.",
            b64(&json!({"alg":"none"})),
            b64(&json!({"sub":"x"}))
        );
        let out = verify_signature(&none, &keys);
        assert_eq!(
            out.check.code.as_deref(),
            Some("alg_none"),
            "alg none is refused by name (RFC 8725 §3.1)"
        );
        let hs = format!(
            "{}.{}.c2ln",
            b64(&json!({"alg":"HS256","kid":"k1"})),
            b64(&json!({"sub":"x"}))
        );
        assert_eq!(
            verify_signature(&hs, &keys).check.code.as_deref(),
            Some("alg_confusion"),
            "an HMAC alg against an RSA key is refused as algorithm confusion (RFC 8725 §3.1)"
        );
        let unknown = format!(
            "{}.{}.c2ln",
            b64(&json!({"alg":"RS256","kid":"other"})),
            b64(&json!({"sub":"x"}))
        );
        let out = verify_signature(&unknown, &keys);
        assert_eq!(
            out.check.code.as_deref(),
            Some("unknown_kid"),
            "a kid the key set lacks is reported as unknown_kid"
        );
        assert!(
            out.unknown_kid,
            "an unknown kid flags that refetching the issuer's keys may help"
        );
        let bad = format!(
            "{}.{}.c2ln",
            b64(&json!({"alg":"RS256","kid":"k1"})),
            b64(&json!({"sub":"x"}))
        );
        assert_eq!(
            verify_signature(&bad, &keys).check.code.as_deref(),
            Some("bad_signature"),
            "a signature that does not verify with the kid's key is a bad signature"
        );
    }

    #[test]
    fn hmac_with_client_secret_verifies_and_detects_tampering() {
        let secret = ClientSecret::new("client-secret-of-at-least-32-bytes!!");
        let header = b64(&json!({"alg":"HS256"}));
        let payload = b64(&json!({"sub":"alice"}));
        let key = jsonwebtoken::EncodingKey::from_secret(secret.expose().as_bytes());
        let sig = jsonwebtoken::crypto::sign(
            format!("{header}.{payload}").as_bytes(),
            &key,
            Algorithm::HS256,
        )
        .unwrap();
        let keys = KeySet::from_client_secret(&secret, "the client secret");
        let ok = verify_signature(&format!("{header}.{payload}.{sig}"), &keys);
        assert_eq!(
            ok.check.status,
            CheckStatus::Pass,
            "an HS256 token signed with the client secret verifies: {:?}",
            ok.check
        );
        let tampered = b64(&json!({"sub":"mallory"}));
        assert_eq!(
            verify_signature(&format!("{header}.{tampered}.{sig}"), &keys)
                .check
                .code
                .as_deref(),
            Some("bad_signature"),
            "a payload changed after HMAC signing fails verification"
        );
    }
}
