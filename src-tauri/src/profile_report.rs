//! The Report screen's profile verdicts: `fapi2_report` is `oauthdesk report NAME --profile
//! fapi2` (the FAPI 2.0 Security Profile over the metadata and every recorded exchange).

use crate::AppState;
use crate::ipc::IpcError;
use oauthdesk_core::desk::ProfileReport;
use tauri::State;

#[tauri::command]
pub async fn fapi2_report(
    state: State<'_, AppState>,
    client: String,
) -> Result<ProfileReport, IpcError> {
    Ok(state.desk.fapi2_report(&client).await?)
}
