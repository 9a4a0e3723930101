//! Issue 15 in the window: CIBA and the JWT bearer grant from the Authorize screen, against the
//! real oidc-provider (tests/provider/extensions/ciba.mjs, jwt_bearer.mjs) and the real keychain.
//! One scenario, kept short: the CIBA panel (who is asked, binding message, countdown, status)
//! while the request waits, then a JWT bearer login with an assertion signed with the client's
//! secret from claims typed in (the grant's subject is checked from the CLI afterwards).

use oauthdesk_tests::gui::{self, GuiResult, Launch, assert_passed};
use oauthdesk_tests::{Desk, Provider};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(90);
const FLOW: Duration = Duration::from_secs(20);

#[test]
fn ciba_panel_and_jwt_bearer_from_the_authorize_screen() {
    // A 2 s interval keeps the panel up long enough to be read (the device approves after ~1 s).
    let desk = Desk::with_provider(Provider::start_with(&[("CIBA_INTERVAL", "2")]));
    let desk = &desk;
    desk.add_client(
        "ciba",
        "ciba-poll",
        Some("ciba-poll-secret"),
        &["--scope", "openid"],
    )
    .ok();
    desk.add_client(
        "jb",
        "jwt-bearer",
        Some("jwt-bearer-secret-0123456789-0123456789-abcdef"),
        &["--scope", "api:read"],
    )
    .ok();
    let result = gui::run(
        "ciba_jwt_bearer",
        Launch::for_desk(desk),
        LIMIT,
        |g| async move {
            g.nav("authorize").await?;
            g.select("authorize-client", "ciba").await?;
            g.select("authorize-grant", "ciba").await?;
            g.fill("ciba-login-hint-input", "alice").await?;
            g.fill("ciba-binding-input", "W4SCT").await?;
            g.check_layout("authorize (CIBA)").await?;
            g.click("authorize-start").await?;
            g.wait_text("ciba-binding-message", &["W4SCT"]).await?;
            g.wait_text("ciba-countdown", &["expires in"]).await?;
            g.wait_text("ciba-status", &["check"]).await?;
            g.screenshot("authorize-ciba").await?;
            g.wait_text_within("flow-success", &["ciba", "alice"], FLOW)
                .await?;
            g.wait_gone("ciba-panel").await?;
            g.wait_text("ciba-wait-row", &["finished"]).await?;

            g.select("authorize-client", "jb").await?;
            g.select("authorize-grant", "jwt_bearer").await?;
            g.fill("jwt-bearer-claims", r#"{"sub":"bob"}"#).await?;
            g.click("authorize-start").await?;
            g.wait_text_within("flow-success", &["JWT bearer", "jb"], FLOW)
                .await?;
            GuiResult::Ok(())
        },
    );
    assert_passed(
        result,
        "CIBA shows its panel and succeeds; a JWT bearer login with typed claims succeeds",
    );
    let grants = desk.run(&["grants", "--json"]).ok().json();
    let types: Vec<_> = grants
        .as_array()
        .map(|a| a.iter().filter_map(|g| g["grant_type"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        types.contains(&"ciba") && types.contains(&"jwt_bearer"),
        "the window stored a ciba and a jwt_bearer grant: {grants}"
    );
    let jb = desk.run(&["inspect", "jb", "--json"]).ok().stdout;
    assert!(
        jb.contains("\"bob\""),
        "the JWT bearer token is for the subject typed into the claims: {jb}"
    );
}
