//! The IPC surface: one line per command into `Desk` (DESIGN.md §2). Raw tokens cross only in
//! `reveal_token`, an explicit user action; `copy_token` puts a token on the clipboard from Rust
//! and never sends it to the page at all.

use crate::AppState;
use crate::ipc::IpcError;
use oauthdesk_core::desk::{
    ApiRequest, ApiResponse, AuditFilter, AuditFormat, AuditPage, DecodedToken, ExchangeRequest,
    GrantInspection, ImportReport, InspectOptions, Inspection, KeychainStatus, LogoutOutcome,
    ProviderReport, RegistrationRequest, SavedRequest, Settings, TokenKind, TokenVerification,
    VerifyOptions,
};
use oauthdesk_core::model::{
    Client, ClientSpec, FlowEvent, FlowTranscript, GrantPage, GrantSummary, GrantType, GrantView,
    HistoryEvent,
};
use oauthdesk_core::protocol::discovery::ServerMetadata;
use oauthdesk_core::protocol::transcript::{RecordedRequest, to_curl};
use oauthdesk_core::protocol::{AccessToken, CredentialInput, Password};
use oauthdesk_core::{GrantRef, LoginOptions, RevokeWhich};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

type Res<T> = Result<T, IpcError>;

/// What the UI shows in its title area: the product name and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    pub data_dir: String,
}

impl AppInfo {
    /// The built name and version, and where the store is.
    pub fn of(package: &tauri::PackageInfo, desk: &oauthdesk_core::desk::Desk) -> Self {
        AppInfo {
            name: package.name.clone(),
            version: package.version.to_string(),
            data_dir: desk.home().display().to_string(),
        }
    }
}

/// What the Authorize screen sends to start a flow.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct LoginRequest {
    pub grant: GrantType,
    pub scope: Option<String>,
    #[serde(default)]
    pub extra_params: Vec<(String, String)>,
    pub username: Option<String>,
    /// Only for the legacy password grant; goes straight to the token request.
    #[ts(type = "string | null")]
    pub password: Option<Password>,
    /// Rich authorization request (RFC 9396) for this login, instead of the client's default.
    #[serde(default)]
    #[ts(optional, type = "Array<unknown> | null")]
    pub authorization_details: Option<serde_json::Value>,
    /// CIBA and JWT bearer options (login hint, binding message, mode; assertion or claims).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub high_assurance: Option<crate::ciba::HighAssuranceLogin>,
}

#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> AppInfo {
    AppInfo::of(app.package_info(), &state.desk)
}

