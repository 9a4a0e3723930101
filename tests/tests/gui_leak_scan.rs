//! Secrets by construction, in the real window: a recorder wraps the page's IPC bridge
//! (`__TAURI_INTERNALS__.invoke` for command answers, `transformCallback` for channel messages
//! such as the flow's progress) before a login, a refresh, the inspector, Call API, History and
//! Audit run; then every recorded payload — except the explicit `reveal_token` / `copy_token`
//! — and the whole data dir are scanned for every token that sat in the keychain, the
//! authorization code, and the client secret.

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, Gui, GuiResult, Launch, assert_passed, check};
use oauthdesk_tests::json::str;
use std::collections::BTreeSet;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(150);
const FLOW: Duration = Duration::from_secs(40);

/// Installs the recorder; returns whether it is in place. Tauri defines `invoke` and
/// `transformCallback` non-writable, but every answer and channel message reaches the page
/// through the callback map it exposes (`__TAURI_INTERNALS__.callbacks`): its `set` is wrapped,
/// so each callback logs what it receives. The scenario never reveals or copies a token, so
/// every payload counts.
const RECORDER: &str = r#"
const t = window.__TAURI_INTERNALS__;
if (!t || !t.callbacks) return false;
if (window.__ipcLog) return true;
window.__ipcLog = [];
const callbacks = t.callbacks;
const set = callbacks.set.bind(callbacks);
callbacks.set = (id, fn) => set(id, (data) => {
  try { window.__ipcLog.push(JSON.stringify(data)); } catch (e) {}
  return fn(data);
});
return callbacks.set !== Map.prototype.set;
"#;

async fn scenario(g: &Gui, desk: &Desk) -> GuiResult<Vec<String>> {
    let wrapped = g.js(RECORDER, vec![]).await?;
    check(
        wrapped == serde_json::json!(true),
        format!("the IPC recorder is installed: {wrapped}"),
    )?;
    g.nav("authorize").await?;
    g.select("authorize-client", "sandbox").await?;
    g.select("authorize-grant", "authorization_code").await?;
    g.click("authorize-start").await?;
    g.wait_text_within("flow-success", &["sandbox"], FLOW)
        .await?;
    g.nav("tokens").await?;
    let rows = g.wait_testids("grant-row-", 1).await?;
    g.click(&rows[0]).await?;
    g.wait_text("grant-status-detail", &["active"]).await?;
    g.click("action-refresh").await?;
    g.wait_text("action-note", &["Refreshed"]).await?;
    let id = rows[0].trim_start_matches("grant-row-").to_owned();
    g.nav("api").await?;
    g.select("api-grant", &id).await?;
    g.select("api-method", "GET").await?;
    g.fill("api-url", &format!("{}/me", desk.provider.issuer))
        .await?;
    g.click("api-send").await?;
    g.wait_text_within("api-status", &["200"], FLOW).await?;
    g.nav("history").await?;
    g.wait_testids("history-row", 2).await?;
    g.nav("audit").await?;
    g.settle().await?;
    let log = g.js("return window.__ipcLog || [];", vec![]).await?;
    let log: Vec<String> = log
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok(log)
}

#[test]
fn no_secret_crosses_ipc_or_reaches_the_data_dir_from_the_gui() {
    let desk = Desk::new();
    desk.add_client(
        "sandbox",
        "web-basic",
        Some("s3cr3t:with/special+chars%&="),
        &["--scope", "openid email"],
    )
    .ok();
    let mut secrets: BTreeSet<String> = ["s3cr3t:with/special+chars%&=".to_owned()].into();
    let mut log = Vec::new();
    let result = gui::run("gui_leak_scan", Launch::for_desk(&desk), LIMIT, |g| {
        let desk = &desk;
        let log = &mut log;
        async move {
            *log = scenario(&g, desk).await?;
            Ok(())
        }
    });
    assert_passed(result, "the GUI flows the leak scan watches ran");
    let grants = desk.run(&["grants", "--json"]).ok().json();
    for g in grants.as_array().expect("grants --json is a list") {
        let id = str(&g["id"], "a grant's id");
        let item = desk
            .keychain_item(&format!("grant/{id}"))
            .expect("the grant's tokens are in the keychain");
        for kind in ["access_token", "refresh_token", "id_token"] {
            if let Some(t) = item[kind].as_str() {
                secrets.insert(t.to_owned());
            }
        }
    }
    for line in desk.read_browser_log().lines() {
        for part in line.split(['?', '&', ' ', '#']) {
            if let Some(code) = part.strip_prefix("code=").filter(|c| c.len() >= 16) {
                secrets.insert(code.to_owned());
            }
        }
    }
    assert!(
        secrets.len() >= 4,
        "the scan knows the tokens and the code: {} values",
        secrets.len()
    );
    assert!(
        log.iter().any(|l| l.contains("\"flow_id\""))
            && log.iter().any(|l| l.contains("\"kind\":\"exchange\"")),
        "the recorder saw command answers and the flow's channel messages: {:?}",
        log.iter()
            .map(|l| l.chars().take(70).collect::<String>())
            .collect::<Vec<_>>()
    );
    for entry in &log {
        for s in &secrets {
            assert!(
                !entry.contains(s.as_str()),
                "an IPC payload holds a secret ({} chars): {}…",
                s.len(),
                entry.chars().take(60).collect::<String>()
            );
        }
    }
    let mut files = Vec::new();
    let mut dirs = vec![desk.home.path().to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("the data dir reads").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p != desk.browser_log {
                files.push(p);
            }
        }
    }
    for f in &files {
        let bytes = std::fs::read(f).expect("a data dir file reads");
        for s in &secrets {
            assert!(
                !oauthdesk_tests::contains_bytes(&bytes, s),
                "{} holds a secret ({} chars)",
                f.display(),
                s.len()
            );
        }
    }
}
