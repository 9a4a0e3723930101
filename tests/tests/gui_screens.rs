//! The desktop app end to end, screens without a flow of their own: no keychain reachable (the
//! banner), Decode, and Settings (which persist across a restart). Real app under Xvfb through
//! tauri-driver, real test server, real keychain; screenshots go to docs/screenshots/.

use oauthdesk_tests::gui::{self, GuiResult, Launch};
use oauthdesk_tests::{Desk, http};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(120);

fn check(cond: bool, what: impl Into<String>) -> GuiResult {
    if cond { Ok(()) } else { Err(what.into().into()) }
}

#[test]
fn without_a_keychain_a_banner_explains_it_on_every_screen() {
    let desk = Desk::new();
    let desk = &desk;
    // Registered while the keychain works; the app then starts on a D-Bus address that leads
    // nowhere, so no Secret Service is reachable.
    desk.add_client("sandbox", "native-public", None, &["--scope", "openid"]).ok();
    let result = gui::run("keychain_banner", Launch::for_desk(desk).without_keychain(), LIMIT, |g| async move {
        // What is wrong (the Secret Service's own error) and how to fix it.
        g.wait_text("keychain-banner", &["keychain is not reachable", "Secret Service", "gnome-keyring", "Check again"]).await?;
        g.screenshot("keychain-banner").await?;
        // The client list needs no keychain and still works.
        g.wait_text("client-row-sandbox", &["native-public"]).await?;
        for screen in ["authorize", "tokens", "settings"] {
            g.nav(screen).await?;
            check(g.visible("keychain-banner").await?, format!("the banner is shown on {screen}"))?;
        }
        g.wait_text("settings-keychain", &["not reachable"]).await?;
        // A login is refused before the browser opens: no consent is wasted on tokens that
        // could not be stored.
        g.nav("authorize").await?;
        g.select("authorize-client", "sandbox").await?;
        g.select("authorize-grant", "authorization_code").await?;
        g.click("authorize-start").await?;
        let error = g.wait_text("flow-error", &["keychain"]).await?;
        let code = g.attrs("[data-testid=flow-error]", "data-code").await?;
        check(code == ["keychain"], format!("the error is the keychain's ({code:?}): {error}"))?;
        let log = std::fs::read_to_string(&desk.browser_log).unwrap_or_default();
        check(log.is_empty(), format!("the browser was not opened: {log}"))
    });
    result.unwrap();
}

#[test]
fn decode_shows_a_pasted_jwt_in_parts_with_times_in_words() {
    let desk = Desk::new();
    let issuer = desk.provider.issuer.clone();
    // An RFC 9068 JWT access token straight from the server (client credentials, JWT resource).
    let form = [("grant_type", "client_credentials"), ("scope", "api:read"), ("resource", "urn:oauthdesk:jwt-api")];
    let (status, body) = http(reqwest::Method::POST, &format!("{issuer}/token"), &form, Some(("service", "service-secret")));
    assert_eq!(status, 200, "{body}");
    let jwt = body["access_token"].as_str().expect("an access token").to_owned();
    assert_eq!(jwt.split('.').count(), 3, "a JWS: {jwt}");
    let result = gui::run("decode", Launch::for_desk(&desk), LIMIT, |g| async move {
        g.nav("decode").await?;
        g.fill("decode-input", "an-opaque-token-123").await?;
        g.wait_for("decode-opaque").await?;
        g.fill("decode-input", &jwt).await?;
        g.wait_text("decode-kind", &["JWS"]).await?;
        g.wait_text("decode-header", &["RS256", "at+jwt"]).await?;
        g.wait_text("claim-client_id", &["service"]).await?;
        g.wait_text("claim-aud", &["urn:oauthdesk:jwt-api"]).await?;
        g.wait_text("claim-iss", &[&issuer]).await?;
        g.wait_text("claim-scope", &["api:read"]).await?;
        // NumericDate claims in words (the token lives 3600 s).
        g.wait_text("claim-exp", &["expires in"]).await?;
        g.wait_text("claim-iat", &["issued"]).await?;
        let signature = g.wait_text("decode-signature", &["bytes", "not verified"]).await?;
        let sig = jwt.rsplit('.').next().unwrap_or_default();
        check(signature.contains(sig), "the signature segment is shown as pasted")?;
        g.js("document.querySelector('[data-testid=decode-input]').scrollTop = 0;", vec![]).await?;
        g.screenshot("decode").await?;
        Ok(())
    });
    result.unwrap();
}

#[test]
fn settings_show_keychain_and_data_dir_and_persist_theme_and_skew() {
    let desk = Desk::new();
    let home = desk.home.path().display().to_string();
    let home = &home;
    let first = gui::run("settings", Launch::for_desk(&desk), LIMIT, |g| async move {
        g.nav("settings").await?;
        g.wait_text("settings-keychain", &["reachable", "oauthdesk"]).await?;
        g.wait_text("settings-datadir", &[home]).await?;
        g.wait_text("settings-theme", &["system"]).await?;
        g.screenshot("settings").await?;
        g.select("settings-theme", "dark").await?;
        g.wait_js("document.documentElement.dataset.theme === 'dark'", "the dark theme on <html>").await?;
        g.fill("settings-skew", "120").await?;
        g.click("settings-skew-save").await?;
        g.wait_js("document.body.innerText.includes('Clock skew tolerance saved')", "the skew to be saved").await?;
        g.screenshot("settings-dark").await?;
        Ok(())
    });
    first.unwrap();
    // A new app process reads them back from the data dir.
    let second = gui::run("settings_again", Launch::for_desk(&desk), LIMIT, |g| async move {
        g.wait_js("document.documentElement.dataset.theme === 'dark'", "the saved dark theme at start").await?;
        g.nav("settings").await?;
        g.wait_text("settings-theme", &["dark"]).await?;
        g.wait_text("settings-skew", &["120"]).await?;
        Ok(())
    });
    second.unwrap();
}
