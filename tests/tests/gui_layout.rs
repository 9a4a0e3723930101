//! Every screen at laptop size (1000×700) and larger (1440×900), light and dark: no table cell
//! narrower than its longest word, nothing clipped without its full text on hover, no page wider
//! than the window. Real app, real test server, real keychain; screenshots of both sizes go to
//! target/screenshots/ (the README's pictures).

use oauthdesk_tests::gui::{self, Gui, GuiResult, LAPTOP, Launch, WIDE, assert_passed};
use oauthdesk_tests::{Desk, jwt_access_token};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(300);

/// Visits each screen in a state with content (a client open, a grant inspected, a token
/// decoded) and returns the layout problems found, each prefixed by the screen.
async fn walk(g: &Gui, jwt: &str, shots: Option<&str>) -> GuiResult<Vec<String>> {
    let mut problems = Vec::new();
    let mut look = async |g: &Gui, screen: &str| -> GuiResult {
        for p in g.layout_problems().await? {
            problems.push(format!("{screen}: {p}"));
        }
        if let Some(suffix) = shots {
            g.screenshot(&format!("{screen}-{suffix}")).await?;
        }
        Ok(())
    };
    g.nav("clients").await?;
    g.click("client-row-sandbox").await?;
    g.wait_for("client-authorize").await?;
    g.settle().await?;
    look(g, "clients").await?;

    g.nav("authorize").await?;
    g.select("authorize-client", "sandbox").await?;
    g.settle().await?;
    look(g, "authorize").await?;

    g.nav("tokens").await?;
    let rows = g.wait_testids("grant-row-", 2).await?;
    for row in &rows {
        if g.text(row).await?.contains("sandbox") {
            g.click(row).await?;
            break;
        }
    }
    g.wait_for("token-truth-summary").await?;
    look(g, "tokens").await?;

    g.nav("decode").await?;
    // The pasted token is kept in memory across screens: paste it once.
    if g.text("decode-input").await?.trim().is_empty() {
        g.fill("decode-input", jwt).await?;
    }
    g.wait_for("decode-segments").await?;
    g.wait_js(
        "document.querySelector('[data-testid=decode-verdict]')?.dataset.status !== 'checking'",
        "the decode verdict",
    )
    .await?;
    look(g, "decode").await?;
    g.nav("api").await?;
    look(g, "call-api").await?;
    g.nav("audit").await?;
    g.wait_testids("audit-row", 2).await?;
    look(g, "audit").await?;
    g.nav("report").await?;
    g.select("report-client", "sandbox").await?;
    g.wait_for("report-scope").await?;
    look(g, "report").await?;
    g.nav("history").await?;
    g.settle().await?;
    look(g, "history").await?;
    g.nav("settings").await?;
    g.wait_for("settings-keychain").await?;
    look(g, "settings").await?;
    g.nav("environments").await?;
    g.wait_for("env-new-name").await?;
    look(g, "environments").await?;
    Ok(problems)
}

#[test]
fn every_screen_reads_at_laptop_size_and_larger_in_light_and_dark() {
    let desk = Desk::new();
    desk.add_sandbox_and_service();
    desk.run(&["login", "sandbox"]).ok();
    desk.run(&["login", "service", "--grant", "client_credentials"])
        .ok();
    // An RFC 9068 JWT access token from the server, for Decode.
    let jwt = jwt_access_token(&desk.provider.issuer);
    let jwt = &jwt;
    let result = gui::run("layout", Launch::for_desk(&desk), LIMIT, |g| async move {
        let mut problems = Vec::new();
        for (size, theme) in [
            (LAPTOP, "light"),
            (WIDE, "dark"),
            (LAPTOP, "dark"),
            (WIDE, "light"),
        ] {
            g.resize(size.0, size.1).await?;
            g.nav("settings").await?;
            g.select("settings-theme", theme).await?;
            let shots = match (size, theme) {
                (LAPTOP, "light") => Some("1000x700"),
                (WIDE, "dark") => Some("1440x900-dark"),
                _ => None,
            };
            for p in walk(&g, jwt, shots).await? {
                problems.push(format!("{}×{} {theme}: {p}", size.0, size.1));
            }
        }
        gui::check(
            problems.is_empty(),
            format!("layout problems:\n  {}", problems.join("\n  ")),
        )
    });
    assert_passed(
        result,
        "every screen at 1000×700 and 1440×900, light and dark, has no cell narrower than its longest word and nothing clipped",
    );
}

/// Presses `keys` (WebDriver key codes) on the element with this test id.
async fn press(g: &Gui, testid: &str, keys: &str) -> GuiResult {
    g.wait_for(testid).await?.send_keys(keys).await?;
    Ok(())
}

#[test]
fn keyboard_shortcuts_collapsible_sidebar_and_a_remembered_split_at_laptop_size() {
    const CTRL: &str = "\u{E009}";
    const RELEASE: &str = "\u{E000}";
    const RIGHT: &str = "\u{E014}";
    let desk = Desk::new();
    desk.add_client("sandbox", "native-public", None, &["--scope", "openid"])
        .ok();
    let first = gui::run("keyboard", Launch::for_desk(&desk), LIMIT, |g| async move {
        // `?` from any control opens the list of shortcuts; Escape closes it.
        press(&g, "nav-tokens", "?").await?;
        let help = g
            .wait_text("shortcuts-help", &["Ctrl+N", "Ctrl+Enter", "Ctrl+Shift+C"])
            .await?;
        g.check_layout("shortcuts help").await?;
        g.screenshot("shortcuts-1000x700").await?;
        press(&g, "shortcuts-close", "\u{E00C}").await?;
        g.wait_gone("shortcuts-help").await?;
        gui::check(
            help.contains("New client"),
            format!("the help says what each does: {help}"),
        )?;
        // Ctrl+N from Tokens: Clients, new-client editor.
        g.nav("tokens").await?;
        press(&g, "nav-tokens", &format!("{CTRL}n{RELEASE}")).await?;
        g.wait_for("client-name").await?;
        // Ctrl+B collapses the sidebar; the screens stay reachable and the layout holds.
        press(&g, "client-name", &format!("{CTRL}b{RELEASE}")).await?;
        g.wait_js(
            "document.querySelector('.shell')?.dataset.sidebar === 'collapsed'",
            "the sidebar to collapse",
        )
        .await?;
        g.check_layout("clients, sidebar collapsed").await?;
        g.nav("tokens").await?;
        g.nav("clients").await?;
        // The split between list and detail moves with the keyboard.
        press(&g, "split-clients-handle", &RIGHT.repeat(3)).await?;
        let width = g
            .attrs("[data-testid=split-clients]", "data-list-width")
            .await?
            .join("");
        gui::check(
            width == "372",
            format!("three steps of 24 px from 300: {width}"),
        )?;
        Ok(())
    });
    assert_passed(
        first,
        "the shortcuts, the sidebar and the split answer the keyboard at 1000×700",
    );
    // A second start: the collapsed sidebar and the list width are remembered.
    let second = gui::run(
        "keyboard_again",
        Launch::for_desk(&desk),
        LIMIT,
        |g| async move {
            g.wait_for("split-clients").await?;
            let sidebar = g.attrs(".shell", "data-sidebar").await?.join("");
            let width = g
                .attrs("[data-testid=split-clients]", "data-list-width")
                .await?
                .join("");
            gui::check(
                sidebar == "collapsed" && width == "372",
                format!("remembered after a restart: sidebar {sidebar}, list {width} px"),
            )
        },
    );
    assert_passed(second, "the layout chosen is remembered across restarts");
}
