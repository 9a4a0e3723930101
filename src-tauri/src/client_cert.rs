//! The client editor's "Client certificate" section (RFC 8705): import a certificate and key
//! (PEM pasted, or a PKCS#12 file and its password), remove it. The key and the password cross
//! IPC inbound only, once, into the keychain; answers carry the certificate's description.

use crate::AppState;
use crate::ipc::IpcError;
use oauthdesk_core::desk::CertificateImport;
use oauthdesk_core::model::Client;
use tauri::State;

#[tauri::command]
pub async fn import_client_certificate(
    state: State<'_, AppState>,
    name: String,
    source: CertificateImport,
) -> Result<Client, IpcError> {
    Ok(state.desk.import_client_certificate(&name, source).await?)
}

#[tauri::command]
pub async fn remove_client_certificate(
    state: State<'_, AppState>,
    name: String,
) -> Result<Client, IpcError> {
    Ok(state.desk.remove_client_certificate(&name).await?)
}
