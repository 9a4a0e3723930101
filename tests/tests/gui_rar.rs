//! Issue 15 (C), rich authorization requests (RFC 9396) in the desktop app: on Authorize, the
//! `authorization_details` editor offers the server's types (its
//! `authorization_details_types_supported`); inserting one and authorizing (the test browser
//! logs in and consents) gives a grant whose detail shows what was granted beside what was
//! asked — the test server narrows `account_information` (it drops `read_transactions`). Real
//! app under Xvfb through tauri-driver, real provider, real keychain; 1000×700, layout checked.

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, Launch, assert_passed, check};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(150);
const FLOW: Duration = Duration::from_secs(40);

#[test]
fn an_inserted_type_is_authorized_and_granted_details_are_shown_beside_requested() {
    let desk = Desk::new();
    desk.add_client("bank", "native-public", None, &["--scope", "openid"])
        .ok();
    let desk = &desk;
    let result = gui::run(
        "rar_editor",
        Launch::for_desk(desk),
        LIMIT,
        |g| async move {
            g.nav("authorize").await?;
            g.select("authorize-client", "bank").await?;
            g.select("authorize-grant", "authorization_code").await?;
            // The server's types are offered as buttons (from discovery).
            g.wait_for("authorize-rar-insert-payment_initiation")
                .await?;
            g.click("authorize-rar-insert-account_information").await?;
            let text = g
                .js(
                    "return document.querySelector('[data-testid=authorize-rar-text]').value",
                    vec![],
                )
                .await?;
            let text = text.as_str().unwrap_or_default().to_owned();
            check(
                text.contains("account_information") && text.contains("read_transactions"),
                format!("the editor holds the inserted template: {text}"),
            )?;
            check(
                !g.visible("authorize-rar-error").await?,
                "the inserted template is valid (no error shown)",
            )?;
            g.check_layout("authorize-rar").await?;
            g.click("authorize-start").await?;
            g.wait_text_within("flow-success", &["bank"], FLOW).await?;

            g.nav("tokens").await?;
            let rows = g.wait_testids("grant-row-", 1).await?;
            g.click(&rows[0]).await?;
            g.wait_text(
                "rar-requested",
                &["account_information", "read_transactions"],
            )
            .await?;
            let granted = g.wait_text("rar-granted", &["account_information"]).await?;
            check(
                granted.contains("list_accounts") && !granted.contains("read_transactions"),
                format!("the granted details lack what the server dropped: {granted}"),
            )?;
            let status = g
                .wait_text(
                    "rar-status-account_information",
                    &["narrowed by the server"],
                )
                .await?;
            check(
                status.contains("read_transactions"),
                format!("the verdict names what was left out: {status}"),
            )?;
            g.scroll_to("rar-compare").await?;
            g.check_layout("grant-detail-rar").await?;
            g.screenshot("grant-detail-rar").await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "authorization_details from the editor, granted beside requested",
    );
    // What the GUI sent is what the CLI sees stored.
    let grants = desk.run(&["grants", "bank", "--json"]).ok().json();
    assert_eq!(
        grants[0]["authorization_details_requested"][0]["type"], "account_information",
        "the GUI's login stored the requested details: {grants}"
    );
}
