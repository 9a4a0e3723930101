//! The floor that `scripts/measure-gui` measures the app against (issue 16): a Tauri 2 window
//! with a static page and nothing else. It does only what the app's own start-up does to any
//! window — WebKit's compositing off unless the environment says otherwise, the window created
//! hidden and shown once its page has loaded (src-tauri/src/main.rs and lib.rs) — so the same
//! environment measures the same WebKit path, and every difference is the app's own work.

fn main() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // SAFETY: first statement of main, before any thread exists.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        };
    }
    tauri::Builder::default()
        .on_page_load(|webview, payload| {
            use tauri::Manager;
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished)
                && let Some(window) = webview.app_handle().get_webview_window("main")
            {
                let _ = window.show();
                let _ = window.set_focus();
            }
        })
        .run(tauri::generate_context!())
        .expect("bare window failed to start");
}
