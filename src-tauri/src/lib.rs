//! The Tauri 2 shell of OAuth Desk: it opens the window, serves `ui/dist`, and exposes commands
//! that are one line each. The work itself belongs to `oauthdesk-core` (see DESIGN.md §2).

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Builder, Manager, Runtime};

/// What the UI shows in its title area: the product name and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

/// Name and version as Tauri knows them: `productName` from tauri.conf.json and the crate's
/// version (the config sets none, so Cargo's wins).
#[tauri::command]
fn app_info<R: Runtime>(app: AppHandle<R>) -> AppInfo {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
    }
}

/// Adds the commands to a builder. Shared by [`run`] and the tests, which use the mock runtime.
pub fn register<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.invoke_handler(tauri::generate_handler![app_info])
}

/// Starts the desktop app; returns when the last window closes.
pub fn run() {
    register(tauri::Builder::default())
        // Must be the first plugin: a second launch hands over to the running app and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .run(tauri::generate_context!())
        .expect("OAuth Desk failed to start");
}

#[cfg(test)]
mod tests {
    use super::*;
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{
        INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
    };
    use tauri::webview::InvokeRequest;

    fn invoke(
        webview: &tauri::WebviewWindow<MockRuntime>,
        cmd: &str,
    ) -> Result<serde_json::Value, serde_json::Value> {
        get_ipc_response(
            webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().expect("static URL parses"),
                body: InvokeBody::default(),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.into(),
            },
        )
        .map(|body| {
            body.deserialize::<serde_json::Value>()
                .expect("response is JSON")
        })
    }

    #[test]
    fn app_info_reports_the_package_name_and_version() {
        let mut context = mock_context(noop_assets());
        // Distinct values, so the test proves the command reads the app's package info.
        context.package_info_mut().name = "OAuth Desk".into();
        context.package_info_mut().version = "9.8.7".parse().expect("valid semver");
        let app = register(mock_builder())
            .build(context)
            .expect("mock app builds");
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock main window builds");

        let response = invoke(&webview, "app_info").expect("app_info is allowed and succeeds");
        let info: AppInfo = serde_json::from_value(response).expect("response is an AppInfo");

        assert_eq!(
            info,
            AppInfo {
                name: "OAuth Desk".into(),
                version: "9.8.7".into()
            },
            "the UI header shows exactly the product name and version Tauri was built with"
        );
    }

    #[test]
    fn unknown_commands_are_rejected() {
        let app = register(mock_builder())
            .build(mock_context(noop_assets()))
            .expect("mock app builds");
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock main window builds");

        assert!(
            invoke(&webview, "no_such_command").is_err(),
            "only registered commands may be invoked from the UI"
        );
    }
}
