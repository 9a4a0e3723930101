//! Errors as they cross IPC: `{ code, message, hint?, oauth? }`. A code exists only where the UI
//! branches on it: `keychain` (banner), `needs_login` (offer Authorize), `oauth` (show the
//! server's error), `cancelled`, `invalid_input` and `error` for the rest.

use oauthdesk_core::CoreError;
use oauthdesk_core::protocol::OAuthError;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    pub oauth: Option<OAuthError>,
}

impl IpcError {
    pub fn cancelled() -> Self {
        Self {
            code: "cancelled".into(),
            message: "Cancelled; the listener is closed and nothing was stored.".into(),
            hint: None,
            oauth: None,
        }
    }

    pub fn other(message: impl Into<String>) -> Self {
        Self {
            code: "error".into(),
            message: message.into(),
            hint: None,
            oauth: None,
        }
    }
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        let oauth = e.oauth().cloned();
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
        }
    }
}
