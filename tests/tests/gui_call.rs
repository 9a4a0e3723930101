//! Issue 13, "Call it" in the desktop app: Call API against the test MCP server's REST API
//! (tests/mcp, the official MCP SDK's bearer middleware) shows why the API refused, in words,
//! and "Re-authorize and retry" logs in again (the test browser consents) for exactly what the
//! challenge asks, then retries once and selects the new grant. Real app under Xvfb through
//! tauri-driver, real provider, real keychain; 1000×700, layout checked.

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, Launch, assert_passed, check};
use oauthdesk_tests::json::str;
use oauthdesk_tests::mcp_server::McpServer;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);
const FLOW: Duration = Duration::from_secs(60);

#[test]
fn an_insufficient_scope_is_explained_and_re_authorized_from_call_api() {
    let desk = Desk::new();
    let mcp = McpServer::start(&desk.provider.issuer);
    let api = mcp.url("/api");
    desk.add_client(
        "reader",
        "native-public",
        None,
        &["--scope", "openid api:read"],
    )
    .ok();
    desk.run(&["login", "reader", "--resource", &api]).ok();
    let grants = desk.run(&["grants", "reader", "--json"]).ok().json();
    let first = str(&grants[0]["id"], "the CLI login's grant id").to_owned();
    let admin = mcp.url("/api/admin");
    let (desk, first, admin) = (&desk, &first, &admin);
    let result = gui::run(
        "call_step_up",
        Launch::for_desk(desk),
        LIMIT,
        |g| async move {
            g.nav("api").await?;
            g.select("api-grant", first).await?;
            g.select("api-method", "GET").await?;
            g.fill("api-url", admin).await?;
            g.click("api-send").await?;
            g.wait_text_within("api-status", &["403"], FLOW).await?;
            let summary = g
                .wait_text(
                    "api-challenge-summary",
                    &[
                        "The token lacks the scope api:write",
                        "insufficient_scope, RFC 6750 §3.1",
                    ],
                )
                .await?;
            check(
                !summary.contains("api:read that"),
                format!("only the missing scope is named as missing: {summary}"),
            )?;
            g.wait_text("api-challenge-details", &["the grant was granted api:read"])
                .await?;
            g.wait_text(
                "api-step-up-asks",
                &["scope “openid api:read api:write”", "resource"],
            )
            .await?;
            g.check_layout("call-api-challenge").await?;
            g.screenshot("call-api-challenge").await?;

            g.click("api-step-up").await?;
            g.wait_text_within("api-status", &["200"], FLOW).await?;
            g.wait_text("api-retried", &["Retried once"]).await?;
            g.wait_text("api-body", &["api:write"]).await?;
            check(
                !g.visible("api-challenge").await?,
                "the retry's success has nothing left to explain",
            )?;
            let grants = desk.run(&["grants", "reader", "--json"]).ok().json();
            let newest = grants[0]["id"].as_str().unwrap_or_default().to_owned();
            check(
                newest != *first && grants.as_array().map_or(0, Vec::len) == 2,
                format!("the re-authorization stored a second grant: {grants}"),
            )?;
            check(
                str(&grants[0]["scopes_granted"], "the new grant's scopes").contains("api:write"),
                format!("the new grant has the scope the API asked for: {grants}"),
            )?;
            g.wait_js(
                &format!(
                    "document.querySelector('[data-testid=api-grant]').value === {}",
                    serde_json::Value::String(newest.clone())
                ),
                "the new grant to become the selected one",
            )
            .await?;
            let log = std::fs::read_to_string(&desk.browser_log).unwrap_or_default();
            let logins = log.lines().filter(|l| l.starts_with("consent ")).count();
            check(
                logins == 2,
                format!("one browser login besides the CLI's: {log}"),
            )?;
            g.check_layout("call-api-retried").await?;
            g.screenshot("call-api-retried").await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "Call API explains insufficient_scope, re-authorizes for api:write and ends on a 200",
    );
}
