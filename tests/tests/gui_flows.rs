//! The desktop app end to end (issue 3, "Tests"): the real `oauth-desk` under Xvfb, driven
//! through tauri-driver, against the real test server (oidc-provider) and the real keychain
//! (the private gnome-keyring of scripts/test). The test browser, set as `$BROWSER`, plays the
//! user. Each scenario also saves screenshots, to target/screenshots/ (scripts/screenshots
//! copies them to docs/screenshots/ for the README).

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, Gui, GuiResult, Launch, assert_passed, check, keychain_has};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(150);
/// A code flow with the test browser takes about a second; the device flow polls every 5 s.
const FLOW: Duration = Duration::from_secs(40);

/// Registers `name` through the client editor with issuer discovery; returns nothing but
/// leaves the saved client selected.
async fn register_with_discovery(
    g: &Gui,
    issuer: &str,
    name: &str,
    client_id: &str,
    scopes: &str,
) -> GuiResult {
    g.nav("clients").await?;
    g.click("client-new").await?;
    g.fill("client-name", name).await?;
    g.fill("client-id", client_id).await?;
    g.fill("client-issuer", issuer).await?;
    g.click("client-discover").await?;
    // What the server supports, from its discovery document.
    g.wait_text(
        "discovery-summary",
        &[
            "authorization_code",
            "device_code",
            "S256",
            "openid",
            "email",
        ],
    )
    .await?;
    let token_endpoint = g.text("client-endpoint-token").await?;
    check(
        token_endpoint == format!("{issuer}/token"),
        format!("discovery filled the token endpoint with {token_endpoint:?}"),
    )?;
    g.select("client-auth-method", "none").await?;
    g.fill("client-scopes", scopes).await?;
    g.scroll_to("client-name").await?;
    g.screenshot("clients-editor").await?;
    g.click("client-save").await?;
    g.wait_text(&format!("client-row-{name}"), &[name, client_id, issuer])
        .await?;
    // The saved client is now the one being edited (its Delete button exists only then).
    g.wait_for("client-delete").await?;
    Ok(())
}

