//! The Decode screen's own commands: signing an edited TEST token with a pasted key, and copying
//! what the screen shows (a claim, the JSON, the test token) through the Rust clipboard — the
//! page's clipboard is not available in the window. The key arrives as a typed secret, is used
//! for one signature and dropped; it is never stored or logged.

use crate::AppState;
use crate::ipc::IpcError;
use oauthdesk_core::protocol::PrivateKey;
use tauri::State;

/// How long copied Decode text stays on the clipboard: long enough to paste into another tool;
/// the text may be a token (the pasted one, or a test token), so it does not stay forever.
const DECODE_COPY_CLEAR_SECS: u64 = 300;

#[tauri::command]
pub fn sign_test_token(
    state: State<'_, AppState>,
    header: String,
    claims: String,
    alg: String,
    key: PrivateKey,
) -> Result<String, IpcError> {
    Ok(state.desk.sign_test_token(&header, &claims, &alg, &key)?)
}

#[tauri::command]
pub fn copy_decoded_text(
    clipboard: State<'_, crate::clipboard::Clipboard>,
    text: String,
) -> Result<(), IpcError> {
    crate::clipboard::copy_then_clear(clipboard.inner().clone(), text, DECODE_COPY_CLEAR_SECS)
}
