//! Issue 5 in the real window (WebKitGTK through tauri-driver, real oidc-provider, real
//! keychain): register a client dynamically (RFC 7591), read its registration (RFC 7592), turn
//! on PAR and DPoP in the editor, authorize with a resource indicator, and see the DPoP-bound
//! JWT access token verified in the inspector.

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, Launch, assert_passed, check};
use oauthdesk_tests::json::{array, exchange, str};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(150);
const FLOW: Duration = Duration::from_secs(40);

#[test]
fn register_par_dpop_and_a_resource_in_the_window() {
    let desk = Desk::new();
    let issuer = desk.provider.issuer.clone();
    let issuer = &issuer;
    let result = gui::run("beyond", Launch::for_desk(&desk), LIMIT, |g| async move {
        g.click("register-open").await?;
        g.fill("register-name", "dyn").await?;
        g.fill("register-issuer", issuer).await?;
        g.fill("register-scopes", "openid api:read").await?;
        g.click("register-submit").await?;
        g.wait_text("client-notice", &["Registered dyn", "client id"])
            .await?;
        g.wait_for("registration-info").await?;
        g.click("registration-read").await?;
        g.wait_text(
            "registration-json",
            &[
                "\"client_name\": \"dyn\"",
                "\"token_endpoint_auth_method\": \"none\"",
            ],
        )
        .await?;
        g.click("client-par").await?;
        g.click("client-dpop").await?;
        g.click("client-save").await?;
        g.wait_for("client-saved").await?;
        g.scroll_to("registration-info").await?;
        g.screenshot("clients-registered").await?;

        g.nav("authorize").await?;
        g.select("authorize-client", "dyn").await?;
        g.select("authorize-grant", "authorization_code").await?;
        g.fill("authorize-resource", "urn:oauthdesk:jwt-api")
            .await?;
        g.click("authorize-start").await?;
        g.wait_text_within("flow-success", &["dyn"], FLOW).await?;

        g.nav("tokens").await?;
        let rows = g.wait_testids("grant-row-", 1).await?;
        g.click(&rows[0]).await?;
        g.wait_text(
            "checks-access-token-cnf.jkt",
            &["bound to this client's DPoP key"],
        )
        .await?;
        g.wait_text("checks-access-token-aud", &["urn:oauthdesk:jwt-api"])
            .await?;
        let status = g
            .attrs(
                "[data-testid=\"checks-access-token-cnf.jkt\"]",
                "data-status",
            )
            .await?;
        check(status == ["pass"], format!("cnf.jkt passes: {status:?}"))?;
        g.scroll_to("token-truth").await?;
        g.screenshot("inspector-dpop").await?;
        Ok(())
    });
    assert_passed(
        result,
        "a client registered in the window, with PAR and DPoP on, gets a DPoP-bound token",
    );
    // What went over the wire, read back through the CLI: PAR first, then DPoP with the nonce retry.
    let flows = desk.run(&["log", "dyn", "--json"]).ok().json();
    let steps: Vec<String> = array(&flows[0]["exchanges"], "the login's exchanges")
        .iter()
        .map(|e| str(&e["step"], "an exchange's step").to_owned())
        .collect();
    assert!(
        steps.iter().any(|s| s == "pushed authorization request"),
        "the login from the window used PAR: {steps:?}"
    );
    assert!(
        steps
            .iter()
            .any(|s| s.contains("with the server's DPoP nonce")),
        "the token request was retried with the server's DPoP nonce: {steps:?}"
    );
    let grant = desk.run(&["grants", "dyn", "--json"]).ok().json();
    assert_eq!(
        grant[0]["token_type"], "DPoP",
        "the stored grant is DPoP-bound: {grant}"
    );
}

