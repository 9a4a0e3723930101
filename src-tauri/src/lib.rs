//! The Tauri 2 shell of OAuth Desk: it opens the window, serves `ui/dist`, and exposes commands
//! that are one line each. The work itself belongs to `oauthdesk-core` (see DESIGN.md §2).
//! The window never shows an authorization page: flows run in the system browser (RFC 8252).

mod bindings;
mod boot;
mod call;
mod callback_focus;
mod ciba;
mod client_cert;
mod clipboard;
pub mod commands;
mod decode;
mod environments;
pub mod ipc;
mod profile_report;
mod resource;
pub mod startup;
mod transcript_copy;

use oauthdesk_core::{Desk, DeskConfig};
use std::sync::{Arc, Mutex};
use tauri::{Builder, Manager, Runtime};
use tauri_plugin_window_state::StateFlags;

pub use bindings::typescript as typescript_bindings;

/// What the commands share: the one `Desk`, and the flow in progress (to cancel it).
pub struct AppState {
    pub desk: Arc<Desk>,
    flow: Mutex<Option<tokio::task::AbortHandle>>,
}

impl AppState {
    pub fn new(desk: Desk) -> Self {
        Self {
            desk: Arc::new(desk),
            flow: Mutex::new(None),
        }
    }

    fn set_flow(&self, handle: tokio::task::AbortHandle) {
        if let Some(old) = self
            .flow
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .replace(handle)
        {
            old.abort();
        }
    }

    /// Aborts the running flow; dropping it closes the loopback listener.
    fn cancel_flow(&self) -> bool {
        self.flow
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .map(|h| h.abort())
            .is_some()
    }
}

/// Adds the commands to a builder. Shared by [`run`] and the tests, which use the mock runtime.
pub fn register<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    use commands::*;
    builder.invoke_handler(tauri::generate_handler![
        app_info,
        keychain_status,
        get_settings,
        set_settings,
        list_clients,
        discover,
        add_client,
        update_client,
        duplicate_client,
        remove_client,
        crate::client_cert::import_client_certificate,
        crate::client_cert::remove_client_certificate,
        login,
        cancel_login,
        flow_transcript,
        list_grants,
        inspect_grant,
        refresh_grant,
        revoke_grant,
        introspect_grant,
        userinfo_grant,
        forget_grant,
        reveal_token,
        copy_token,
        decode_token,
        crate::decode::sign_test_token,
        crate::decode::copy_decoded_text,
        call_api,
        crate::call::step_up_and_retry,
        saved_requests,
        save_request,
        delete_saved_request,
        history,
        transcripts,
        render_curl,
        open_in_browser,
        inspect_tokens,
        verify_token,
        audit_page,
        export_audit,
        provider_report,
        crate::profile_report::fapi2_report,
        crate::ciba::ciba_settings,
        crate::ciba::set_ciba_settings,
        grant_page,
        export_clients,
        import_clients,
        logout_grant,
        register_client,
        read_registration,
        delete_registration,
        exchange_token,
        presets,
        apply_preset,
        set_auto_refresh,
        crate::environments::list_environments,
        crate::environments::create_environment,
        crate::environments::rename_environment,
        crate::environments::delete_environment,
        crate::environments::use_environment,
        crate::environments::set_variable,
        crate::environments::unset_variable,
        crate::environments::reveal_variable,
        crate::environments::import_postman_environment,
        crate::transcript_copy::copy_curl,
        crate::transcript_copy::copy_response,
        crate::resource::probe_resource,
        crate::resource::add_resource_client,
        crate::resource::mcp_flow
    ])
}

/// The window is created hidden and shown once its page has loaded. Mapped earlier, while the web
/// process was still starting, WebKitGTK blocked the UI thread for about 0.5 s in one start in
/// three, with no process using CPU meanwhile (a wait that ends in a timeout; seen with
/// `OAUTHDESK_TRACE_STARTUP=1`, perf and strace). Showing a loaded page also avoids a blank frame.
const SHOW_WINDOW_AT_LATEST: std::time::Duration = std::time::Duration::from_secs(3);

fn show_main_window<R: Runtime>(app: &tauri::AppHandle<R>) {
    // Once, by our own flag: `is_visible` can already say true for a window that was never
    // shown (WebKitWebDriver sizing it through automation does that).
    static SHOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if let Some(window) = app.get_webview_window("main")
        && !SHOWN.swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        let _ = window.show();
        let _ = window.set_focus();
        startup::mark("window shown");
        // On the engine's blocking threads: the page's own work goes on meanwhile.
        let desk = app.state::<AppState>().desk.clone();
        tauri::async_runtime::spawn(async move {
            let warmed = desk.warm_lists().await;
            startup::mark(format_args!(
                "lists warmed ({})",
                if warmed.is_ok() { "ok" } else { "failed" }
            ));
        });
    }
}

