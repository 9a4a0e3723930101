//! Errors of the wire layer, and RFC 6749 §5.2 / RFC 8628 §3.5 error responses with
//! plain-words hints for the causes developers meet most.

use serde::Serialize;
use std::fmt;

/// An OAuth error response (`error`, `error_description`, `error_uri`) as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct OAuthError {
    pub error: String,
    pub error_description: Option<String>,
    pub error_uri: Option<String>,
    /// HTTP status, when the error came from an endpoint (not from a redirect).
    pub status: Option<u16>,
}

impl OAuthError {
    pub fn new(error: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            error_description: None,
            error_uri: None,
            status: None,
        }
    }

    /// Parses an error from a JSON body, or returns `None` when the body has no `error` member.
    pub fn from_json(value: &serde_json::Value, status: Option<u16>) -> Option<Self> {
        let error = value.get("error")?.as_str()?.to_owned();
        let text = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        Some(Self {
            error,
            error_description: text("error_description"),
            error_uri: text("error_uri"),
            status,
        })
    }

    /// What usually causes this error, in plain words.
    pub fn hint(&self) -> Option<&'static str> {
        let desc = self
            .error_description
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase();
        Some(match self.error.as_str() {
            "invalid_client" => {
                "The server did not accept the client's credentials. Check the client id and secret, \
                 and the auth method: a server that expects client_secret_post rejects a secret sent \
                 with HTTP Basic (client_secret_basic), and the other way round. Public clients use 'none'."
            }
            "invalid_grant" if desc.contains("redirect") => {
                "The redirect_uri of the token request differs from the one used in the authorization request."
            }
            "invalid_grant" => {
                "The code or refresh token is not valid any more: codes work once and expire within minutes, \
                 and a rotated refresh token cannot be used twice (the server may then revoke the whole grant). \
                 Log in again."
            }
            // oidc-provider (and others) answer a grant the client is not registered for with
            // invalid_request "… is not allowed for this client" rather than unauthorized_client.
            "invalid_request" if desc.contains("not allowed for this client") => {
                "The server does not allow this client this grant: its registration at the server does \
                 not list the grant type (grant_types). Enable the grant for this client at the server, \
                 or use a client registered for it."
            }
            "invalid_request" if desc.contains("redirect_uri") => {
                "Redirect URI mismatch: the redirect_uri sent is not registered for this client. Register \
                 exactly the URI OAuth Desk uses (http://127.0.0.1/callback; native clients accept any port \
                 per RFC 8252 §7.3, web clients need the fixed port)."
            }
            "invalid_request" => {
                "The server found a parameter missing, repeated or malformed; the description says which."
            }
            "invalid_scope" => {
                "A requested scope is unknown to the server or not allowed for this client. Compare the scopes \
                 with the server's scopes_supported and the client's registration."
            }
            "unauthorized_client" => {
                "The server does not allow this client this grant: its registration at the server does \
                 not list the grant type (grant_types). Enable the grant for this client at the server, \
                 or use a client registered for it."
            }
            "unsupported_grant_type" => {
                "The server does not support this grant type at this endpoint."
            }
            "unsupported_response_type" => {
                "The server (or this client's registration) does not allow this response_type."
            }
            "access_denied" => "The user (or a policy) declined the authorization request.",
            "server_error" | "temporarily_unavailable" => {
                "The server failed or is overloaded; try again later."
            }
            "consent_required" | "login_required" | "interaction_required" => {
                "The request used prompt=none but the server needs the user to log in or consent."
            }
            "authorization_pending" => {
                "The user has not finished approving the device yet; keep polling."
            }
            "slow_down" => "Polling too fast: the interval must grow by 5 seconds (RFC 8628 §3.5).",
            "expired_token" => {
                "The device code expired before the user approved it; start the device flow again."
            }
            "invalid_token" => "The token is expired, revoked or malformed.",
            "insufficient_scope" => "The token lacks a scope the resource requires.",
            "invalid_dpop_proof" | "use_dpop_nonce" => "The server wants a DPoP proof (RFC 9449).",
            // CIBA §13: the backchannel authentication endpoint's own errors.
            "unknown_user_id" => {
                "CIBA: the server could not tell who the login hint names (CIBA §13); check the hint."
            }
            "expired_login_hint_token" => "CIBA: the login_hint_token has expired (CIBA §13).",
            "missing_user_code" | "invalid_user_code" => {
                "CIBA: the server wants the user's user code (--user-code), and it must match (CIBA §13)."
            }
            "invalid_binding_message" => {
                "CIBA: the server refused the binding message: keep it short, in plain characters (CIBA §7.1, §13)."
            }
            "transaction_failed" => {
                "CIBA: the server could not reach the user's authentication device (CIBA §13); try again."
            }
            _ => return None,
        })
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // All three are server text: shown with control characters escaped (no terminal
        // sequences, no bidi overrides), in the CLI and the GUI alike.
        let safe = |s: &str| crate::text::escape_controls(s, false);
        write!(f, "{}", safe(&self.error))?;
        if let Some(d) = &self.error_description {
            write!(f, ": {}", safe(d))?;
        }
        if let Some(u) = &self.error_uri {
            write!(f, " (see {})", safe(u))?;
        }
        if let Some(h) = self.hint() {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong on the wire. Messages never contain a secret.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    #[error("the server answered with an OAuth error: {0}")]
    OAuth(OAuthError),
    /// `url` is redacted; `reason` is the error chain in words (without the URL).
    #[error("could not reach {url}: {reason}")]
    Transport {
        url: String,
        reason: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{url} did not answer within {seconds} s")]
    Timeout { url: String, seconds: u64 },
    /// The server's TLS certificate (chain) was not accepted; `reason` says why and what to do.
    #[error("the TLS connection to {url} failed: {reason}")]
    Tls { url: String, reason: String },
    /// A request through an explicit proxy failed to connect; `proxy` is shown without credentials.
    #[error("could not reach {url} through the proxy {proxy}: {reason}")]
    Proxy {
        url: String,
        proxy: String,
        reason: String,
    },
    /// A proxy URL that cannot be used (scheme, shape).
    #[error("proxy refused: {0}")]
    ProxyUrl(String),
    /// CA certificates (PEM) that do not parse; the text says which certificate and why.
    #[error("the CA certificates cannot be used: {0}")]
    CaPem(String),
    #[error("the response from {url} is larger than {limit} bytes; refusing to read more")]
    TooLarge { url: String, limit: usize },
    #[error("unexpected response from {url} (HTTP {status}): {reason}")]
    InvalidResponse {
        url: String,
        status: u16,
        reason: String,
    },
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error(
        "plain http is only allowed for loopback hosts ({url}); tokens and secrets would cross the network unencrypted. Mark the client insecure to allow it anyway"
    )]
    InsecureUrl { url: String },
    #[error("the server's metadata does not name a {0} endpoint; give it explicitly")]
    MissingEndpoint(&'static str),
    #[error("discovery failed for issuer {issuer}: {reason}")]
    Discovery { issuer: String, reason: String },
    /// RFC 9728 §3.3: protected resource metadata naming another resource than the one it was
    /// fetched for must not be used (an attacker's API could point at its own server).
    #[error(
        "the protected resource metadata at {url} is for the resource {named:?}, not {expected:?}; it must be identical (RFC 9728 §3.3), so it was not used: following it could send your login to an authorization server the resource did not choose"
    )]
    ResourceMismatch {
        url: String,
        named: String,
        expected: String,
    },
    #[error(
        "the callback's state does not match the one we sent: the response may be forged (CSRF) or from an older attempt; nothing was exchanged"
    )]
    StateMismatch,
    #[error(
        "the callback's iss {got:?} is not the expected issuer {expected:?} (RFC 9207 mix-up protection); nothing was exchanged"
    )]
    IssuerMismatch { expected: String, got: String },
    #[error("the callback carried neither a code nor an error")]
    CallbackIncomplete,
    #[error("the client assertion (RFC 7523) could not be made: {0}")]
    ClientAssertion(String),
    /// A TLS client certificate or key (RFC 8705) that cannot be used; the text says why.
    #[error("the TLS client certificate cannot be used: {0}")]
    ClientCertificate(String),
    #[error("could not listen on {addr}: {reason}")]
    ListenerBind { addr: String, reason: String },
    #[error("no callback arrived within {0} s; the browser may not have finished the login")]
    CallbackTimeout(u64),
    #[error("the device code expired before the user approved it")]
    DeviceExpired,
    /// CIBA §11 `expired_token`, or the `expires_in` of the backchannel authentication response
    /// (CIBA §7.3) passed without an answer from the user's authentication device.
    #[error(
        "the backchannel authentication request expired before the user answered on their authentication device (CIBA §11 expired_token); start a new one"
    )]
    BackchannelExpired,
    /// A CIBA request or ping-mode notification (CIBA §7, §10.2) that cannot be made or used;
    /// the text says why.
    #[error("CIBA: {0}")]
    Backchannel(String),
    /// A JWT bearer assertion (RFC 7523 §2.1, §3) that cannot be made or sent; the text says why.
    #[error("the JWT bearer assertion (RFC 7523 §2.1) cannot be used: {0}")]
    Assertion(String),
    /// Public key material (pasted, or an issuer's JWKS) in no form that can verify; the text
    /// says what was expected (RFC 7517 §4–5, a PEM public key).
    #[error("{0}")]
    KeyFormat(&'static str),
    /// Key material that should be JSON (a JWKS or a JWK) and is not.
    #[error("the key is not valid JSON: {0}")]
    KeyJson(#[source] serde_json::Error),
    /// JSON that is not a usable JWK (RFC 7517 §4).
    #[error("not a usable JWK: {0}")]
    JwkShape(#[source] serde_json::Error),
    /// A JWK that jsonwebtoken cannot make or thumbprint (RFC 7517, RFC 7638).
    #[error("the JWK cannot be used: {0}")]
    Jwk(#[source] jsonwebtoken::errors::Error),
    /// A pasted private key that is neither PKCS#8 nor SEC1 PEM of a P-256 key. Both forms
    /// are tried, so neither attempt's error is "the" cause; the text says what is expected.
    #[error(
        "expected a P-256 (ES256) private key in PEM (PKCS#8 `BEGIN PRIVATE KEY` or SEC1 `BEGIN EC PRIVATE KEY`)"
    )]
    PrivateKeyPem,
    /// The keychain's private key is not base64 (of PKCS#8 DER).
    #[error("the stored private key is not base64")]
    StoredKeyEncoding(#[source] base64::DecodeError),
    /// The keychain's private key decodes, but not to a P-256 PKCS#8 key.
    #[error("the stored private key is not a P-256 PKCS#8 key")]
    StoredKeyFormat(#[source] p256::pkcs8::Error),
    /// A P-256 key that could not be encoded as PKCS#8 (RFC 5958).
    #[error("{0}")]
    KeyEncoding(#[source] p256::pkcs8::Error),
    /// Signing a JWT failed (RFC 7515 §5.1).
    #[error("signing failed: {0}")]
    Signing(#[source] jsonwebtoken::errors::Error),
    /// Server metadata without the `jwks_uri` that signature verification needs (RFC 8414 §2).
    #[error("{issuer}'s metadata has no jwks_uri")]
    MissingJwksUri { issuer: String },
    /// A JWT Secured Authorization Response (JARM) that cannot be used; the text says why.
    #[error("the JWT authorization response (JARM) was refused: {0}")]
    Jarm(String),
}

impl ProtocolError {
    /// The server could not be reached at all (connection, TLS, timeout, proxy): trying another
    /// URL on the same host is pointless.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            ProtocolError::Transport { .. }
                | ProtocolError::Timeout { .. }
                | ProtocolError::Tls { .. }
                | ProtocolError::Proxy { .. }
        )
    }

    pub fn oauth(&self) -> Option<&OAuthError> {
        match self {
            ProtocolError::OAuth(e) => Some(e),
            _ => None,
        }
    }
}

pub type Result<T, E = ProtocolError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_error_body_and_hints() {
        let v = serde_json::json!({"error":"invalid_client","error_description":"client authentication failed"});
        let e = OAuthError::from_json(&v, Some(401)).expect("error member present");
        assert_eq!(e.error, "invalid_client", "error code kept verbatim");
        assert!(
            e.hint().unwrap().contains("client_secret_post"),
            "hint explains basic-vs-post confusion"
        );
        let shown = e.to_string();
        assert!(
            shown.contains("client authentication failed") && shown.contains("hint:"),
            "display shows description and hint: {shown}"
        );
        assert!(
            OAuthError::from_json(&serde_json::json!({"access_token":"x"}), None).is_none(),
            "no error member → not an error"
        );
        let redirect = OAuthError {
            error_description: Some("redirect_uri did not match".into()),
            ..OAuthError::new("invalid_request")
        };
        assert!(
            redirect.hint().unwrap().contains("Redirect URI mismatch"),
            "redirect mismatch gets its own hint"
        );
    }

    #[test]
    fn a_grant_the_client_may_not_use_is_named_so() {
        // oidc-provider's answer to a device request from a client registered without it.
        let not_allowed = OAuthError {
            error_description: Some(
                "urn:ietf:params:oauth:grant-type:device_code is not allowed for this client"
                    .into(),
            ),
            ..OAuthError::new("invalid_request")
        };
        let hint = not_allowed.hint().unwrap_or_default();
        assert!(
            hint.contains("does not allow this client this grant") && hint.contains("grant_types"),
            "a grant missing from the client's registration is named, not 'a malformed parameter': {hint}"
        );
        let unauthorized = OAuthError::new("unauthorized_client")
            .hint()
            .unwrap_or_default();
        assert!(
            unauthorized.contains("registration at the server"),
            "unauthorized_client says the server's registration decides: {unauthorized}"
        );
    }
}
