//! Environments in the desktop app at 1000×700: the title bar's switcher changes which server a
//! client with `{{issuer}}` logs in to, the choice is the setting the CLI reads, and the
//! Environments screen shows variables with secret values masked. Real app under Xvfb through
//! tauri-driver, two real test servers, the real keychain.

use oauthdesk_tests::gui::{self, Launch, assert_passed, check};
use oauthdesk_tests::{Desk, Provider};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);
const FLOW: Duration = Duration::from_secs(60);
const SECRET: &str = "gui-env-secret-7f6e5d4c3b2a";

fn logins(p: &Provider) -> u64 {
    p.stats()["token_success"]["authorization_code"]
        .as_u64()
        .unwrap_or(0)
}

#[test]
fn the_title_bar_switches_the_environment_a_login_goes_to() {
    let desk = Desk::new();
    let prod = Provider::start();
    for env in ["dev", "prod"] {
        desk.run(&["env", "create", env]).ok();
    }
    desk.run(&["env", "set", "dev", "issuer", &desk.provider.issuer])
        .ok();
    desk.run(&["env", "set", "prod", "issuer", &prod.issuer])
        .ok();
    desk.run_mode(
        &["env", "set", "prod", "apikey", "--secret"],
        Some(SECRET),
        "consent",
    )
    .ok();
    desk.run(&["env", "use", "dev"]).ok();
    desk.run(&[
        "client",
        "add",
        "app",
        "--client-id",
        "native-public",
        "--issuer",
        "{{issuer}}",
        "--scope",
        "openid",
    ])
    .ok();
    let (desk, prod) = (&desk, &prod);
    let result = gui::run(
        "environments",
        Launch::for_desk(desk),
        LIMIT,
        |g| async move {
            let shown = g
                .wait_js(
                    "((s) => s && !s.disabled && s.value === 'dev' ? s.value : null)(document.querySelector('[data-testid=env-switcher]'))",
                    "the title bar shows the active environment, dev",
                )
                .await?;
            check(shown == "dev", format!("switcher shows {shown}"))?;
            g.check_layout("clients with the environment switcher")
                .await?;

            g.select("env-switcher", "prod").await?;
            // The switch is the shared setting: the CLI sees it at once.
            let mut active = String::new();
            for _ in 0..50 {
                active = desk.run(&["env", "show", "--json"]).stdout;
                if active.contains("\"name\": \"prod\"") || active.contains("\"name\":\"prod\"") {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            check(
                active.contains("prod"),
                format!(
                    "after the title-bar switch the CLI's active environment is prod: {active}"
                ),
            )?;

            g.nav("authorize").await?;
            g.select("authorize-client", "app").await?;
            g.select("authorize-grant", "authorization_code").await?;
            g.click("authorize-start").await?;
            g.wait_text_within("flow-success", &["app"], FLOW).await?;
            check(
                (logins(&desk.provider), logins(prod)) == (0, 1),
                format!(
                    "the login went to prod's server, not dev's (dev {}, prod {})",
                    logins(&desk.provider),
                    logins(prod)
                ),
            )?;
            g.check_layout("authorize after a login under prod").await?;

            g.click("nav-environments").await?;
            g.click("env-row-prod").await?;
            let masked = g.wait_text("env-var-value-apikey", &["••••"]).await?;
            check(
                !g.body_text().await?.contains(SECRET),
                "the secret value is not on the page before Reveal",
            )?;
            check(!masked.contains(SECRET), "the secret variable shows masked")?;
            g.wait_text("env-var-value-issuer", &[prod.issuer.as_str()])
                .await?;
            g.check_layout("environments").await?;
            // A picture for the README, taken before Reveal, so it holds no secret.
            g.screenshot("environments-1000x700").await?;
            g.click("env-var-reveal-apikey").await?;
            g.wait_text("env-var-value-apikey", &[SECRET]).await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "the title bar's environment switch sends the next login to the other server",
    );
}
