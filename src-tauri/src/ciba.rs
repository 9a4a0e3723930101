//! The Authorize screen's CIBA and JWT bearer options (what `login --grant ciba|jwt_bearer`
//! takes), and the client's CIBA settings for its panel. The assertion crosses IPC inbound
//! only, once, into the login; nothing sends it back.

use crate::AppState;
use crate::ipc::IpcError;
use oauthdesk_core::CoreError;
use oauthdesk_core::desk::{CibaOptions, CibaSettings, CibaUpdate, JwtBearerOptions};
use oauthdesk_core::protocol::TlsClientKey;
use oauthdesk_core::protocol::grant::ciba::DeliveryMode;
use oauthdesk_core::protocol::secret::Assertion;
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

/// CIBA and JWT bearer options of a login request.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct HighAssuranceLogin {
    #[serde(default)]
    pub login_hint: Option<String>,
    #[serde(default)]
    pub binding_message: Option<String>,
    #[serde(default)]
    pub user_code: Option<String>,
    /// `null`: the client's registered mode, else poll.
    #[serde(default)]
    pub ciba_mode: Option<DeliveryMode>,
    #[serde(default)]
    pub requested_expiry: Option<u64>,
    /// A pasted assertion (RFC 7523 §2.1); goes straight to the token request.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub assertion: Option<Assertion>,
    /// Claims (a JSON object) for an assertion signed with the client's key or secret.
    #[serde(default)]
    pub assertion_claims: Option<String>,
}

pub fn login_options(h: Option<HighAssuranceLogin>) -> (CibaOptions, JwtBearerOptions) {
    let h = h.unwrap_or_default();
    let text = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    (
        CibaOptions {
            login_hint: text(h.login_hint),
            binding_message: text(h.binding_message),
            user_code: text(h.user_code),
            mode: h.ciba_mode,
            requested_expiry: h.requested_expiry,
        },
        JwtBearerOptions {
            assertion: h.assertion.filter(|a| !a.expose().trim().is_empty()),
            claims: text(h.assertion_claims),
        },
    )
}

#[tauri::command]
pub async fn ciba_settings(
    state: State<'_, AppState>,
    client: String,
) -> Result<CibaSettings, IpcError> {
    Ok(state.desk.ciba_settings(&client).await?)
}

/// A change of the client's CIBA settings from its editor. The key (PEM) goes to the keychain.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct CibaSettingsInput {
    pub delivery_mode: DeliveryMode,
    /// `null` keeps the current endpoint, `""` removes it.
    #[serde(default)]
    pub notification_endpoint: Option<String>,
    /// A new certificate chain (PEM) for an https endpoint, with `tls_key_pem`.
    #[serde(default)]
    pub tls_cert_pem: Option<String>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub tls_key_pem: Option<TlsClientKey>,
    #[serde(default)]
    pub clear_tls: bool,
}

#[tauri::command]
pub async fn set_ciba_settings(
    state: State<'_, AppState>,
    client: String,
    input: CibaSettingsInput,
) -> Result<CibaSettings, IpcError> {
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|v| v.trim().is_empty());
    let tls = match (input.tls_cert_pem, input.tls_key_pem) {
        (Some(cert), Some(key)) if !cert.trim().is_empty() && !key.expose().trim().is_empty() => {
            Some((cert, key))
        }
        (cert, key)
            if blank(&cert) && key.as_ref().is_none_or(|k| k.expose().trim().is_empty()) =>
        {
            None
        }
        _ => {
            return Err(CoreError::InvalidInput(
                "give the notification endpoint's certificate and its key together".into(),
            )
            .into());
        }
    };
    let update = CibaUpdate {
        delivery_mode: input.delivery_mode,
        notification_endpoint: input.notification_endpoint,
        tls,
        clear_tls: input.clear_tls,
    };
    Ok(state.desk.set_ciba_settings(&client, update).await?)
}