#[tauri::command]
pub async fn keychain_status(state: State<'_, AppState>) -> Res<KeychainStatus> {
    Ok(state.desk.keychain().await)
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> Res<Settings> {
    Ok(state.desk.settings().await?)
}

#[tauri::command]
pub async fn set_settings(state: State<'_, AppState>, settings: Settings) -> Res<Settings> {
    Ok(state.desk.set_settings(settings).await?)
}

#[tauri::command]
pub async fn list_clients(state: State<'_, AppState>) -> Res<Vec<Client>> {
    crate::startup::first_list();
    Ok(state.desk.list_clients().await?)
}

#[tauri::command]
pub async fn discover(
    state: State<'_, AppState>,
    issuer: String,
    insecure: bool,
    ca_pem: Option<String>,
) -> Res<ServerMetadata> {
    Ok(state
        .desk
        .discover_with_ca(&issuer, insecure, ca_pem.as_deref())
        .await?)
}

#[tauri::command]
pub async fn add_client(
    state: State<'_, AppState>,
    spec: ClientSpec,
    secret: Option<CredentialInput>,
) -> Res<Client> {
    Ok(state.desk.add_client(spec, secret).await?)
}

#[tauri::command]
pub async fn update_client(
    state: State<'_, AppState>,
    name: String,
    spec: ClientSpec,
    secret: Option<CredentialInput>,
) -> Res<Client> {
    Ok(state.desk.update_client(&name, spec, secret).await?)
}

#[tauri::command]
pub async fn duplicate_client(
    state: State<'_, AppState>,
    name: String,
    new_name: String,
) -> Res<Client> {
    Ok(state.desk.duplicate_client(&name, &new_name).await?)
}

#[tauri::command]
pub async fn remove_client(
    state: State<'_, AppState>,
    name: String,
    revoke_first: bool,
) -> Res<()> {
    Ok(state.desk.remove_client(&name, revoke_first).await?)
}

/// Starts a flow; progress goes out on `on_event`. `cancel_login` aborts it (the listener closes).
#[tauri::command]
pub async fn login<R: Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
    client: String,
    request: LoginRequest,
    on_event: Channel<FlowEvent>,
) -> Res<LoginResult> {
    let (ciba, jwt_bearer) = crate::ciba::login_options(request.high_assurance);
    let opts = LoginOptions {
        ciba,
        jwt_bearer,
        grant: request.grant,
        scope: request.scope,
        extra_params: request.extra_params,
        username: request.username,
        password: request.password,
        no_open: false,
        authorization_details: request.authorization_details,
    };
    let flow_id = Arc::new(std::sync::Mutex::new(String::new()));
    let seen = flow_id.clone();
    let progress: oauthdesk_core::model::Progress = Arc::new(move |e| {
        if let FlowEvent::Started { flow_id } = &e {
            *seen.lock().unwrap_or_else(|p| p.into_inner()) = flow_id.clone();
        }
        crate::callback_focus::on_event(&window, &e);
        let _ = on_event.send(e);
    });
    let desk = state.desk.clone();
    let task =
        tauri::async_runtime::spawn(async move { desk.login(&client, opts, progress).await });
    state.set_flow(task.inner().abort_handle());
    match task.await {
        Ok(result) => Ok(LoginResult {
            grant: result?,
            flow_id: flow_id.lock().unwrap_or_else(|p| p.into_inner()).clone(),
        }),
        Err(_) => Err(IpcError::cancelled()),
    }
}

/// What a finished login answers: the grant, and the flow whose transcript it left.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LoginResult {
    pub flow_id: String,
    pub grant: GrantView,
}

/// One flow's transcript by the id its `started` event carried (failed flows too).
#[tauri::command]
pub async fn flow_transcript(
    state: State<'_, AppState>,
    flow_id: String,
) -> Res<Option<FlowTranscript>> {
    Ok(state.desk.flow_transcript(&flow_id).await?)
}

#[tauri::command]
pub fn cancel_login(state: State<'_, AppState>) -> bool {
    state.cancel_flow()
}

/// A page of the grant list; `limit` -1 for everything after `offset`.
#[tauri::command]
pub async fn grant_page(
    state: State<'_, AppState>,
    client: Option<String>,
    offset: i64,
    limit: i64,
) -> Res<GrantPage> {
    Ok(state
        .desk
        .grant_page(client.as_deref(), offset, limit)
        .await?)
}

#[tauri::command]
pub async fn list_grants(
    state: State<'_, AppState>,
    client: Option<String>,
) -> Res<Vec<GrantSummary>> {
    Ok(state.desk.grant_summaries(client.as_deref()).await?)
}

#[tauri::command]
pub async fn inspect_grant(state: State<'_, AppState>, id: String) -> Res<GrantInspection> {
    Ok(state.desk.inspect_grant(&id).await?)
}

#[tauri::command]
pub async fn refresh_grant(state: State<'_, AppState>, id: String) -> Res<GrantView> {
    Ok(state.desk.refresh(GrantRef::Id(&id)).await?)
}

#[tauri::command]
pub async fn revoke_grant(
    state: State<'_, AppState>,
    id: String,
    which: RevokeWhich,
) -> Res<GrantView> {
    Ok(state.desk.revoke(GrantRef::Id(&id), which).await?)
}

