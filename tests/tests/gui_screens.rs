//! The desktop app end to end, screens without a flow of their own: no keychain reachable (the
//! banner), Decode, and Settings (which persist across a restart). Real app under Xvfb through
//! tauri-driver, real test server, real keychain; screenshots go to target/screenshots/.

use oauthdesk_tests::gui::{self, Launch, assert_passed, check};
use oauthdesk_tests::{Desk, Provider, jwt_access_token};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(120);

#[test]
fn without_a_keychain_a_banner_explains_it_on_every_screen() {
    let desk = Desk::new();
    let desk = &desk;
    // Registered while the keychain works; the app then starts on a D-Bus address that leads
    // nowhere, so no Secret Service is reachable.
    desk.add_client("sandbox", "native-public", None, &["--scope", "openid"])
        .ok();
    let result = gui::run(
        "keychain_banner",
        Launch::for_desk(desk).without_keychain(),
        LIMIT,
        |g| async move {
            // What is wrong (the Secret Service's own error) and how to fix it.
            g.wait_text(
                "keychain-banner",
                &[
                    "keychain is not reachable",
                    "Secret Service",
                    "gnome-keyring",
                    "Check again",
                ],
            )
            .await?;
            g.screenshot("keychain-banner").await?;
            // The client list needs no keychain and still works.
            g.wait_text("client-row-sandbox", &["native-public"])
                .await?;
            for screen in ["authorize", "tokens", "settings"] {
                g.nav(screen).await?;
                check(
                    g.visible("keychain-banner").await?,
                    format!("the banner is shown on {screen}"),
                )?;
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
            check(
                code == ["keychain"],
                format!("the error is the keychain's ({code:?}): {error}"),
            )?;
            let log = std::fs::read_to_string(&desk.browser_log).unwrap_or_default();
            check(log.is_empty(), format!("the browser was not opened: {log}"))
        },
    );
    assert_passed(
        result,
        "without a keychain a banner explains it on every screen and a login is refused",
    );
}

#[test]
fn decode_shows_a_pasted_jwt_in_parts_with_times_in_words() {
    let desk = Desk::new();
    let issuer = desk.provider.issuer.clone();
    // An RFC 9068 JWT access token straight from the server (client credentials, JWT resource).
    let jwt = jwt_access_token(&issuer);
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
        g.wait_text("decode-signature", &["characters"]).await?;
        let signature = g.text("decode-segment-2").await?;
        let sig = jwt.rsplit('.').next().unwrap_or_default();
        check(
            signature.contains(sig),
            "the signature segment is shown as pasted",
        )?;
        g.js(
            "document.querySelector('[data-testid=decode-input]').scrollTop = 0;",
            vec![],
        )
        .await?;
        g.screenshot("decode").await?;
        // Verified against the issuer's JWKS (fetched by the app), as an RFC 9068 access token.
        g.click("verify-source-issuer").await?;
        g.fill("verify-issuer", &issuer).await?;
        g.wait_js(
            "document.querySelector('[data-testid=decode-verdict]')?.dataset.status === 'valid'",
            "the verdict to be valid (verified live)",
        )
        .await?;
        g.wait_text(
            "decode-checks-signature",
            &["valid RS256 signature", "test-rs256"],
        )
        .await?;
        g.wait_text("decode-checks-typ", &["at+jwt"]).await?;
        g.wait_text("decode-verification", &["RFC 9068"]).await?;
        // A tampered payload fails by name.
        let mut parts: Vec<String> = jwt.split('.').map(str::to_owned).collect();
        let claims = String::from_utf8(base64_url_decode(&parts[1]))
            .unwrap_or_default()
            .replace("api:read", "api:admin");
        parts[1] = base64_url_encode(claims.as_bytes());
        g.fill("decode-input", &parts.join(".")).await?;
        g.wait_text("claim-scope", &["api:admin"]).await?;
        g.wait_js("document.querySelector('[data-testid=decode-checks-signature]')?.dataset.code === 'bad_signature'", "the tampered token's signature to fail").await?;
        g.wait_js(
            "document.querySelector('[data-testid=decode-verdict]')?.dataset.code === 'bad_signature'",
            "the verdict to name the bad signature",
        )
        .await?;
        Ok(())
    });
    assert_passed(
        result,
        "Decode shows a pasted JWT in parts, verifies it and fails a tampered one by name",
    );
}

fn base64_url_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap_or_default()
}

