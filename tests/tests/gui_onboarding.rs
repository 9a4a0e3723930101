//! A new user's first minutes at laptop size (issue 12, "Onboarding"): a data dir with only the
//! Sandbox client, registered exactly as `scripts/run` registers it, against the real
//! oidc-provider of tests/provider and the real keychain. The Clients screen's guide leads:
//! step 1 opens Authorize with the Sandbox chosen, a device-code login succeeds (the test browser
//! approves the code), a failing password login shows its error in words, and step 3 calls
//! userinfo with the new token. Every screen visited is checked for layout at 1000×700.

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, Gui, GuiResult, LAPTOP, Launch, assert_passed, check};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);
/// The device flow polls every 5 s.
const FLOW: Duration = Duration::from_secs(40);

/// The value of a `<select>` or `<input>` by test id.
async fn value_of(g: &Gui, testid: &str) -> GuiResult<String> {
    let v = g
        .js(
            "const e = document.querySelector(arguments[0]); return e ? e.value : null;",
            vec![gui::by_id(testid).into()],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Whether the grant menu's option `value` is disabled.
async fn option_disabled(g: &Gui, value: &str) -> GuiResult<bool> {
    let v = g
        .js(
            "const o = document.querySelector(`[data-testid=authorize-grant] option[value='${arguments[0]}']`); return o ? o.disabled : null;",
            vec![value.into()],
        )
        .await?;
    v.as_bool()
        .ok_or_else(|| format!("the grant menu has no option {value}").into())
}

/// Waits until the element is wholly inside the window (it was scrolled into view).
async fn wait_in_view(g: &Gui, testid: &str, what: &str) -> GuiResult {
    g.wait_js(
        &format!(
            "(() => {{ const e = document.querySelector('[data-testid={testid}]'); if (!e) return false; \
             const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }})()"
        ),
        what,
    )
    .await?;
    Ok(())
}

#[test]
fn the_guide_leads_a_new_user_from_the_sandbox_to_userinfo() {
    let desk = Desk::new();
    let desk = &desk;
    let issuer = desk.provider.issuer.clone();
    // scripts/run's registration of the Sandbox, word for word.
    desk.run(&[
        "client",
        "add",
        "Sandbox",
        "--client-id",
        "native-public",
        "--issuer",
        &issuer,
        "--scope",
        "openid email profile",
    ])
    .ok();
    // And its confidential sibling, for client credentials (scripts/run registers both).
    desk.add_client(
        "Sandbox service",
        "service",
        Some("service-secret"),
        &["--scope", "api:read"],
    )
    .ok();
    let result = gui::run(
        "onboarding",
        Launch::for_desk(desk)
            .mode("device")
            .window(LAPTOP.0, LAPTOP.1),
        LIMIT,
        |g| async move {
            g.nav("clients").await?;
            let guide = g
                .wait_text(
                    "clients-guide",
                    &[
                        "1. Authorize Sandbox",
                        "2. See the token",
                        "3. Call userinfo",
                    ],
                )
                .await?;
            check(
                guide.find("1. Authorize Sandbox") < guide.find("2. See the token")
                    && guide.find("2. See the token") < guide.find("3. Call userinfo"),
                format!("the guide's steps are in order: {guide}"),
            )?;
            g.check_layout("Clients with the guide").await?;
            g.screenshot("clients-guide-1000x700").await?;

            // Step 1: Authorize, with the Sandbox chosen.
            g.click("guide-authorize").await?;
            g.wait_for("authorize-start").await?;
            let chosen = value_of(&g, "authorize-client").await?;
            check(
                chosen == "Sandbox",
                format!("step 1 chose the Sandbox on Authorize, not {chosen:?}"),
            )?;
            check(
                !option_disabled(&g, "device_code").await?,
                "the menu offers the device grant to the Sandbox",
            )?;
            check(
                option_disabled(&g, "client_credentials").await?,
                "client credentials is not offered to a public client",
            )?;
            g.wait_text("grant-unavailable", &["Client credentials", "no secret"])
                .await?;
            g.check_layout("Authorize").await?;

            // A device-code login; the test browser approves the code.
            g.select("authorize-grant", "device_code").await?;
            g.click("authorize-start").await?;
            g.wait_text("device-user-code", &["-"]).await?;
            g.wait_text("device-status", &["poll"]).await?;
            wait_in_view(&g, "device-user-code", "the device code scrolled into view").await?;
            g.check_layout("Authorize, device flow").await?;
            g.screenshot("authorize-device-1000x700").await?;
            g.wait_text_within("flow-success", &["Sandbox", "alice"], FLOW)
                .await?;
            wait_in_view(&g, "flow-success", "the outcome scrolled into view").await?;
            g.wait_gone("device-status").await?;

            // The choice is kept while another screen is shown.
            g.nav("decode").await?;
            g.nav("authorize").await?;
            g.wait_for("authorize-start").await?;
            let (client, grant) = (
                value_of(&g, "authorize-client").await?,
                value_of(&g, "authorize-grant").await?,
            );
            check(
                client == "Sandbox" && grant == "device_code",
                format!(
                    "Authorize kept the Sandbox and the device grant, not {client:?} / {grant:?}"
                ),
            )?;

            // The error case: a password login with a wrong password, in words.
            g.select("authorize-grant", "password").await?;
            g.fill("authorize-username", "alice").await?;
            g.fill("authorize-password", "not-the-password").await?;
            g.click("authorize-start").await?;
            g.wait_text_within("flow-error", &["invalid_grant"], FLOW)
                .await?;
            g.wait_text("oauth-error-code", &["invalid_grant"]).await?;
            g.wait_text("error-hint", &["Log in again"]).await?;
            check(
                !g.visible("flow-success").await?,
                "the failed login replaced the previous success",
            )?;
            wait_in_view(&g, "flow-error", "the error scrolled into view").await?;
            g.check_layout("Authorize, error").await?;

            // Client credentials with the Sandbox's confidential client: no browser.
            g.select("authorize-client", "Sandbox service").await?;
            g.select("authorize-grant", "client_credentials").await?;
            g.click("authorize-start").await?;
            g.wait_text_within("flow-success", &["Sandbox service"], FLOW)
                .await?;
            g.check_layout("Authorize, client credentials").await?;
            g.select("authorize-client", "Sandbox").await?;

            // Steps 2 and 3 from the guide.
            g.nav("clients").await?;
            g.wait_text("guide-service", &["Sandbox service"]).await?;
            g.click("guide-tokens").await?;
            g.wait_text("grant-status-detail", &["active"]).await?;
            g.check_layout("Tokens").await?;
            g.nav("clients").await?;
            g.click("guide-userinfo").await?;
            let url = g
                .wait_js(
                    "(document.querySelector('[data-testid=api-url]') || {}).value",
                    "the userinfo URL in Call API",
                )
                .await?;
            check(
                url.as_str()
                    .is_some_and(|u| u.starts_with(&issuer) && u.ends_with("/me")),
                format!("Call API holds the Sandbox's userinfo URL: {url}"),
            )?;
            g.click("api-send").await?;
            g.wait_text_within("api-status", &["200"], FLOW).await?;
            g.check_layout("Call API").await?;
            let body = g.body_text().await?;
            check(
                body.contains("\"sub\"") && body.contains("alice"),
                "userinfo answered with alice's claims",
            )?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "the guide leads from the Sandbox to a device login, an error in words and userinfo",
    );
}
