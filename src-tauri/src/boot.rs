//! The first screen's data, handed to the page with its first script instead of over IPC: the
//! client list, the environments (the title bar's switcher), the settings (the theme) and the
//! app's name and version (the sidebar's heading), read while the app starts (the store is
//! already open). The page's first render then neither waits for a request it could only send
//! once its whole bundle had run, nor changes again when the answers arrive
//! (`ui/src/lib/prefetch.ts` takes them, on the first load of the page only).
//!
//! Each is what its command returns (`list_clients`, `list_environments`, `get_settings`,
//! `app_info`): no secret is in any of them (secrets are in the keychain). One that cannot be
//! read is left out: the page then asks for it over IPC and shows that error in words.

use crate::commands::AppInfo;
use oauthdesk_core::desk::Desk;
use tauri::Runtime;
use tauri::plugin::{Builder, TauriPlugin};

/// The name the page reads the data under (`window.__OAUTHDESK_BOOT__`).
const GLOBAL: &str = "__OAUTHDESK_BOOT__";

/// A plugin whose only work is the start-up script.
pub fn plugin<R: Runtime>(desk: &Desk, info: &AppInfo) -> TauriPlugin<R> {
    let data = tauri::async_runtime::block_on(async {
        let mut data = serde_json::Map::new();
        add(&mut data, "app_info", Ok::<_, ()>(info));
        add(&mut data, "clients", desk.list_clients().await);
        add(&mut data, "environments", desk.environments().await);
        add(&mut data, "settings", desk.settings().await);
        data
    });
    let builder = Builder::new("boot");
    match script(&data) {
        Some(js) => builder.js_init_script(js).build(),
        None => builder.build(),
    }
}

fn add<T: serde::Serialize, E>(
    data: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
    read: Result<T, E>,
) {
    if let Some(value) = read.ok().and_then(|v| serde_json::to_value(v).ok()) {
        data.insert(key.into(), value);
    }
}

/// `window.__OAUTHDESK_BOOT__ = {clients: [...], ...}`, read-only. JSON is a JavaScript
/// expression (ES2019 made U+2028/U+2029 legal in strings): the data is never parsed as code.
fn script(data: &impl serde::Serialize) -> Option<String> {
    let json = serde_json::to_string(data).ok()?;
    Some(format!(
        "Object.defineProperty(window, {GLOBAL:?}, {{ value: Object.freeze({json}) }});"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_defines_the_list_as_data() {
        let js = script(&serde_json::json!({ "clients": [] })).expect("a script");
        assert_eq!(
            js,
            "Object.defineProperty(window, \"__OAUTHDESK_BOOT__\", { value: Object.freeze({\"clients\":[]}) });",
            "one read-only global holding the JSON"
        );
    }

    #[test]
    fn what_cannot_be_read_is_left_out() {
        let mut data = serde_json::Map::new();
        add(&mut data, "clients", Ok::<_, ()>(vec!["a"]));
        add(&mut data, "settings", Err::<u8, _>("the store is locked"));
        assert_eq!(
            serde_json::Value::Object(data),
            serde_json::json!({ "clients": ["a"] }),
            "a failed read has no key (the page asks over IPC and reports it), and no error text"
        );
    }

    #[test]
    fn a_hostile_name_stays_a_string() {
        let name = "x\"}); alert(1); ({\"a\": \"\u{2028}</script>\\";
        let js = script(&serde_json::json!({ "clients": [{ "name": name }] })).expect("a script");
        let json = js
            .strip_prefix(
                "Object.defineProperty(window, \"__OAUTHDESK_BOOT__\", { value: Object.freeze(",
            )
            .and_then(|rest| rest.strip_suffix(") });"))
            .expect("the script's frame around the data is fixed");
        let back: serde_json::Value =
            serde_json::from_str(json).expect("the data is one JSON value");
        assert_eq!(
            back["clients"][0]["name"], name,
            "quotes, braces and line separators in a client name end up inside the string, as the same text"
        );
    }
}
