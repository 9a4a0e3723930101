//! Copying a token without sending it to the page: the clipboard is written from Rust, marked
//! to stay out of clipboard managers' histories (arboard's `exclude_from_history`: the
//! `x-kde-passwordManagerHint` convention on Linux, `ExcludeClipboardContentFromMonitorProcessing`
//! on Windows, `org.nspasteboard.ConcealedType` on macOS), and cleared after a delay unless the
//! user copied something else meanwhile.

use crate::ipc::IpcError;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The app's one clipboard handle. On X11 the copied text is served by this process for as
/// long as the handle lives, so it is opened once and kept.
#[derive(Default, Clone)]
pub struct Clipboard(Arc<Mutex<Option<arboard::Clipboard>>>);

impl Clipboard {
    fn with<T>(
        &self,
        f: impl FnOnce(&mut arboard::Clipboard) -> Result<T, arboard::Error>,
    ) -> Result<T, IpcError> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(arboard::Clipboard::new().map_err(unavailable)?);
        }
        match slot.as_mut() {
            Some(clipboard) => f(clipboard).map_err(unavailable),
            None => Err(IpcError::other("the clipboard is not available")),
        }
    }
}

fn unavailable(e: arboard::Error) -> IpcError {
    IpcError::other(format!("could not use the clipboard: {e}"))
}

fn set_secret(clipboard: &mut arboard::Clipboard, text: String) -> Result<(), arboard::Error> {
    let set = clipboard.set();
    #[cfg(any(target_os = "linux", target_os = "macos", windows))]
    let set = {
        #[cfg(target_os = "macos")]
        use arboard::SetExtApple as _;
        #[cfg(target_os = "linux")]
        use arboard::SetExtLinux as _;
        #[cfg(windows)]
        use arboard::SetExtWindows as _;
        set.exclude_from_history()
    };
    set.text(text)
}

pub fn copy_then_clear(
    clipboard: Clipboard,
    token: String,
    clear_after_secs: u64,
) -> Result<(), IpcError> {
    clipboard.with(|c| set_secret(c, token.clone()))?;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(Duration::from_secs(clear_after_secs.clamp(5, 600))).await;
        let _ = clipboard.with(|c| {
            if c.get_text().is_ok_and(|t| t == token) {
                c.clear()?;
            }
            Ok(())
        });
    });
    Ok(())
}

/// Copies text that is not a secret (a redacted curl command or response): kept out of
/// clipboard managers' histories like a token, but not cleared, since it is meant to be pasted
/// later.
pub fn copy_text(clipboard: &Clipboard, text: String) -> Result<(), IpcError> {
    clipboard.with(|c| set_secret(c, text))
}