#[tauri::command]
pub async fn introspect_grant(
    state: State<'_, AppState>,
    id: String,
    refresh_token: bool,
) -> Res<serde_json::Value> {
    Ok(state
        .desk
        .introspect(GrantRef::Id(&id), refresh_token)
        .await?)
}

#[tauri::command]
pub async fn userinfo_grant(state: State<'_, AppState>, id: String) -> Res<serde_json::Value> {
    Ok(state.desk.userinfo(GrantRef::Id(&id)).await?)
}

#[tauri::command]
pub async fn forget_grant(state: State<'_, AppState>, id: String) -> Res<()> {
    Ok(state.desk.forget_grant(&id).await?)
}

/// Explicit reveal: the one command that sends a raw token to the page.
#[tauri::command]
pub async fn reveal_token(state: State<'_, AppState>, id: String, which: TokenKind) -> Res<String> {
    Ok(state.desk.reveal_token(&id, which).await?)
}

/// Copies a token to the clipboard from Rust and clears it after `clear_after_secs` if the
/// clipboard still holds it. Returns when the copy is done.
#[tauri::command]
pub async fn copy_token(
    state: State<'_, AppState>,
    clipboard: State<'_, crate::clipboard::Clipboard>,
    id: String,
    which: TokenKind,
    clear_after_secs: u64,
) -> Res<()> {
    let token = state.desk.reveal_token(&id, which).await?;
    crate::clipboard::copy_then_clear(clipboard.inner().clone(), token, clear_after_secs)
}

#[tauri::command]
pub fn decode_token(state: State<'_, AppState>, token: String) -> Res<DecodedToken> {
    Ok(state.desk.decode_token(&token)?)
}

#[tauri::command]
pub async fn call_api(
    state: State<'_, AppState>,
    grant_id: String,
    request: ApiRequest,
) -> Res<ApiResponse> {
    Ok(state
        .desk
        .call_api(GrantRef::Id(&grant_id), request)
        .await?)
}

#[tauri::command]
pub async fn saved_requests(state: State<'_, AppState>, client: String) -> Res<Vec<SavedRequest>> {
    Ok(state.desk.saved_requests(&client).await?)
}

#[tauri::command]
pub async fn save_request(
    state: State<'_, AppState>,
    client: String,
    request: SavedRequest,
) -> Res<SavedRequest> {
    Ok(state.desk.save_request(&client, request).await?)
}

#[tauri::command]
pub async fn delete_saved_request(state: State<'_, AppState>, id: String) -> Res<()> {
    Ok(state.desk.delete_saved_request(&id).await?)
}

#[tauri::command]
pub async fn history(state: State<'_, AppState>, client: Option<String>) -> Res<Vec<HistoryEvent>> {
    Ok(state.desk.history(client.as_deref()).await?)
}

#[tauri::command]
pub async fn transcripts(
    state: State<'_, AppState>,
    client: String,
    limit: i64,
) -> Res<Vec<FlowTranscript>> {
    Ok(state.desk.transcripts(&client, limit).await?)
}

#[tauri::command]
pub fn open_in_browser(state: State<'_, AppState>, url: String) -> Res<()> {
    Ok(state.desk.open_in_browser(&url)?)
}

#[tauri::command]
pub fn render_curl(request: RecordedRequest) -> String {
    to_curl(&request)
}

#[tauri::command]
pub async fn inspect_tokens(
    state: State<'_, AppState>,
    id: String,
    introspect: bool,
) -> Res<Inspection> {
    Ok(state
        .desk
        .inspect(GrantRef::Id(&id), InspectOptions { introspect })
        .await?)
}

#[tauri::command]
pub async fn verify_token(
    state: State<'_, AppState>,
    token: String,
    options: VerifyOptions,
) -> Res<TokenVerification> {
    Ok(state.desk.verify_token(&token, options).await?)
}

