//! GUI end to end: the real `oauth-desk` app (built with `custom-protocol`, so it serves
//! `ui/dist`) under Xvfb, driven through `tauri-driver` → WebKitWebDriver with fantoccini.
//!
//! One scenario = one tauri-driver on free ports, one app process, one WebDriver session.
//! [`run`] always closes the session and stops the driver (SIGTERM, so WebKitWebDriver and the
//! app go too; leftovers are killed by PID) before it returns the scenario's `Result`: a test
//! asserts only after that, so a failed assertion never leaves a window behind or hangs
//! `cargo test`. Scenarios in one test process run one at a time: the app is single-instance
//! (a second launch on the same D-Bus session would hand over to the first and exit).
//!
//! Screenshots come from the X server (`xwd`), not WebDriver: see [`Gui::screenshot`]. They are
//! written under `target/screenshots/`, never into the tracked docs/screenshots/:
//! `scripts/screenshots` copies them there when the README's pictures are meant to change.
//!
//! The app sees the environment of `tauri-driver`: [`Launch`] sets the data dir
//! (`OAUTHDESK_HOME`), the test browser as `$BROWSER` with its mode, private XDG dirs (window
//! state, WebKit storage), and optionally a D-Bus address that leads nowhere (no keychain).
//!
//! Files: `build` (environment checks, the app binary), `launch` (its environment), `driver`
//! (tauri-driver and its processes), `session` ([`run`], [`Gui`]), `page` (reading and waiting
//! for the page), `actions` (clicks, typing, navigation), `screenshot` (X screen to PNG).

mod actions;
mod build;
mod driver;
mod launch;
mod layout;
mod page;
mod screenshot;
mod session;

use std::process::Command;
use std::time::Duration;

pub use build::{app_binary, require_gui_environment, tauri_driver};
pub use driver::descendants;
pub use fantoccini::elements::Element;
pub use launch::Launch;
pub use screenshot::{
    UPDATE_SCREENSHOTS, capture_screen, capture_window, png_size, screenshots_dir, xwd_to_png,
};
pub use session::{Gui, run};

/// Errors of a scenario: a WebDriver error or a message saying what was awaited.
pub type GuiResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// How long a single wait ([`Gui::wait_for`], [`Gui::wait_text`]) lasts by default.
pub const WAIT: Duration = Duration::from_secs(15);
/// The size of the Xvfb screen in scripts/test: room for the largest window the tests use.
pub const SCREEN: (u32, u32) = (1440, 900);
/// The laptop-sized window every scenario starts in (the app's minimum size): every screen
/// must work here.
pub const LAPTOP: (u32, u32) = (1000, 700);
/// The larger window the tests also check, and the README's large screenshots.
pub const WIDE: (u32, u32) = (1440, 900);

/// A check inside a scenario: `Err(what)` unless `cond`, so the scenario stops there and
/// [`run`] cleans up before the test fails. `what` says what the check protects.
pub fn check(cond: bool, what: impl Into<String>) -> GuiResult {
    if cond {
        Ok(())
    } else {
        Err(what.into().into())
    }
}

/// Fails the test unless the scenario passed: `what` is what the scenario protects, followed by
/// the scenario's error (what was awaited, the page's text, the failure screenshot).
#[track_caller]
pub fn assert_passed(result: GuiResult, what: &str) {
    if let Err(e) = result {
        panic!("{what}: {e}");
    }
}

/// `[data-testid="…"]` for a test id (quotes escaped).
pub fn by_id(testid: &str) -> String {
    format!(
        "[data-testid=\"{}\"]",
        testid.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// The keychain item `username=<key>` of service `oauthdesk`, if any (`secret-tool lookup`).
pub fn keychain_has(key: &str) -> bool {
    Command::new("secret-tool")
        .args(["lookup", "service", "oauthdesk", "username", key])
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
}
