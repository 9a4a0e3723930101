//! Call API's step-up (issue 13): "Re-authorize and retry" logs in again as the refused call's
//! plan says (a browser login, progress on a channel like a login's; `cancel_login` stops it)
//! and sends the request once more with the new grant. One line into `Desk`.

use crate::AppState;
use crate::ipc::IpcError;
use oauthdesk_core::desk::{ApiRequest, StepUpPlan, SteppedUp};
use oauthdesk_core::model::{FlowEvent, Progress};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{Runtime, State};

type Res<T> = Result<T, IpcError>;

/// The new login and the one retry; the answer carries the new grant (to select it) and the
/// retry's response, explained like any other.
#[tauri::command]
pub async fn step_up_and_retry<R: Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
    plan: StepUpPlan,
    request: ApiRequest,
    on_event: Channel<FlowEvent>,
) -> Res<SteppedUp> {
    let progress: Progress = Arc::new(move |e| {
        crate::callback_focus::on_event(&window, &e);
        let _ = on_event.send(e);
    });
    let desk = state.desk.clone();
    let task = tauri::async_runtime::spawn(async move {
        desk.step_up_and_retry(&plan, request, false, progress)
            .await
    });
    state.set_flow(task.inner().abort_handle());
    match task.await {
        Ok(result) => Ok(result?),
        Err(_) => Err(IpcError::cancelled()),
    }
}
