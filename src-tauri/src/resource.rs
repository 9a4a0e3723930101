//! Starting from an API (issue 13): probe a protected resource, make a client of it, and run the
//! MCP authorization flow. One line each into `Desk`; the MCP flow's progress goes out on a
//! channel like a login's, and `cancel_login` stops it (the same slot in `AppState`: one flow
//! runs at a time, and the MCP flow may itself run a browser login).

use crate::AppState;
use crate::ipc::IpcError;
use oauthdesk_core::desk::{
    McpOptions, McpReport, ProbeOptions, ResourceClient, ResourceClientRequest, ResourceProbe,
};
use oauthdesk_core::model::{FlowEvent, Progress};
use oauthdesk_core::protocol::CredentialInput;
use serde::Serialize;
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{Runtime, State};
use ts_rs::TS;

type Res<T> = Result<T, IpcError>;

/// A probe and the scopes a client of the resource would ask for (the challenge's `scope`,
/// else the metadata's `scopes_supported`: `ResourceProbe::suggested_scopes`, one rule for the
/// CLI and the GUI).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProbeAnswer {
    pub probe: ResourceProbe,
    pub suggested_scopes: Vec<String>,
}

/// Knocks on the resource without a token and follows it to its authorization servers.
#[tauri::command]
pub async fn probe_resource(
    state: State<'_, AppState>,
    url: String,
    options: ProbeOptions,
) -> Res<ProbeAnswer> {
    let probe = state.desk.probe_resource(&url, options).await?;
    Ok(ProbeAnswer {
        suggested_scopes: probe.suggested_scopes(),
        probe,
    })
}

/// Probes the resource again and makes a client of it; a secret goes to the keychain.
#[tauri::command]
pub async fn add_resource_client(
    state: State<'_, AppState>,
    request: ResourceClientRequest,
    secret: Option<CredentialInput>,
) -> Res<ResourceClient> {
    Ok(state.desk.add_resource_client(request, secret).await?)
}

/// The MCP authorization flow; every step, HTTP exchange and browser hand-off goes out on
/// `on_event`. A flow that fails is a report (`outcome: failed`); only an unusable URL or a
/// cancel is an error.
#[tauri::command]
pub async fn mcp_flow<R: Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
    url: String,
    options: McpOptions,
    on_event: Channel<FlowEvent>,
) -> Res<McpReport> {
    let progress: Progress = Arc::new(move |e| {
        crate::callback_focus::on_event(&window, &e);
        let _ = on_event.send(e);
    });
    let desk = state.desk.clone();
    let task =
        tauri::async_runtime::spawn(async move { desk.mcp_flow(&url, options, progress).await });
    state.set_flow(task.inner().abort_handle());
    match task.await {
        Ok(report) => Ok(report?),
        Err(_) => Err(IpcError::cancelled()),
    }
}
