//! A client's credential between the user, the keychain and the wire: a client secret, or for
//! `private_key_jwt` (RFC 7523 §2.2) an ES256 key pair whose public JWK is registered.

use crate::error::{CoreError, Result};
use oauthdesk_protocol::client_auth::{AuthMethod, Credential};
use oauthdesk_protocol::{ClientSecret, CredentialInput, KeychainValue, PrivateKey};

/// For private_key_jwt: the key pair from a given PEM private key, or a new one. Other methods
/// keep their secret as given.
pub(super) fn client_key(
    method: Option<AuthMethod>,
    secret: Option<CredentialInput>,
) -> Result<(Option<Credential>, Option<serde_json::Value>)> {
    if method != Some(AuthMethod::PrivateKeyJwt) {
        return Ok((
            secret.map(|s| Credential::Secret(ClientSecret::new(s.expose()))),
            None,
        ));
    }
    let pair = match &secret {
        Some(pem) => oauthdesk_protocol::keys::from_pem(pem.expose())
            .map_err(|e| CoreError::InvalidInput(format!("private key: {e}")))?,
        None => oauthdesk_protocol::keys::generate_es256(),
    };
    Ok((
        Some(Credential::PrivateKey(pair.private)),
        Some(pair.public_jwk),
    ))
}

/// The keychain item of a client's credential.
pub(super) fn keychain(credential: Credential) -> KeychainValue {
    match credential {
        Credential::Secret(s) => KeychainValue::new(s.expose()),
        Credential::PrivateKey(k) => KeychainValue::new(k.expose()),
    }
}

/// A stored credential, typed by the client's auth method.
pub(super) fn credential_of(method: AuthMethod, stored: &KeychainValue) -> Credential {
    match method {
        AuthMethod::PrivateKeyJwt => Credential::PrivateKey(PrivateKey::new(stored.expose())),
        _ => Credential::Secret(ClientSecret::new(stored.expose())),
    }
}
