//! Copying a token without sending it to the page: the clipboard is written from Rust and
//! cleared after a delay, unless the user copied something else meanwhile.

use crate::ipc::IpcError;
use std::time::Duration;
use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

pub fn copy_then_clear<R: Runtime>(
    app: AppHandle<R>,
    token: String,
    clear_after_secs: u64,
) -> Result<(), IpcError> {
    app.clipboard()
        .write_text(token.clone())
        .map_err(|e| IpcError::other(format!("could not write the clipboard: {e}")))?;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(Duration::from_secs(clear_after_secs.clamp(5, 600))).await;
        if app.clipboard().read_text().is_ok_and(|t| t == token) {
            let _ = app.clipboard().write_text(String::new());
        }
    });
    Ok(())
}
