//! Environments and `{{variables}}`: one line per command into `Desk`. A secret variable's
//! value crosses IPC only inbound (the user typed it) and in `reveal_variable`, the explicit
//! reveal; every other answer carries its name and `secret: true`, no value.

use crate::AppState;
use crate::ipc::IpcError;
use oauthdesk_core::desk::{Environment, EnvironmentImport};
use oauthdesk_core::protocol::KeychainValue;
use tauri::State;

type Res<T> = Result<T, IpcError>;

#[tauri::command]
pub async fn list_environments(state: State<'_, AppState>) -> Res<Vec<Environment>> {
    Ok(state.desk.environments().await?)
}

#[tauri::command]
pub async fn create_environment(state: State<'_, AppState>, name: String) -> Res<Environment> {
    Ok(state.desk.create_environment(&name).await?)
}

#[tauri::command]
pub async fn rename_environment(
    state: State<'_, AppState>,
    name: String,
    new_name: String,
) -> Res<Environment> {
    Ok(state.desk.rename_environment(&name, &new_name).await?)
}

#[tauri::command]
pub async fn delete_environment(state: State<'_, AppState>, name: String) -> Res<()> {
    Ok(state.desk.delete_environment(&name).await?)
}

/// `name: null` leaves no environment active.
#[tauri::command]
pub async fn use_environment(
    state: State<'_, AppState>,
    name: Option<String>,
) -> Res<Option<Environment>> {
    Ok(state.desk.use_environment(name.as_deref()).await?)
}

#[tauri::command]
pub async fn set_variable(
    state: State<'_, AppState>,
    environment: String,
    name: String,
    value: String,
    secret: bool,
) -> Res<Environment> {
    let value = KeychainValue::new(value);
    Ok(state
        .desk
        .set_variable(&environment, &name, value, secret)
        .await?)
}

#[tauri::command]
pub async fn unset_variable(
    state: State<'_, AppState>,
    environment: String,
    name: String,
) -> Res<Environment> {
    Ok(state.desk.unset_variable(&environment, &name).await?)
}

/// The explicit reveal path for a secret variable (the eye button).
#[tauri::command]
pub async fn reveal_variable(
    state: State<'_, AppState>,
    environment: String,
    name: String,
) -> Res<String> {
    Ok(state.desk.reveal_variable(&environment, &name).await?)
}

/// Imports a Postman environment file's text (the page reads the chosen file).
#[tauri::command]
pub async fn import_postman_environment(
    state: State<'_, AppState>,
    text: String,
) -> Res<EnvironmentImport> {
    Ok(state.desk.import_postman_environment(&text).await?)
}