/// How often due grants are looked for, and how long before expiry they are refreshed.
const AUTO_REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(20);
const AUTO_REFRESH_MARGIN_SECS: i64 = 90;

/// Refreshes auto-refresh grants before they expire while the app runs; tells the page that
/// grants changed, and the desktop (a notification) when a refresh failed.
async fn auto_refresh_loop<R: Runtime>(app: tauri::AppHandle<R>, desk: std::sync::Arc<Desk>) {
    use tauri::Emitter;
    use tauri_plugin_notification::NotificationExt;
    loop {
        tokio::time::sleep(AUTO_REFRESH_EVERY).await;
        let Ok(outcomes) = desk.refresh_due(AUTO_REFRESH_MARGIN_SECS).await else {
            continue;
        };
        if outcomes.is_empty() {
            continue;
        }
        let _ = app.emit("grants-changed", outcomes.len());
        for o in outcomes.iter().filter(|o| o.error.is_some()) {
            let (title, body) = auto_refresh_notice(o);
            // Without a notification service (a bare Xvfb) the history still has the failure.
            let _ = app.notification().builder().title(title).body(body).show();
        }
    }
}

/// The notification for a failed auto-refresh: "Log in again" when only a new login helps
/// (desktop notifications carry no buttons: the grant in Tokens has the button).
fn auto_refresh_notice(o: &oauthdesk_core::desk::AutoRefreshOutcome) -> (String, String) {
    let error = o.error.as_deref().unwrap_or_default();
    if o.needs_login {
        (
            format!("Log in again to {}", o.client),
            format!("{error}\nOpen OAuth Desk: Tokens → the grant → Log in again."),
        )
    } else {
        (
            "OAuth Desk could not refresh a token".to_owned(),
            format!("{}: {error}", o.client),
        )
    }
}