#[test]
fn exchange_logout_import_and_private_key_jwt_in_the_window() {
    let desk = Desk::new();
    let issuer = desk.provider.issuer.clone();
    desk.add_client(
        "user",
        "native-public",
        None,
        &["--scope", "openid api:read"],
    )
    .ok();
    desk.add_client(
        "gateway",
        "exchanger",
        Some("exchanger-secret"),
        &["--scope", "api:read"],
    )
    .ok();
    desk.run(&["login", "user"]).ok();
    let export = serde_json::json!({
        "format": "oauthdesk.clients/1",
        "exported_at": "2026-11-23T00:00:00Z",
        "clients": [{ "name": "imported", "client_id": "native-public", "issuer": issuer, "scopes": "openid", "needs_secret": false }]
    })
    .to_string();
    let (issuer, export) = (&issuer, &export);
    let result = gui::run(
        "beyond_more",
        Launch::for_desk(&desk),
        LIMIT,
        |g| async move {
            // Token exchange from the user's grant, as the gateway client.
            g.nav("tokens").await?;
            let rows = g.wait_testids("grant-row-", 1).await?;
            g.click(&rows[0]).await?;
            g.wait_text("grant-status-detail", &["active"]).await?;
            g.click("action-exchange").await?;
            g.select("exchange-client", "gateway").await?;
            g.fill("exchange-resource", "urn:oauthdesk:jwt-api").await?;
            g.fill("exchange-scope", "api:read").await?;
            g.click("exchange-run").await?;
            g.wait_text("action-note", &["a new grant of gateway"])
                .await?;
            // RP-initiated logout of the user's grant, through the system browser.
            g.click("action-logout").await?;
            g.click("confirm-logout").await?;
            g.wait_gone("grant-detail").await?;

            // Import a client from an export, pasted.
            g.nav("clients").await?;
            g.click("clients-import-open").await?;
            g.fill("import-text", export).await?;
            g.click("import-run").await?;
            g.wait_text("client-notice", &["Imported 1 client"]).await?;
            g.wait_for("client-row-imported").await?;

            // private_key_jwt: registered with a key made here, then a code flow authenticated by it.
            g.click("register-open").await?;
            g.fill("register-name", "pk").await?;
            g.fill("register-issuer", issuer).await?;
            g.fill("register-scopes", "openid").await?;
            g.select("register-auth-method", "private_key_jwt").await?;
            g.click("register-submit").await?;
            g.wait_text("client-notice", &["Registered pk"]).await?;
            g.wait_text("client-public-jwk", &["\"crv\": \"P-256\""])
                .await?;
            g.nav("authorize").await?;
            g.select("authorize-client", "pk").await?;
            g.select("authorize-grant", "authorization_code").await?;
            g.click("authorize-start").await?;
            g.wait_text_within("flow-success", &["pk"], FLOW).await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "token exchange, logout, import and a private_key_jwt login work from the window",
    );
    let exchanged = desk.run(&["grants", "gateway", "--json"]).ok().json();
    assert_eq!(
        exchanged[0]["grant_type"], "token_exchange",
        "the exchange from the window stored a token_exchange grant: {exchanged}"
    );
    assert_eq!(
        desk.run(&["grants", "user", "--json"]).ok().json(),
        serde_json::json!([]),
        "logged out: revoked and forgotten"
    );
    let log = std::fs::read_to_string(&desk.browser_log).unwrap_or_default();
    assert!(
        log.contains("/session/end"),
        "the end-session page was opened: {log}"
    );
    let pk = desk.run(&["client", "show", "pk", "--json"]).ok().json();
    assert_eq!(
        pk["auth_method"], "private_key_jwt",
        "the client registered in the window authenticates with private_key_jwt: {pk}"
    );
    let flows = desk.run(&["log", "pk", "--json"]).ok().json();
    let token = exchange(&flows[0], "token request (authorization_code)");
    assert!(
        str(&token["request"]["body"], "the token request's body")
            .contains("client_assertion_type="),
        "the code is exchanged with a client assertion: {token}"
    );
}

#[test]
fn auto_refresh_runs_in_the_app_while_it_is_open() {
    let desk = Desk::new();
    // `short-lived` gets 1-second access tokens (and hour-long ones from a refresh).
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
    desk.run(&["login", "short"]).ok();
    let result = gui::run(
        "auto_refresh",
        Launch::for_desk(&desk),
        LIMIT,
        |g| async move {
            g.nav("tokens").await?;
            let rows = g.wait_testids("grant-row-", 1).await?;
            g.click(&rows[0]).await?;
            g.wait_text("expiry-bar", &["expired"]).await?;
            g.click("grant-auto-refresh").await?;
            // The app's timer (every 20 s) refreshes it; the page reloads on the app's event.
            g.wait_text_within("grant-detail", &["Refreshed"], Duration::from_secs(60))
                .await?;
            g.wait_text("expiry-bar", &["expires in"]).await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "the open app refreshes an expired grant once auto-refresh is on",
    );
    let grant = &desk.run(&["grants", "short", "--json"]).ok().json()[0];
    assert_eq!(
        grant["refresh_count"], 1,
        "the app refreshed the grant once: {grant}"
    );
    assert_eq!(
        grant["auto_refresh"], true,
        "the auto-refresh switch is stored: {grant}"
    );
}
