//! Errors as they cross IPC: `{ code, message, hint?, oauth?, checks? }`. A code exists only where
//! the UI branches on it: `keychain` (banner), `needs_login` (offer Authorize), `oauth` (show the
//! server's error), `cancelled`, `invalid_input` and `error` for the rest. `checks` carries the
//! failed checks of a login's rejected ID token, for the UI to show as rows.

use oauthdesk_core::CoreError;
use oauthdesk_core::protocol::OAuthError;
use oauthdesk_core::protocol::verify::Check;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    /// Boxed: most errors have none, and the rest of the error stays small.
    pub oauth: Option<Box<OAuthError>>,
    /// The failed checks of an ID token a login refused (OIDC Core §3.1.3.7).
    pub checks: Option<Vec<Check>>,
}

impl IpcError {
    pub fn cancelled() -> Self {
        Self {
            code: "cancelled".into(),
            message: "Cancelled; the listener is closed and nothing was stored.".into(),
            hint: None,
            oauth: None,
            checks: None,
        }
    }

    pub fn other(message: impl Into<String>) -> Self {
        Self {
            code: "error".into(),
            message: message.into(),
            hint: None,
            oauth: None,
            checks: None,
        }
    }
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        let oauth = e.oauth().cloned().map(Box::new);
        let code = match &e {
            CoreError::Keychain { .. } | CoreError::SecretMissing { .. } => "keychain",
            CoreError::NeedsLogin { .. } => "needs_login",
            CoreError::InvalidInput(_)
            | CoreError::ClientExists(_)
            | CoreError::MissingEndpoint(_) => "invalid_input",
            CoreError::ClientNotFound(_) => "not_found",
            _ if oauth.is_some() => "oauth",
            _ => "error",
        };
        let hint = oauth.as_ref().and_then(|o| o.hint()).map(str::to_owned);
        let checks = match &e {
            CoreError::IdToken { checks } | CoreError::Jarm { checks } => Some(checks.clone()),
            _ => None,
        };
        let message = match &oauth {
            // The hint travels separately so the UI can lay it out on its own.
            Some(o) => format!(
                "The server answered {}{}",
                o.error,
                o.error_description
                    .as_deref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ),
            None => e.to_string(),
        };
        IpcError {
            code: code.into(),
            message,
            hint,
            oauth,
            checks,
        }
    }
}