#[test]
fn code_grant_from_registration_to_revocation() {
    let desk = Desk::new();
    let desk = &desk;
    let issuer = desk.provider.issuer.clone();
    let result = gui::run(
        "code_grant",
        Launch::for_desk(desk),
        LIMIT,
        |g| async move {
            register_with_discovery(&g, &issuer, "sandbox", "native-public", "openid email")
                .await?;
            g.scroll_to("client-name").await?;
            g.screenshot("clients").await?;

            // What the form stored, read back through the CLI (same data dir).
            let shown = desk
                .run(&["client", "show", "sandbox", "--json"])
                .ok()
                .json();
            check(
                shown["client_id"] == "native-public"
                    && shown["auth_method"] == "none"
                    && shown["scopes"] == "openid email",
                format!("stored client: {shown}"),
            )?;

            // Authorize with the code grant; the test browser logs in as alice and consents.
            g.nav("authorize").await?;
            g.select("authorize-client", "sandbox").await?;
            g.select("authorize-grant", "authorization_code").await?;
            g.wait_for("scope-chip-openid").await?;
            g.wait_for("scope-chip-email").await?;
            g.click("authorize-start").await?;
            let done = g
                .wait_text_within("flow-success", &["sandbox", "openid email", "alice"], FLOW)
                .await?;
            check(
                !done.to_lowercase().contains("refresh token: no"),
                format!("a refresh token was issued: {done}"),
            )?;
            let kinds = g.attrs("[data-testid=timeline-event]", "data-kind").await?;
            for k in ["authorization_url", "callback_received", "token_received"] {
                check(
                    kinds.iter().any(|x| x == k),
                    format!("timeline has {k}: {kinds:?}"),
                )?;
            }
            g.wait_text("param-client_id", &["native-public"]).await?;
            g.wait_text("param-code_challenge_method", &["S256"])
                .await?;
            g.wait_text("param-scope", &["openid email"]).await?;
            g.scroll_to("flow-success").await?;
            g.screenshot("authorize").await?;
            let log = std::fs::read_to_string(&desk.browser_log).unwrap_or_default();
            check(
                log.contains("consent ")
                    && log.contains(&format!("{issuer}/auth?"))
                    && log.contains("done "),
                format!("the test browser was opened and finished: {log}"),
            )?;

            // Tokens: one active grant, decoded, with the requested and granted scopes.
            g.nav("tokens").await?;
            let rows = g.wait_testids("grant-row-", 1).await?;
            check(rows.len() == 1, format!("one grant: {rows:?}"))?;
            let row = rows[0].clone();
            let id = row.trim_start_matches("grant-row-").to_owned();
            g.wait_text(&row, &["sandbox", "openid email"]).await?;
            g.click(&row).await?;
            g.wait_text("grant-status-detail", &["active"]).await?;
            g.wait_text("claim-sub", &["alice"]).await?;
            g.wait_text("claim-aud", &["native-public"]).await?;
            g.wait_text("claim-iss", &[&issuer]).await?;
            g.wait_text("scopes-requested", &["openid", "email"])
                .await?;
            let granted = g.text("scopes-granted").await?;
            check(
                granted.contains("openid")
                    && granted.contains("email")
                    && !granted.contains("not requested"),
                format!("granted scopes: {granted:?}"),
            )?;
            g.wait_text("expiry-bar", &["expires in"]).await?;
            check(
                keychain_has(&format!("grant/{id}")),
                "the tokens are in the keychain",
            )?;
            g.screenshot("tokens").await?;

            // Refresh: exactly one refresh at the server, and the detail says so.
            check(desk.provider.refresh_requests() == 0, "no refresh yet")?;
            let before = g.text("grant-detail").await?;
            check(!before.contains("Refreshed"), "not refreshed yet")?;
            g.click("action-refresh").await?;
            g.wait_text("action-note", &["Refreshed", "expires in"])
                .await?;
            g.wait_text("grant-detail", &["Refreshed", "(1 time)"])
                .await?;
            let stats = desk.provider.stats();
            check(
                stats["token_success"]["refresh_token"] == 1,
                format!("one successful refresh at the server: {stats}"),
            )?;

            // Call API: the grant's token at the server's userinfo endpoint.
            g.nav("api").await?;
            g.select("api-grant", &id).await?;
            g.select("api-method", "GET").await?;
            g.fill("api-url", &format!("{issuer}/me")).await?;
            g.click("api-send").await?;
            g.wait_text_within("api-status", &["200"], FLOW).await?;
            g.wait_text("api-body", &["\"sub\"", "alice", "alice@example.test"])
                .await?;
            g.screenshot("call-api").await?;

            // Revoke all (asks first): the status turns revoked, the keychain item is gone.
            g.nav("tokens").await?;
            g.click(&row).await?;
            g.wait_text("grant-status-detail", &["active"]).await?;
            g.click("action-revoke-all").await?;
            g.click("confirm-revoke-all").await?;
            g.wait_text("action-note", &["Revoked"]).await?;
            g.wait_text("grant-status-detail", &["revoked"]).await?;
            g.wait_text(&row, &["revoked"]).await?;
            g.wait_text("expiry-bar", &["revoked"]).await?;
            check(
                !keychain_has(&format!("grant/{id}")),
                "revoked tokens are removed from the keychain",
            )?;
            let grants = desk.run(&["grants", "--json"]).ok().json();
            check(
                grants[0]["status"] == "revoked" && grants[0]["refresh_count"] == 1,
                format!("stored grant: {grants}"),
            )?;

            // History: issued, refreshed, revoked.
            g.nav("history").await?;
            g.wait_testids("history-row", 3).await?;
            let kinds = g.attrs("[data-testid=history-row]", "data-kind").await?;
            for k in ["issued", "refreshed", "revoked"] {
                check(
                    kinds.iter().any(|x| x == k),
                    format!("history has {k}: {kinds:?}"),
                )?;
            }
            g.screenshot("history").await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "a client registered in the window logs in, refreshes, calls the API and is revoked",
    );
}

#[test]
fn device_flow_shows_the_user_code_then_succeeds() {
    let desk = Desk::new();
    let desk = &desk;
    desk.add_client("tv", "device", None, &["--scope", "openid"])
        .ok();
    let result = gui::run(
        "device_flow",
        Launch::for_desk(desk).mode("device"),
        LIMIT,
        |g| async move {
            g.nav("authorize").await?;
            g.select("authorize-client", "tv").await?;
            g.select("authorize-grant", "device_code").await?;
            g.click("authorize-start").await?;
            // oidc-provider's user codes look like WSWL-PGKS; the first poll comes after 5 s.
            let code = g.wait_text("device-user-code", &["-"]).await?;
            let code = code.trim().to_owned();
            check(
                code.len() == 9 && code.chars().all(|c| c == '-' || c.is_ascii_uppercase()),
                format!("user code {code:?}"),
            )?;
            g.wait_text("device-uri", &["/device", "user_code="])
                .await?;
            g.wait_text("device-countdown", &["expires in"]).await?;
            g.wait_for("device-qr").await?;
            g.wait_text("device-status", &["poll"]).await?;
            g.screenshot("authorize-device").await?;
            g.wait_text_within("flow-success", &["tv", "alice"], FLOW)
                .await?;
            // The panel is gone once the flow succeeded; the timeline keeps the result.
            g.wait_gone("device-status").await?;
            g.wait_text("polling-row", &["Polled", "approved"]).await?;
            let log = std::fs::read_to_string(&desk.browser_log).unwrap_or_default();
            check(
                log.contains("device ") && log.contains(&code) && log.contains("done "),
                format!("the test browser approved the code: {log}"),
            )?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "the device flow shows its user code and succeeds once the code is approved",
    );
    let grants = desk.run(&["grants", "tv", "--json"]).ok().json();
    assert_eq!(
        (
            grants[0]["grant_type"].as_str(),
            grants[0]["status"].as_str(),
            grants[0]["subject"].as_str()
        ),
        (Some("device_code"), Some("active"), Some("alice")),
        "the device flow stored an active device_code grant for alice: {grants}"
    );
}

#[test]
fn denied_consent_shows_the_error_in_words() {
    let desk = Desk::new();
    let desk = &desk;
    desk.add_client(
        "sandbox",
        "native-public",
        None,
        &["--scope", "openid email"],
    )
    .ok();
    let result = gui::run(
        "denied_consent",
        Launch::for_desk(desk).mode("deny"),
        LIMIT,
        |g| async move {
            g.nav("authorize").await?;
            g.select("authorize-client", "sandbox").await?;
            g.select("authorize-grant", "authorization_code").await?;
            g.click("authorize-start").await?;
            let error = g
                .wait_text_within("flow-error", &["access_denied"], FLOW)
                .await?;
            g.wait_text("oauth-error-code", &["access_denied"]).await?;
            g.wait_text("oauth-error-description", &["End-User aborted interaction"])
                .await?;
            // The hint in plain words (oauthdesk-protocol's hint for access_denied).
            g.wait_text("error-hint", &["declined the authorization request"])
                .await?;
            check(
                !g.visible("flow-success").await?,
                format!("no success is shown beside the error: {error}"),
            )?;
            g.screenshot("authorize-error").await?;
            g.nav("tokens").await?;
            g.wait_js(
                "document.body.innerText.includes('No tokens')",
                "the empty Tokens screen",
            )
            .await?;
            check(
                g.testids("grant-row-").await?.is_empty(),
                "a denied consent stores no grant",
            )?;
            g.nav("history").await?;
            g.wait_testids("history-row", 1).await?;
            g.wait_text("history-row", &["access_denied"]).await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "a denied consent is shown as an error in words and stores no grant",
    );
    let grants = desk.run(&["grants", "--json"]).ok().json();
    assert_eq!(
        grants,
        serde_json::json!([]),
        "nothing stored after a denied consent"
    );
}