/// The audit rows from `offset` (at most `limit`) and how many match: the Audit screen asks for
/// the window it shows, never for every row of a large store.
#[tauri::command]
pub async fn audit_page(
    state: State<'_, AppState>,
    filter: AuditFilter,
    offset: i64,
    limit: i64,
) -> Res<AuditPage> {
    Ok(state.desk.audit_page(&filter, offset, limit).await?)
}

/// Writes the audit to `<data dir>/exports/` and returns the file's path.
#[tauri::command]
pub async fn export_audit(
    state: State<'_, AppState>,
    filter: AuditFilter,
    format: AuditFormat,
) -> Res<String> {
    Ok(state
        .desk
        .save_audit(&filter, format)
        .await?
        .display()
        .to_string())
}

#[tauri::command]
pub async fn provider_report(state: State<'_, AppState>, client: String) -> Res<ProviderReport> {
    Ok(state.desk.provider_report(&client).await?)
}

/// Writes the clients (all when `names` is empty) to `<data dir>/exports/`, without secrets.
#[tauri::command]
pub async fn export_clients(state: State<'_, AppState>, names: Vec<String>) -> Res<String> {
    Ok(state
        .desk
        .save_clients_export(&names)
        .await?
        .display()
        .to_string())
}

/// Imports an OAuth Desk export or a Postman collection given as text.
#[tauri::command]
pub async fn import_clients(
    state: State<'_, AppState>,
    text: String,
    postman_env: Option<String>,
    with_secrets: bool,
) -> Res<ImportReport> {
    Ok(state
        .desk
        .import_clients(&text, postman_env.as_deref(), with_secrets)
        .await?)
}

/// Ends the grant's session: at the server (system browser) unless `local_only`, then revokes
/// and forgets it.
#[tauri::command]
pub async fn logout_grant(
    state: State<'_, AppState>,
    id: String,
    local_only: bool,
) -> Res<LogoutOutcome> {
    Ok(state
        .desk
        .logout(GrantRef::Id(&id), local_only, false, Arc::new(|_| {}))
        .await?)
}

/// Registers a client at the issuer (RFC 7591); an initial access token if the server needs one.
#[tauri::command]
pub async fn register_client(
    state: State<'_, AppState>,
    request: RegistrationRequest,
    initial_access_token: Option<AccessToken>,
) -> Res<Client> {
    let token = initial_access_token.filter(|t| !t.expose().is_empty());
    Ok(state.desk.register_client(request, token).await?)
}

/// The registration as the server holds it (RFC 7592), without secrets.
#[tauri::command]
pub async fn read_registration(state: State<'_, AppState>, name: String) -> Res<serde_json::Value> {
    Ok(state.desk.read_registration(&name).await?)
}

/// Deletes the registration at the server, then the client here.
#[tauri::command]
pub async fn delete_registration(state: State<'_, AppState>, name: String) -> Res<()> {
    Ok(state.desk.delete_registration(&name).await?)
}

/// Token exchange (RFC 8693) as `client`; the issued token becomes a grant of it.
#[tauri::command]
pub async fn exchange_token(
    state: State<'_, AppState>,
    client: String,
    request: ExchangeRequest,
) -> Res<GrantView> {
    Ok(state.desk.exchange(&client, request).await?)
}

/// Provider presets with their quirks.
#[tauri::command]
pub fn presets() -> Vec<oauthdesk_core::presets::Preset> {
    oauthdesk_core::presets::presets()
}

/// `spec` completed from preset `id` with `vars` (fields already set win).
#[tauri::command]
pub fn apply_preset(id: String, vars: Vec<(String, String)>, spec: ClientSpec) -> Res<ClientSpec> {
    Ok(oauthdesk_core::presets::apply(&id, &vars, spec)?)
}

/// Auto-refresh a grant before it expires while the app runs.
#[tauri::command]
pub async fn set_auto_refresh(state: State<'_, AppState>, id: String, on: bool) -> Res<GrantView> {
    Ok(state.desk.set_auto_refresh(&id, on).await?)
}
