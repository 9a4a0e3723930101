//! The flow timeline, transcripts and History in the real window at 1000×700 (issue 12,
//! "Timeline", "History that acts"): a code login and a device login with the real test server
//! and the test browser; one entry per step with millisecond times, one polling row, the device
//! panel gone after success, "Copy as curl" read back from the real X11 clipboard, and a history
//! event's transcript opened and its login run again.

use oauthdesk_tests::Desk;
use oauthdesk_tests::gui::{self, Gui, GuiResult, LAPTOP, Launch, assert_passed, check};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);
/// A code flow with the test browser takes about a second; the device flow polls every 5 s.
const FLOW: Duration = Duration::from_secs(40);

/// What the app put on the clipboard (it is served by the app's process on this display).
fn clipboard_text() -> GuiResult<String> {
    let mut clipboard = arboard::Clipboard::new()?;
    Ok(clipboard.get_text()?)
}

/// The texts of every element matching `css`, in document order.
async fn texts(g: &Gui, css: &str) -> GuiResult<Vec<String>> {
    let v = g
        .js(
            "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent);",
            vec![css.into()],
        )
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

fn count(list: &[String], item: &str) -> usize {
    list.iter().filter(|x| *x == item).count()
}

#[test]
fn code_login_timeline_copy_curl_and_history_run_again() {
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
        "timeline_code",
        Launch::for_desk(desk).window(LAPTOP.0, LAPTOP.1),
        LIMIT,
        |g| async move {
            g.nav("authorize").await?;
            g.select("authorize-client", "sandbox").await?;
            g.click("authorize-start").await?;
            g.wait_text_within("flow-success", &["sandbox"], FLOW)
                .await?;

            let kinds = g.attrs("[data-testid=timeline-event]", "data-kind").await?;
            check(
                count(&kinds, "authorization_url") == 1,
                format!("the authorization URL is one entry: {kinds:?}"),
            )?;
            check(
                count(&kinds, "callback_received") == 1 && count(&kinds, "token_received") == 1,
                format!("the callback and the token are one entry each: {kinds:?}"),
            )?;
            let steps = g
                .attrs("[data-testid=timeline] .exchange", "data-step")
                .await?;
            let mut unique = steps.clone();
            unique.sort();
            unique.dedup();
            check(
                unique.len() == steps.len() && !steps.is_empty(),
                format!("each exchange is on the timeline once: {steps:?}"),
            )?;
            check(
                !steps
                    .iter()
                    .any(|s| s == "authorization request" || s == "callback received"),
                format!("the browser hand-offs are not repeated as exchanges: {steps:?}"),
            )?;
            check(
                !g.visible("transcript").await?,
                "no second list of the same exchanges under the timeline",
            )?;
            let offsets = texts(&g, "[data-testid=timeline-offset]").await?;
            check(
                offsets.iter().any(|o| o.ends_with(" ms")) && offsets.iter().any(|o| o != "+0 ms"),
                format!("offsets are in milliseconds, not all +0 s: {offsets:?}"),
            )?;
            g.check_layout("authorize (code flow done)").await?;
            g.screenshot("timeline-code").await?;

            // Copy as curl: the code exchange's, from Rust into the real clipboard.
            let opened = g
                .js(
                    "const x = document.querySelector('[data-testid=timeline] .exchange[data-step=\"token request (authorization_code)\"]'); \
                     if (!x) return false; x.querySelector('details').open = true; \
                     x.querySelector('[data-testid=copy-curl]').click(); return true;",
                    vec![],
                )
                .await?;
            check(
                opened == true,
                "the code exchange is on the timeline with Copy as curl",
            )?;
            g.wait_text("copy-status", &["Copied as curl"]).await?;
            let copied = clipboard_text()?;
            check(
                copied.starts_with("curl -X POST")
                    && copied.contains("/token")
                    && copied.contains("grant_type=authorization_code"),
                format!("the clipboard holds the code exchange as curl: {copied}"),
            )?;
            check(
                copied.contains("code=${CODE}") && !copied.contains("[redacted]"),
                format!("the code stays a shell variable in the copied curl: {copied}"),
            )?;

            // History: the login event opens its flow's transcript, then runs again.
            g.nav("history").await?;
            g.wait_for("history-open").await?;
            g.check_layout("history").await?;
            g.click("history-open").await?;
            let saved = g
                .wait_text("transcript", &["token request (authorization_code)"])
                .await?;
            check(
                saved.matches("authorization request").count() == 1,
                format!("the saved transcript has the authorization request once: {saved}"),
            )?;
            g.fill("transcript-search", "token").await?;
            g.wait_text("transcript-search-count", &["match"]).await?;
            g.check_layout("history (transcript open)").await?;
            g.screenshot("history-transcript").await?;
            g.click("history-rerun").await?;
            g.wait_for("timeline").await?;
            g.wait_text_within("flow-success", &["sandbox"], FLOW)
                .await?;
            g.nav("history").await?;
            g.wait_for("history-open").await?;
            let kinds = g.attrs("[data-testid=history-row]", "data-kind").await?;
            check(
                count(&kinds, "issued") == 2,
                format!("running again issued a second grant: {kinds:?}"),
            )?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "a code login's timeline has each step once, copies curl, and History opens and reruns it",
    );
}

#[test]
fn device_login_polls_in_one_row_and_the_panel_goes_after_success() {
    let desk = Desk::new();
    let desk = &desk;
    desk.add_client("tv", "device", None, &["--scope", "openid"])
        .ok();
    let result = gui::run(
        "timeline_device",
        Launch::for_desk(desk)
            .mode("device")
            .window(LAPTOP.0, LAPTOP.1),
        LIMIT,
        |g| async move {
            g.nav("authorize").await?;
            g.select("authorize-client", "tv").await?;
            g.select("authorize-grant", "device_code").await?;
            g.click("authorize-start").await?;
            g.wait_for("device-user-code").await?;
            g.wait_text("polling-row", &["Polling"]).await?;
            g.check_layout("authorize (device flow polling)").await?;
            g.wait_text_within("flow-success", &["tv"], FLOW).await?;
            g.wait_gone("device-user-code").await?;
            let body = g.body_text().await?;
            check(
                !body.contains("Polling has stopped"),
                "no leftover device panel status after success",
            )?;
            let rows = texts(&g, "[data-testid=polling-row]").await?;
            check(
                rows.len() == 1
                    && rows[0].starts_with("Polled the token endpoint")
                    && rows[0].contains("approved"),
                format!("polling collapsed to one row with its result: {rows:?}"),
            )?;
            let red = g
                .js(
                    "return document.querySelectorAll('[data-testid=timeline] .http-4xx').length;",
                    vec![],
                )
                .await?;
            check(red == 0, format!("no poll is shown as a red 4xx ({red})"))?;
            g.check_layout("authorize (device flow done)").await?;
            g.screenshot("timeline-device").await?;
            Ok(())
        },
    );
    assert_passed(
        result,
        "a device login shows one polling row and no device panel after success",
    );
}
