//! Secret newtypes, one per kind (as oauth2-rs's `ClientSecret`, `AccessToken` and friends).
//! Each prints as `Kind([redacted])`, has no `Serialize`, and compares in constant time, so a
//! secret cannot reach a log line, an error message or an IPC payload by accident, and a refresh
//! token cannot be passed where a client secret belongs. Reading one is always an explicit
//! `expose()`; turning one kind into another is an explicit `Kind::new(other.expose())`.

use std::fmt;
use subtle::ConstantTimeEq;

macro_rules! secret_kind {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(String);

        impl $name {
            /// What this secret is, in words (for messages that name it without showing it).
            pub const KIND: &'static str = $what;

            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The raw value, for the one place that must send or store it.
            pub fn expose(&self) -> &str {
                &self.0
            }

            /// A short, safe preview: the first characters and the length
            /// (`eyJhbG…(812 chars)`). Short secrets show nothing at all.
            pub fn preview(&self) -> String {
                preview(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }

        /// Constant-time: comparing secrets must not leak how many leading bytes matched.
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
            }
        }

        impl Eq for $name {}

        /// Input only (IPC arguments, files being imported): a secret can arrive as a string,
        /// but never leaves as one.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }
    };
}

secret_kind!(
    /// A client secret (RFC 6749 §2.3.1), also the HMAC key of `client_secret_jwt`.
    ClientSecret,
    "client secret"
);
secret_kind!(
    /// An access token (RFC 6749 §1.4).
    AccessToken,
    "access token"
);
secret_kind!(
    /// A refresh token (RFC 6749 §1.5).
    RefreshToken,
    "refresh token"
);
secret_kind!(
    /// An OpenID Connect ID token (OIDC Core §2).
    IdToken,
    "ID token"
);
secret_kind!(
    /// An authorization code (RFC 6749 §4.1.2).
    AuthorizationCode,
    "authorization code"
);
secret_kind!(
    /// A PKCE code verifier (RFC 7636 §4.1).
    PkceVerifier,
    "PKCE code verifier"
);
secret_kind!(
    /// A resource owner's password (RFC 6749 §4.3).
    Password,
    "password"
);
secret_kind!(
    /// A private key (base64 PKCS#8 DER), for `private_key_jwt` and DPoP proofs.
    PrivateKey,
    "private key"
);
secret_kind!(
    /// The private key of a TLS client certificate (PEM), for mutual TLS (RFC 8705).
    TlsClientKey,
    "TLS client key"
);
secret_kind!(
    /// A registration access token (RFC 7592 §3).
    RegistrationAccessToken,
    "registration access token"
);
secret_kind!(
    /// A token handed to token exchange as its subject or actor (RFC 8693 §2.1): pasted, piped
    /// in, or a stored token of any kind.
    SubjectToken,
    "subject token"
);
secret_kind!(
    /// A token pasted or piped in to be decoded or verified; what kind it is, nobody knows yet.
    PastedToken,
    "pasted token"
);
secret_kind!(
    /// A device code (RFC 8628 §3.2): whoever holds it can poll for the user's tokens.
    DeviceCode,
    "device code"
);
secret_kind!(
    /// A CIBA `auth_req_id` (CIBA §7.3): whoever holds it can poll for the user's tokens.
    AuthReqId,
    "auth_req_id"
);
secret_kind!(
    /// A CIBA `client_notification_token` (CIBA §7.1): the bearer token the server presents
    /// at the client's notification endpoint in ping mode (§10.2).
    ClientNotificationToken,
    "client notification token"
);
secret_kind!(
    /// A JWT bearer grant's assertion (RFC 7523 §2.1): it is the grant.
    Assertion,
    "assertion"
);
secret_kind!(
    /// A client's credential as the user gave it: a client secret, or for `private_key_jwt` a
    /// PEM private key. The client's auth method says which.
    CredentialInput,
    "client credential"
);
secret_kind!(
    /// The raw payload of one keychain item. Only the secret store and the typed conversions
    /// around it see this kind.
    KeychainValue,
    "keychain item"
);

/// A token an endpoint is asked about, with its `token_type_hint` (RFC 7009 §2.1, RFC 7662 §2.1)
/// following from its kind.
#[derive(Debug, Clone, Copy)]
pub enum HintedToken<'a> {
    Access(&'a AccessToken),
    Refresh(&'a RefreshToken),
}

impl HintedToken<'_> {
    pub fn hint(self) -> &'static str {
        match self {
            HintedToken::Access(_) => "access_token",
            HintedToken::Refresh(_) => "refresh_token",
        }
    }

    /// The raw value, for the request body.
    pub fn expose(&self) -> &str {
        match self {
            HintedToken::Access(t) => t.expose(),
            HintedToken::Refresh(t) => t.expose(),
        }
    }
}

/// A short, safe preview of a secret value: the first characters and the length.
pub fn preview(value: &str) -> String {
    let chars = value.chars().count();
    if chars < 24 {
        return format!("…({chars} chars)");
    }
    let head: String = value.chars().take(6).collect();
    format!("{head}…({chars} chars)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_names_the_kind_and_never_prints_the_value() {
        let s = RefreshToken::new("super-secret-value-that-is-long-enough");
        assert_eq!(
            format!("{s:?}"),
            "RefreshToken([redacted])",
            "Debug names the kind and redacts the value"
        );
        assert_eq!(
            format!("{:?}", Some(ClientSecret::new("x"))),
            "Some(ClientSecret([redacted]))",
            "Debug through containers stays redacted"
        );
        assert!(
            !s.preview().contains("secret-value"),
            "preview must not leak the body"
        );
        assert_eq!(
            AccessToken::new("short").preview(),
            "…(5 chars)",
            "short secrets show no characters"
        );
    }

    #[test]
    fn equality_compares_whole_values() {
        assert_eq!(
            AccessToken::new("abc"),
            AccessToken::new("abc"),
            "equal values are equal"
        );
        assert_ne!(
            AccessToken::new("abc"),
            AccessToken::new("abd"),
            "one differing byte makes them unequal"
        );
        assert_ne!(
            AccessToken::new("abc"),
            AccessToken::new("abcd"),
            "a prefix is not equal to the longer value"
        );
    }
}
