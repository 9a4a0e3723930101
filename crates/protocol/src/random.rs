//! Unguessable values: `state` (RFC 6749 §10.12), `nonce` (OIDC Core §15.5.2), PKCE verifiers
//! (RFC 7636 §7.1), `jti` of assertions and proofs (RFC 7523 §3, RFC 9449 §4.2).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

/// 32 random bytes from the OS's generator, base64url: 256 bits of entropy, 43 characters.
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}
