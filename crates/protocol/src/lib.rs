//! OAuth 2.0 and OpenID Connect on the wire: building requests, sending them through one
//! injected HTTP client, parsing responses tolerantly, and recording a redacted transcript.
//! No database, keychain or GUI here.

pub mod authorize;
pub mod challenge;
pub mod client_auth;
pub mod dcr;
pub mod discovery;
pub mod dpop;
pub mod endpoint;
pub mod error;
pub mod grant;
pub mod http;
pub mod introspect;
pub mod jar;
pub mod jarm;
pub mod jose;
pub mod keys;
pub mod logout;
pub mod loopback;
pub mod mcp;
pub mod mtls;
pub mod network;
pub mod par;
pub mod profile;
pub mod random;
pub mod rar;
pub mod resource;
pub mod revoke;
pub mod secret;
pub mod test_token;
pub mod text;
pub mod transcript;
pub mod userinfo;
pub mod verify;

pub use error::{OAuthError, ProtocolError};
pub use secret::{
    AccessToken, AuthorizationCode, ClientSecret, CredentialInput, DeviceCode, HintedToken,
    IdToken, KeychainValue, Password, PastedToken, PkceVerifier, PrivateKey, RefreshToken,
    RegistrationAccessToken, SubjectToken, TlsClientKey,
};

/// Where time comes from, so expiry logic is testable.
pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch.
    fn now(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }
}