/// Starts the desktop app; returns when the last window closes.
pub fn run() {
    startup::mark("main");
    let desk = tauri::async_runtime::block_on(async { Desk::open(DeskConfig::from_env()?).await });
    startup::mark("data opened");
    let desk = match desk {
        Ok(d) => d,
        Err(e) => {
            eprintln!("OAuth Desk could not open its data: {e}");
            std::process::exit(1);
        }
    };
    let context = tauri::generate_context!();
    let info = commands::AppInfo::of(context.package_info(), &desk);
    register(tauri::Builder::default())
        // Must be the first plugin: a second launch hands over to the running app and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        // Visibility is not restored: the window starts hidden and is shown once its page has
        // loaded (see show_main_window).
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(StateFlags::all() - StateFlags::VISIBLE)
                .build(),
        )
        .plugin(boot::plugin(&desk, &info))
        .manage(clipboard::Clipboard::default())
        .plugin(tauri_plugin_notification::init())
        .manage(AppState::new(desk))
        .on_page_load(|webview, payload| {
            startup::mark(format_args!("page load {:?}", payload.event()));
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished) {
                show_main_window(webview.app_handle());
            }
        })
        .setup(|app| {
            startup::mark("setup (window created, hidden)");
            // Shown when its page has loaded; a page that never reports it still gets its window.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(SHOW_WINDOW_AT_LATEST).await;
                show_main_window(&handle);
            });
            let desk = app.state::<AppState>().desk.clone();
            tauri::async_runtime::spawn(auto_refresh_loop(app.handle().clone(), desk));
            Ok(())
        })
        .run(context)
        .expect("OAuth Desk failed to start");
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauthdesk_core::secrets::MemoryStore;
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{
        INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
    };
    use tauri::webview::InvokeRequest;

    struct TestApp {
        _app: tauri::App<MockRuntime>,
        webview: tauri::WebviewWindow<MockRuntime>,
        _home: tempfile::TempDir,
    }

    fn app() -> TestApp {
        let home = tempfile::tempdir().expect("tempdir");
        let config =
            DeskConfig::with_secrets(home.path().to_path_buf(), Arc::new(MemoryStore::default()));
        let desk = tauri::async_runtime::block_on(Desk::open(config)).expect("desk opens");
        let mut context = mock_context(noop_assets());
        context.package_info_mut().name = "OAuth Desk".into();
        context.package_info_mut().version = "9.8.7".parse().expect("valid semver");
        let app = register(mock_builder())
            .manage(AppState::new(desk))
            .build(context)
            .expect("mock app builds");
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock main window builds");
        TestApp {
            _app: app,
            webview,
            _home: home,
        }
    }

    fn invoke(
        t: &TestApp,
        cmd: &str,
        body: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        get_ipc_response(
            &t.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().expect("static URL parses"),
                body: InvokeBody::Json(body),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.into(),
            },
        )
        .map(|b| {
            b.deserialize::<serde_json::Value>()
                .expect("response is JSON")
        })
    }

    #[test]
    fn app_info_reports_the_package_name_version_and_data_dir() {
        let t = app();
        let info = invoke(&t, "app_info", serde_json::json!({})).expect("app_info succeeds");
        assert_eq!(
            (info["name"].as_str(), info["version"].as_str()),
            (Some("OAuth Desk"), Some("9.8.7")),
            "the header shows the built name and version"
        );
        assert!(
            info["data_dir"].as_str().is_some_and(|d| !d.is_empty()),
            "Settings shows the data dir"
        );
    }

    #[test]
    fn a_client_secret_goes_in_and_never_comes_back() {
        let t = app();
        assert_eq!(
            invoke(&t, "list_clients", serde_json::json!({})).unwrap(),
            serde_json::json!([]),
            "empty store"
        );
        let spec = serde_json::json!({ "name": "api", "client_id": "cid", "issuer": null, "auth_method": "client_secret_post",
            "endpoints": { "token": "https://as.example/token", "authorization": "https://as.example/authorize" },
            "scopes": "read write", "redirect_uri": null });
        let added = invoke(
            &t,
            "add_client",
            serde_json::json!({ "spec": spec, "secret": "hunter2-the-secret" }),
        )
        .expect("add_client succeeds");
        assert_eq!(
            added["has_secret"], true,
            "the page learns only that a secret is stored"
        );
        let listed = invoke(&t, "list_clients", serde_json::json!({})).unwrap();
        for payload in [&added, &listed] {
            assert!(
                !payload.to_string().contains("hunter2"),
                "the secret never crosses IPC back: {payload}"
            );
        }
        let copy = invoke(
            &t,
            "duplicate_client",
            serde_json::json!({ "name": "api", "newName": "api copy" }),
        )
        .expect("duplicate works");
        assert_eq!(
            (copy["name"].as_str(), copy["has_secret"].as_bool()),
            (Some("api copy"), Some(true)),
            "the copy has its own stored secret"
        );
    }

    #[test]
    fn errors_cross_as_code_message_and_hint() {
        let t = app();
        let missing = invoke(
            &t,
            "remove_client",
            serde_json::json!({ "name": "nope", "revokeFirst": false }),
        )
        .unwrap_err();
        assert_eq!(
            missing["code"], "not_found",
            "an unknown client crosses IPC as code not_found: {missing}"
        );
        let spec = serde_json::json!({ "name": "x", "client_id": "c", "issuer": null, "auth_method": null, "endpoints": { "token": "http://as.example/token" }, "redirect_uri": null });
        let insecure = invoke(
            &t,
            "add_client",
            serde_json::json!({ "spec": spec, "secret": null }),
        )
        .unwrap_err();
        assert_eq!(
            insecure["code"], "invalid_input",
            "plain http to a remote token endpoint is refused as invalid input"
        );
        assert!(
            insecure["message"].as_str().unwrap().contains("plain http"),
            "the reason is in words: {insecure}"
        );
        let needs = invoke(&t, "list_grants", serde_json::json!({ "client": "nope" })).unwrap_err();
        assert_eq!(
            needs["code"], "not_found",
            "grants of an unknown client are refused as not found"
        );
    }

    #[test]
    fn decode_shows_parts_of_a_pasted_token() {
        let t = app();
        let jwt =
            "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTAwfQ.c2ln";
        let d = invoke(&t, "decode_token", serde_json::json!({ "token": jwt })).expect("decodes");
        assert_eq!(
            (d["kind"].as_str(), d["jwt"]["claims"]["sub"].as_str()),
            (Some("jws"), Some("alice")),
            "a pasted JWS decodes as jws, with its claims"
        );
        assert_eq!(
            invoke(
                &t,
                "decode_token",
                serde_json::json!({ "token": "opaque123" })
            )
            .unwrap()["kind"],
            "opaque",
            "a token that is not a JWT is reported as opaque"
        );
    }

    #[test]
    fn unknown_commands_are_rejected() {
        let t = app();
        assert!(
            invoke(&t, "no_such_command", serde_json::json!({})).is_err(),
            "only registered commands may be invoked from the UI"
        );
    }
}
