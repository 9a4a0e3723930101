//! Issue 13 in the desktop app, end to end: the real `oauth-desk` under Xvfb against the real
//! test MCP server (tests/mcp: the official TypeScript SDK) in front of the real test
//! oidc-provider, with the real keychain and the test browser playing the user.
//! - "MCP server": from an empty store, Connect walks initialize → 401 → resource metadata →
//!   authorization server metadata → a client by dynamic registration → a browser login →
//!   initialize → tools/list on the timeline, and ends on the tools and the conformance per
//!   revision with the negotiated one marked. A second Connect reuses the stored grant: no
//!   browser opens.
//! - "Start from an API" on Clients: a server whose metadata names another resource is refused
//!   in words (RFC 9728 §3.3); a REST API (`/api/profile`) becomes a client by dynamic
//!   registration with its fixed-port loopback redirect URI.
//!
//! Screenshots (target/screenshots/, see scripts/screenshots): mcp-flow-1000x700,
//! mcp-flow-1440x900-dark, start-from-api-1000x700.

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, Gui, GuiResult, Launch, WIDE, assert_passed, check};
use oauthdesk_tests::mcp_server::McpServer;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(240);
/// A whole MCP flow with the browser login takes a few seconds here.
const FLOW: Duration = Duration::from_secs(60);
const REVISIONS: [&str; 3] = ["2025-03-26", "2025-06-18", "2025-11-25"];

/// Opens the MCP server screen (not one of `Gui::nav`'s names).
async fn nav_mcp(g: &Gui) -> GuiResult {
    g.click("nav-mcp").await?;
    g.wait_js(
        "[...document.querySelectorAll('h1')].some(h => h.innerText.trim() === 'MCP server')",
        "the MCP server screen",
    )
    .await?;
    Ok(())
}

/// Browser logins the test browser saw (one `consent <authorization URL>` line each).
fn logins(desk: &Desk) -> usize {
    std::fs::read_to_string(&desk.browser_log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("consent "))
        .count()
}

