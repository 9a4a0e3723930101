//! Issue 14 in the real window (WebKitGTK through tauri-driver, real oidc-provider, real
//! keychain): an auto-refresh that fails because the server refused the refresh token turns
//! the grant into "needs login", and the grant offers "Log in again", which runs the login as
//! the Authorize screen does.

use oauthdesk_tests::gui::{self, Launch, assert_passed, check};
use oauthdesk_tests::{Desk, http};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);
const FLOW: Duration = Duration::from_secs(40);

#[test]
fn a_failed_auto_refresh_offers_log_in_again_on_the_grant() {
    let desk = Desk::new();
    // `short-lived`: 1-second access tokens, so the app's auto-refresh finds it due at once.
    desk.add_client(
        "short",
        "short-lived",
        None,
        &[
            "--scope",
            "openid offline_access",
            "--param",
            "prompt=consent",
        ],
    )
    .ok();
    let login = desk.run(&["login", "short", "--json"]).ok().json();
    let key = format!("grant/{}", login["id"].as_str().expect("grant id"));
    let item = desk.keychain_item(&key).expect("the grant's keychain item");
    let rt = item["refresh_token"].as_str().expect("a refresh token");
    let (status, _) = http(
        reqwest::Method::POST,
        &format!("{}/token/revocation", desk.provider.issuer),
        &[("token", rt), ("client_id", "short-lived")],
        None,
    );
    assert_eq!(
        status, 200,
        "the refresh token is revoked behind OAuth Desk's back"
    );
    let result = gui::run(
        "handoff_login_again",
        Launch::for_desk(&desk),
        LIMIT,
        |g| async move {
            g.nav("tokens").await?;
            let rows = g.wait_testids("grant-row-", 1).await?;
            g.click(&rows[0]).await?;
            g.click("grant-auto-refresh").await?;
            // The app's timer (every 20 s) tries, the server refuses, the page reloads.
            g.wait_for_within("grant-login-again", Duration::from_secs(60))
                .await?;
            let text = g.text("grant-needs-login").await?;
            check(
                text.contains("a new login is needed"),
                format!("the grant says a login is needed: {text:?}"),
            )?;
            g.check_layout("tokens (log in again)").await?;
            g.screenshot("grant-log-in-again").await?;
            g.click("grant-login-again").await?;
            g.wait_text_within("flow-success", &["short"], FLOW).await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "a failed auto-refresh leads to Log in again, which logs in",
    );
    let grants = desk.run(&["grants", "short", "--json"]).ok().json();
    let statuses: Vec<&str> = grants
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|g| g["status"].as_str())
        .collect();
    assert_eq!(
        statuses,
        ["active", "needs_login"],
        "Log in again stored a new active grant; the refused one stays as it was: {grants}"
    );
}