fn base64_url_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[test]
fn inspector_audit_and_provider_report_after_real_logins() {
    let desk = Desk::new();
    desk.add_client(
        "sandbox",
        "native-public",
        None,
        &["--scope", "openid email offline_access"],
    )
    .ok();
    desk.add_client(
        "service",
        "service",
        Some("service-secret"),
        &[
            "--scope",
            "api:read",
            "--param",
            "resource=urn:oauthdesk:jwt-api",
        ],
    )
    .ok();
    desk.run(&["login", "sandbox"]).ok();
    desk.run(&["login", "service", "--grant", "client_credentials"])
        .ok();
    // A second server that strays from the specs on purpose, for the provider report.
    let quirky = Provider::controlled();
    quirky.control("/__test/config", serde_json::json!({"quirks": true}));
    desk.run(&[
        "client",
        "add",
        "quirky",
        "--client-id",
        "controlled-client",
        "--issuer",
        &quirky.issuer,
        "--scope",
        "openid",
    ])
    .ok();
    desk.run(&["login", "quirky"]).ok();
    desk.run(&["refresh", "quirky"]).ok();
    let result = gui::run(
        "token_truth",
        Launch::for_desk(&desk),
        LIMIT,
        |g| async move {
            g.nav("tokens").await?;
            let rows = g.wait_testids("grant-row-", 2).await?;
            // The sandbox grant: an ID token whose signature, nonce and claims are checked.
            let mut opened = false;
            for row in &rows {
                if g.text(row).await?.contains("sandbox") {
                    g.click(row).await?;
                    opened = true;
                    break;
                }
            }
            check(opened, format!("a sandbox row among {rows:?}"))?;
            g.wait_text("token-truth-summary", &["Every applicable check passed"])
                .await?;
            let sig = g
                .wait_text(
                    "checks-id-token-signature",
                    &["valid RS256 signature", "test-rs256"],
                )
                .await?;
            let status = g
                .attrs("[data-testid=checks-id-token-signature]", "data-status")
                .await?;
            check(
                status == ["pass"],
                format!("signature passes: {status:?} {sig}"),
            )?;
            g.wait_text("checks-id-token-nonce", &["matches the nonce sent"])
                .await?;
            g.click("verify-introspect").await?;
            g.wait_text("scope-src-introspection", &["email"]).await?;
            g.wait_text("checks-access-token-active", &["active"])
                .await?;
            g.scroll_to("token-truth").await?;
            g.screenshot("inspector").await?;

            g.nav("audit").await?;
            g.wait_testids("audit-row", 3).await?;
            let n = g.attrs("[data-testid=audit-row]", "data-grant").await?;
            check(n.len() == 3, format!("three grants in the audit: {n:?}"))?;
            g.fill("audit-scope", "api:read").await?;
            g.wait_js(
                "document.querySelectorAll('[data-testid=audit-row]').length === 1",
                "the scope filter",
            )
            .await?;
            g.fill("audit-scope", "").await?;
            g.wait_js(
                "document.querySelectorAll('[data-testid=audit-row]').length === 3",
                "the filter cleared",
            )
            .await?;
            g.screenshot("audit").await?;
            g.click("audit-export-csv").await?;
            let path = g.wait_text("audit-exported", &["audit-", ".csv"]).await?;
            let file = path.trim().trim_start_matches("Saved to").trim().to_owned();
            let csv = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
            check(
                csv.starts_with("client,grant_id") && csv.lines().count() == 4,
                format!("the CSV export: {csv}"),
            )?;

            g.nav("report").await?;
            g.select("report-client", "sandbox").await?;
            g.wait_text("report-scope", &["exchange"]).await?;
            g.select("report-client", "quirky").await?;
            g.wait_text(
                "finding-refresh_not_rotated",
                &["RFC 9700 §4.14.2", "What OAuth Desk did"],
            )
            .await?;
            g.wait_text("finding-expires_in_string", &["RFC 6749 §5.1"])
                .await?;
            g.wait_text("finding-pkce_plain_only", &["S256"]).await?;
            let severity = g
                .attrs(
                    "[data-testid=finding-token_response_cacheable]",
                    "data-severity",
                )
                .await?;
            check(
                severity == ["violation"],
                format!("no Cache-Control: no-store violates RFC 6749 §5.1: {severity:?}"),
            )?;
            g.screenshot("report").await?;
            // The FAPI 2.0 verdict of the usual (non-FAPI) server, from the same records.
            g.select("report-client", "sandbox").await?;
            g.click("report-profile-fapi2").await?;
            g.wait_text("profile-summary", &["FAPI 2.0: not conformant"])
                .await?;
            g.wait_text(
                "finding-par_not_required",
                &["§5.3.2.2", "What OAuth Desk did"],
            )
            .await?;
            g.wait_text("check-pkce_s256_used", &["passed"]).await?;
            g.wait_text("check-code_lifetime", &["not observed"])
                .await?;
            g.check_layout("report, FAPI 2.0").await?;
            g.screenshot("report-fapi2").await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "the inspector, the audit and the provider report show the real logins' findings",
    );
}

#[test]
fn settings_show_keychain_and_data_dir_and_persist_theme_and_skew() {
    let desk = Desk::new();
    let home = desk.home.path().display().to_string();
    let home = &home;
    let first = gui::run("settings", Launch::for_desk(&desk), LIMIT, |g| async move {
        g.nav("settings").await?;
        g.wait_text("settings-keychain", &["reachable", "oauthdesk"])
            .await?;
        g.wait_text("settings-datadir", &[home]).await?;
        g.wait_text("settings-theme", &["system"]).await?;
        g.screenshot("settings").await?;
        g.select("settings-theme", "dark").await?;
        g.wait_js(
            "document.documentElement.dataset.theme === 'dark'",
            "the dark theme on <html>",
        )
        .await?;
        g.fill("settings-skew", "120").await?;
        g.click("settings-skew-save").await?;
        g.wait_js(
            "document.body.innerText.includes('Clock skew tolerance saved')",
            "the skew to be saved",
        )
        .await?;
        g.screenshot("settings-dark").await?;
        Ok(())
    });
    assert_passed(
        first,
        "Settings show the keychain and data dir, and save a theme and a clock skew",
    );
    // A new app process reads them back from the data dir.
    let second = gui::run(
        "settings_again",
        Launch::for_desk(&desk),
        LIMIT,
        |g| async move {
            g.wait_js(
                "document.documentElement.dataset.theme === 'dark'",
                "the saved dark theme at start",
            )
            .await?;
            g.nav("settings").await?;
            g.wait_text("settings-theme", &["dark"]).await?;
            g.wait_text("settings-skew", &["120"]).await?;
            Ok(())
        },
    );
    assert_passed(
        second,
        "a new app process reads the saved theme and skew back",
    );
}
