//! One truth per grant: after the access token is revoked (the refresh token kept), every screen
//! says the same — the Tokens row, the grant's detail, the audit, Call API and the CLI — and
//! none says "active · expires in …". Call API then refreshes on demand; the sandbox revoked the
//! grant with its access token, so every screen then says a login is needed.
//! Real app at 1000×700, real test server, real keychain.

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, Gui, GuiResult, Launch, assert_passed, check};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);

/// The test id of the (only) sandbox grant's row.
async fn sandbox_row(g: &Gui) -> GuiResult<String> {
    for row in g.wait_testids("grant-row-", 1).await? {
        if g.text(&row).await?.contains("sandbox") {
            return Ok(row);
        }
    }
    Err("no sandbox row on Tokens".into())
}

async fn attr(g: &Gui, css: &str, name: &str) -> GuiResult<String> {
    Ok(g.attrs(css, name).await?.join(","))
}

#[test]
fn a_revoked_access_token_reads_the_same_on_every_screen_and_call_api_refreshes_on_demand() {
    let desk = Desk::new();
    desk.add_sandbox_and_service();
    desk.run(&["login", "sandbox"]).ok();
    let desk = &desk;
    let result = gui::run(
        "token_states",
        Launch::for_desk(desk),
        LIMIT,
        |g| async move {
            g.nav("tokens").await?;
            let row = sandbox_row(&g).await?;
            g.click(&row).await?;
            g.wait_for("grant-action-bar").await?;
            g.click("action-revoke-access").await?;
            g.wait_text("action-note", &["access token was revoked"])
                .await?;
            g.wait_js(
                "document.querySelector('[data-testid=grant-state]')?.dataset.access === 'revoked'",
                "the detail to reload after the revocation",
            )
            .await?;

            // The grant's detail.
            let state = g.text("grant-state").await?;
            check(
                state.contains("Access token revoked")
                    && state.contains("refresh token present")
                    && !state.contains("expires in"),
                format!("the detail says revoked, refresh present, no 'expires in': {state:?}"),
            )?;
            let badge = attr(&g, "[data-testid=grant-status-detail]", "data-status").await?;
            check(
                badge == "refreshable",
                format!("the detail's badge is not 'active' but refreshable: {badge:?}"),
            )?;
            let line = g.text("token-access-token").await?;
            check(
                line.contains("revoked"),
                format!("the token list says the access token is revoked: {line:?}"),
            )?;

            // The Tokens row.
            let row_css = format!("[data-testid={row}]");
            let row_status = attr(
                &g,
                &format!("{row_css} [data-testid=grant-status]"),
                "data-status",
            )
            .await?;
            let row_text = g.text(&row).await?;
            check(
                row_status == "refreshable"
                    && row_text.contains("access token revoked")
                    && !row_text.contains("expires in"),
                format!("the row agrees with the detail ({row_status:?}): {row_text:?}"),
            )?;
            g.check_layout("tokens, access token revoked").await?;

            // The CLI, on the same store.
            let cli = desk.run(&["grants"]);
            check(
                cli.stdout.contains("refreshable") && cli.stdout.contains("revoked"),
                format!(
                    "`oauthdesk grants` says refreshable and revoked: {}",
                    cli.stdout
                ),
            )?;

            // The audit.
            g.nav("audit").await?;
            g.wait_testids("audit-row", 1).await?;
            let audit_status = attr(&g, "[data-testid=audit-status]", "data-status").await?;
            let expires = g.text("audit-expires").await?;
            check(
                audit_status == "refreshable" && expires.contains("access token revoked"),
                format!("the audit agrees ({audit_status:?}, expires {expires:?})"),
            )?;
            g.check_layout("audit, access token revoked").await?;

            // Call API: the grant is offered, says why it will refresh first, keeps what is typed.
            g.nav("api").await?;
            let note = g
                .wait_text("api-grant-state", &["revoked", "refreshes it first"])
                .await?;
            let usable = attr(&g, "[data-testid=api-grant-state]", "data-usable").await?;
            check(
                usable == "true",
                format!("the grant can make the call: {note:?}"),
            )?;
            g.click("api-use-userinfo").await?;
            g.nav("settings").await?;
            g.nav("api").await?;
            let url = g.text("api-url").await?;
            check(
                url.contains("/me"),
                format!("the URL typed is kept across screens: {url:?}"),
            )?;
            g.check_layout("call api, access token revoked").await?;
            g.click("api-send").await?;
            // The call refreshes first. The sandbox (oidc-provider) revokes the whole grant with its
            // access token, as RFC 7009 §2.1 allows, so the refresh is refused: the error says to log
            // in again, and every screen then agrees the grant needs a login.
            let error = g.wait_text("api-error", &["log in again"]).await?;
            check(
                error.contains("refresh"),
                format!("the failed call says the refresh was refused: {error}"),
            )?;
            g.nav("tokens").await?;
            g.wait_js(
            &format!("document.querySelector('[data-testid={row}] [data-testid=grant-status]')?.dataset.status === 'needs_login'"),
            "the row to read needs login after the refused refresh",
        )
        .await?;
            g.click(&row).await?;
            g.wait_text("grant-state", &["refused by the server"])
                .await?;
            let cli = desk.run(&["grants"]);
            check(
                cli.stdout.contains("needs_login"),
                format!("the CLI agrees: {}", cli.stdout),
            )?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "after revoking the access token every screen and the CLI say revoked / refreshable; Call API refreshes on demand and the refused refresh reads needs login everywhere",
    );
}