/// The test ids of `[data-testid=…]` elements whose `attr` is `value`.
async fn with_attr(g: &Gui, css: &str, attr: &str, value: &str) -> GuiResult<Vec<String>> {
    let v = g
        .js(
            "return [...document.querySelectorAll(arguments[0])].filter(e => e.getAttribute(arguments[1]) === arguments[2]).map(e => e.dataset.testid);",
            vec![css.into(), attr.into(), value.into()],
        )
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// The timeline's step rows, in order.
async fn timeline_steps(g: &Gui) -> GuiResult<Vec<String>> {
    let v = g
        .js(
            "return [...document.querySelectorAll('[data-testid=timeline-event][data-kind=step]')].map(e => e.innerText);",
            vec![],
        )
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

#[test]
fn the_mcp_flow_from_an_empty_store_ends_on_the_tools_and_reuses_the_grant() {
    let desk = Desk::new();
    let desk = &desk;
    let mcp = McpServer::start(&desk.provider.issuer);
    let endpoint = mcp.url("/mcp");
    let endpoint = &endpoint;
    let issuer = desk.provider.issuer.clone();
    let issuer = &issuer;
    let result = gui::run("mcp_flow", Launch::for_desk(desk), LIMIT, |g| async move {
        nav_mcp(&g).await?;
        g.check_layout("MCP server, empty").await?;
        g.fill("mcp-url", endpoint).await?;
        g.click("mcp-connect").await?;
        let outcome = g
            .wait_text_within("mcp-outcome", &["Connected"], FLOW)
            .await?;
        let state = g.attrs("[data-testid=mcp-outcome]", "data-outcome").await?;
        check(
            state == ["completed"],
            format!("the flow completed with no MUST broken: {state:?} {outcome}"),
        )?;
        check(
            outcome.contains("made now by dynamic registration")
                && outcome.contains("logged in through your browser"),
            format!("the client was registered now and the browser used: {outcome}"),
        )?;

        // Every step on the timeline, in order, as it happened.
        let steps = timeline_steps(&g).await?;
        let expected = [
            "initialize: HTTP 401",
            "resource metadata:",
            "authorization server metadata:",
            "client:",
            "login:",
            "initialize:",
            "tools/list:",
        ];
        let mut at = 0;
        for want in expected {
            match steps[at..].iter().position(|s| s.starts_with(want)) {
                Some(i) => at += i + 1,
                None => {
                    return Err(format!(
                        "the timeline has {want:?} after the steps before it: {steps:#?}"
                    )
                    .into());
                }
            }
        }
        check(
            steps
                .iter()
                .any(|s| s.starts_with("client:") && s.contains("dynamic registration")),
            format!("the client step says dynamic registration: {steps:#?}"),
        )?;
        let kinds = g.attrs("[data-testid=timeline-event]", "data-kind").await?;
        for k in [
            "exchange",
            "authorization_url",
            "callback_received",
            "token_received",
        ] {
            check(
                kinds.iter().any(|x| x == k),
                format!(
                    "the timeline shows {k} (the HTTP exchanges and the login live): {kinds:?}"
                ),
            )?;
        }
        g.wait_text("param-resource", &[endpoint]).await?;
        g.wait_text("param-code_challenge_method", &["S256"])
            .await?;

        // The end: the tools, and the revision the server negotiated marked.
        g.wait_text("mcp-tool-whoami", &["whoami"]).await?;
        g.wait_text("mcp-tool-add", &["add"]).await?;
        let followed =
            with_attr(&g, "[data-testid^=mcp-revision-]", "data-followed", "true").await?;
        let revision = followed
            .first()
            .and_then(|id| id.strip_prefix("mcp-revision-"))
            .unwrap_or_default()
            .to_owned();
        check(
            followed.len() == 1 && REVISIONS.contains(&revision.as_str()),
            format!("exactly one known revision is marked followed: {followed:?}"),
        )?;
        g.wait_text("mcp-session", &[&format!("speaks MCP {revision}")])
            .await?;
        g.wait_text(
            &format!("mcp-revision-{revision}"),
            &["followed", "no MUST broken", "✓"],
        )
        .await?;
        for r in REVISIONS {
            g.wait_for(&format!("mcp-revision-{r}")).await?;
        }
        g.check_layout("MCP server, flow done").await?;
        g.screenshot("mcp-flow-1000x700").await?;
        g.resize(WIDE.0, WIDE.1).await?;
        g.nav("settings").await?;
        g.select("settings-theme", "dark").await?;
        nav_mcp(&g).await?;
        g.wait_for("mcp-tool-whoami").await?;
        g.check_layout("MCP server, flow done, 1440×900 dark")
            .await?;
        // The large picture shows the timeline (the small one, the end of the flow).
        g.js(
            "document.querySelector('[data-testid=timeline]').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await?;
        g.screenshot("mcp-flow-1440x900-dark").await?;

        // What was stored, read through the CLI (same data dir): a client for the resource.
        let clients = desk.run(&["client", "list", "--json"]).ok().json();
        let made = clients
            .as_array()
            .and_then(|a| a.first())
            .cloned()
            .unwrap_or_default();
        check(
            clients.as_array().map(Vec::len) == Some(1)
                && made["issuer"].as_str() == Some(issuer.as_str())
                && made["redirect_uri"].as_str().is_some_and(|r| {
                    r.starts_with("http://127.0.0.1:") && !r.starts_with("http://127.0.0.1/")
                }),
            format!(
                "one client, at the provider, with a fixed-port loopback redirect URI: {clients}"
            ),
        )?;

        // A second Connect reuses the stored grant: no browser.
        let before = logins(desk);
        check(
            before == 1,
            format!("one browser login so far, not {before}"),
        )?;
        g.click("mcp-connect").await?;
        g.wait_text_within("mcp-steps", &["the stored grant of", "(no browser)"], FLOW)
            .await?;
        let outcome = g
            .wait_text_within("mcp-outcome", &["Connected"], FLOW)
            .await?;
        check(
            outcome.contains("its stored grant was used (no browser)"),
            format!("the outcome says the stored grant was used: {outcome}"),
        )?;
        let kinds = g.attrs("[data-testid=timeline-event]", "data-kind").await?;
        check(
            !kinds.iter().any(|k| k == "authorization_url"),
            format!("no authorization request on the second run's timeline: {kinds:?}"),
        )?;
        check(
            logins(desk) == before,
            format!(
                "the test browser saw no new authorization request: {}",
                std::fs::read_to_string(&desk.browser_log).unwrap_or_default()
            ),
        )?;
        g.wait_text("mcp-tool-whoami", &["whoami"]).await?;
        g.check_layout("MCP server, second run").await?;
        Ok(())
    });
    assert_passed(
        result,
        "the MCP server screen runs the MCP authorization flow step by step, ends on the tools and the conformance per revision, and reuses the grant",
    );
}

#[test]
fn start_from_an_api_refuses_a_mismatched_resource_and_registers_a_client() {
    let desk = Desk::new();
    let desk = &desk;
    let mcp = McpServer::start(&desk.provider.issuer);
    let (bad, named) = (mcp.url("/bad-mcp"), mcp.url("/mcp"));
    let (api, resource) = (mcp.url("/api/profile"), mcp.url("/api"));
    let (bad, named, api, resource) = (&bad, &named, &api, &resource);
    let result = gui::run(
        "start_from_api",
        Launch::for_desk(desk),
        LIMIT,
        |g| async move {
            g.nav("clients").await?;
            g.click("resource-open").await?;
            g.fill("resource-url", bad).await?;
            g.click("resource-mcp").await?;
            g.click("resource-probe").await?;
            let refusal = g
                .wait_text_within("probe-metadata-error", &["RFC 9728 §3.3"], FLOW)
                .await?;
            check(
                refusal.contains(named) && refusal.contains(bad) && refusal.contains("not used"),
                format!(
                    "the refusal names both resources and says the document was not used: {refusal}"
                ),
            )?;
            g.wait_text(
                "finding-metadata_resource_mismatch",
                &["violates", "RFC 9728 §3.3"],
            )
            .await?;
            g.wait_for("resource-no-client").await?;
            check(
                !g.visible("resource-make").await?,
                "no client is offered from a refused metadata document",
            )?;
            g.wait_text("probe-status", &["HTTP 401"]).await?;
            g.check_layout("Start from an API, refused").await?;

            // A REST API: its challenge, its metadata (for the parent path /api) and its
            // server; then a client by dynamic registration.
            g.fill("resource-url", api).await?;
            g.click("resource-mcp").await?;
            g.click("resource-probe").await?;
            g.wait_text_within("probe-resource", &[resource], FLOW)
                .await?;
            g.wait_text("probe-status", &["GET", "HTTP 401"]).await?;
            g.wait_text("probe-challenge", &["Bearer", "resource_metadata"])
                .await?;
            g.wait_text("probe-server-pkce", &["advertised"]).await?;
            g.wait_text("probe-server-registration", &["dynamic (RFC 7591)"])
                .await?;
            let scopes = g.text("resource-scopes").await?;
            check(
                scopes.contains("api:read"),
                format!("the scopes are prefilled with the suggestion: {scopes:?}"),
            )?;
            g.check_layout("Start from an API, probed").await?;
            g.scroll_to("probe-metadata").await?;
            g.screenshot("start-from-api-1000x700").await?;
            g.fill("resource-name", "test mcp").await?;
            g.click("resource-identity-register").await?;
            g.click("resource-create").await?;
            let notice = g
                .wait_text_within(
                    "client-notice",
                    &["Made test mcp", "redirect URI http://127.0.0.1:"],
                    FLOW,
                )
                .await?;
            // The new client is open in the editor.
            g.wait_for("client-redirect").await?;
            let shown_redirect = g.text("client-redirect").await?;
            let stored = desk
                .run(&["client", "show", "test mcp", "--json"])
                .ok()
                .json();
            let redirect = stored["redirect_uri"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let port = redirect
                .strip_prefix("http://127.0.0.1:")
                .and_then(|r| r.split('/').next())
                .and_then(|p| p.parse::<u16>().ok());
            check(
                port.is_some_and(|p| p > 0),
                format!(
                    "the registered client has a loopback redirect URI with a fixed port: {stored}"
                ),
            )?;
            check(
                notice.contains(&redirect),
                format!("the notice shows that redirect URI {redirect}: {notice}"),
            )?;
            check(
                stored["extra_params"]
                    .to_string()
                    .contains(&format!("{resource}\"")),
                format!("the client sends the resource indicator {resource}: {stored}"),
            )?;
            check(
                shown_redirect == redirect,
                format!(
                    "the editor shows the same redirect URI ({shown_redirect:?} vs {redirect:?})"
                ),
            )?;
            g.wait_text("client-row-test mcp", &["test mcp"]).await?;
            g.check_layout("Clients, the client made from the API")
                .await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "Start from an API shows a RFC 9728 §3.3 refusal in words and makes a client by dynamic registration with a fixed-port redirect URI",
    );
}
