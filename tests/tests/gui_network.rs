//! Settings → Network in the real window at 1000×700 (issue 12): an explicit proxy with its
//! password set in the app persists (password in the keychain only), the CLI then uses it for
//! its requests, and a new app process shows it again. Real app under Xvfb through
//! tauri-driver, real keychain; screenshots go to target/screenshots/.

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, LAPTOP, Launch, assert_passed, check};
use oauthdesk_tests::network::HttpProxy;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(120);
const PASSWORD: &str = "gui-Proxy-pw-51c9";

#[test]
fn a_proxy_set_in_settings_persists_and_is_used_by_every_request() {
    let desk = Desk::new();
    let proxy = HttpProxy::start(None);
    let url = proxy.url.clone();
    let url = &url;
    let (w, h) = LAPTOP;
    let first = gui::run(
        "network_settings",
        Launch::for_desk(&desk).window(w, h),
        LIMIT,
        |g| async move {
            g.nav("settings").await?;
            g.wait_text("settings-network", &["Network", "Proxy"])
                .await?;
            g.select("settings-proxy", "explicit").await?;
            let with_user = url.replace("http://", "http://alice@");
            g.fill("settings-proxy-url", &with_user).await?;
            g.fill("settings-proxy-password", PASSWORD).await?;
            g.fill("settings-no-proxy", "example.org").await?;
            g.fill("settings-timeout", "20").await?;
            g.click("settings-network-save").await?;
            g.wait_js(
                "document.body.innerText.includes('Network settings saved')",
                "the network settings to be saved",
            )
            .await?;
            let field = g
                .attrs("[data-testid=settings-proxy-password]", "placeholder")
                .await?;
            check(
                field.iter().any(|p| p.contains("stored in keychain")),
                format!("the password field says a password is stored: {field:?}"),
            )?;
            check(
                !g.text("settings-network").await?.contains(PASSWORD),
                "the page does not show the saved password",
            )?;
            g.check_layout("settings (network)").await?;
            g.screenshot("settings-network").await?;
            Ok(())
        },
    );
    assert_passed(
        first,
        "an explicit proxy is set and saved in Settings → Network",
    );

    let shown = desk.run(&["settings", "--json"]).ok();
    let net = &shown.json()["network"];
    assert_eq!(
        net["proxy"], "explicit",
        "the app saved the explicit proxy: {net}"
    );
    assert_eq!(
        net["proxy_url"],
        url.replace("http://", "http://alice@"),
        "with its URL, without the password"
    );
    assert_eq!(net["timeout_secs"], 20, "and the timeout");
    assert_eq!(
        desk.keychain_item("network/proxy"),
        Some(serde_json::Value::String(PASSWORD.into())),
        "the password is in the keychain"
    );
    assert!(
        !desk
            .database_bytes()
            .windows(PASSWORD.len())
            .any(|w| w == PASSWORD.as_bytes()),
        "and nowhere in SQLite"
    );
    desk.add_client("via-proxy", "native-public", None, &["--scope", "openid"])
        .ok();
    assert!(
        proxy.carried() > 0,
        "the CLI's discovery went through the proxy set in the app: {:?}",
        proxy.log()
    );

    let second = gui::run(
        "network_settings_again",
        Launch::for_desk(&desk).window(w, h),
        LIMIT,
        |g| async move {
            g.nav("settings").await?;
            g.wait_text("settings-proxy", &["explicit"]).await?;
            g.wait_text("settings-proxy-url", &["alice@127.0.0.1"])
                .await?;
            g.wait_text("settings-timeout", &["20"]).await?;
            g.check_layout("settings (network, saved)").await
        },
    );
    assert_passed(second, "a new app process shows the saved proxy");
}
