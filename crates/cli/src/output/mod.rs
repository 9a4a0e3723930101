//! Human output (tables, times in words, progress) and `--json`. Tokens appear only where the
//! user asked for one (`oauthdesk token`). One module per command family; the shared pieces
//! (`out!`/`outln!`/`errln!`, `json`, `safe`, `relative`) are here.
//!
//! Every byte the CLI writes goes through `out!`/`outln!` (stdout) or `errln!` (stderr), never
//! `print!`/`println!`, which panic when the reader has gone (`oauthdesk client list | head -1`).
//! A closed stdout ends the process quietly with exit code 0: the reader had what it wanted, like
//! `head` itself. Any other stdout failure (a full disk) is reported on stderr with exit code 1.
//! Writes to stderr ignore errors: there is nowhere left to report them.
//!
//! Text that came from a server, a token or a file (an `error_description`, a scope, a claim,
//! discovered metadata, a recorded exchange) goes through [`safe`] or [`safe_lines`] before it
//! is shown, so it cannot move the cursor, retitle the terminal or hide itself. `--json` needs no
//! such care: serde writes control characters as `\u` escapes.

/// `print!` that survives a closed stdout (see the module doc).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!($($arg)*))
    };
}

/// `println!` that survives a closed stdout (see the module doc).
macro_rules! outln {
    () => {
        $crate::output::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that ignores write errors instead of panicking.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, out, outln};

mod ciba;
mod clients;
mod environments;
mod grants;
mod history;
mod inspect;
mod mcp;
mod progress;
pub mod rar;
mod resource;
mod transfer;

pub use clients::{client_details, client_table, presets};
pub use environments::{environment, environment_import, environment_list};
pub use grants::{grant_summary, grant_table, logout};
pub use history::{history, transcript, transcript_curl};
pub use inspect::{audit, finding_list, inspection, report, verification};
pub use mcp::mcp_report;
pub use progress::progress_printer;
pub use resource::{resource_client, resource_probe};
pub use transfer::import_report;

use oauthdesk_core::error::CoreError;
use oauthdesk_core::protocol::text::escape_controls;
use std::io::Write;

/// Writes to stdout and flushes; on a closed pipe the process ends quietly with 0, on any other
/// failure it says so on stderr and ends with 1. Under `cargo test`, [`tests::capture`] can
/// take the text instead.
pub fn write_stdout(args: std::fmt::Arguments<'_>) {
    #[cfg(test)]
    if tests::captured(args) {
        return;
    }
    let written = {
        let mut out = std::io::stdout().lock();
        out.write_fmt(args).and_then(|()| out.flush())
    };
    if let Err(e) = written {
        stdout_failed(&e);
    }
}

/// Ends the process after stdout failed: quietly with 0 when the reader has gone, else with 1
/// and the cause on stderr.
pub fn stdout_failed(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    errln!("oauthdesk: cannot write to stdout: {e}");
    std::process::exit(1);
}

/// Stdout for output written in bulk (100 000 grants): 64 KiB writes instead of one per line.
/// A command writing to it passes its errors to [`bulk_failed`].
pub fn bulk_stdout() -> std::io::BufWriter<std::io::Stdout> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout())
}

/// The error of a command writing to [`bulk_stdout`]: there an I/O error is the writer's (the
/// store reads report [`CoreError::Store`]), so it ends the process as [`write_stdout`] does.
/// Any other error is handed back.
pub fn bulk_failed(e: CoreError) -> CoreError {
    match e {
        CoreError::Io { source, .. } => stdout_failed(&source),
        other => other,
    }
}

/// What a failed write to [`bulk_stdout`] is called in its [`CoreError::Io`].
const BULK_WRITE: &str = "cannot write to stdout";

/// `--json` for a list streamed from the store: a pretty array, written as the rows arrive.
pub struct JsonList(oauthdesk_core::pretty_array::PrettyArray<std::io::BufWriter<std::io::Stdout>>);

impl JsonList {
    pub fn start() -> Result<Self, CoreError> {
        oauthdesk_core::pretty_array::PrettyArray::start(bulk_stdout(), 0)
            .map(Self)
            .map_err(|e| CoreError::io(BULK_WRITE, e))
    }

    pub fn push<T: serde::Serialize>(&mut self, value: &T) -> Result<(), CoreError> {
        self.0.push(value).map_err(|e| CoreError::io(BULK_WRITE, e))
    }

    /// Closes the array with a newline, as [`json`] ends.
    pub fn finish(self) -> Result<(), CoreError> {
        self.0
            .finish()
            .and_then(|mut w| w.write_all(b"\n").and_then(|()| w.flush()))
            .map_err(|e| CoreError::io(BULK_WRITE, e))
    }
}

/// Writes to stderr; a failure is ignored (there is nowhere left to report it).
pub fn write_stderr(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.flush());
}

/// Pretty JSON and a newline on stdout.
pub fn json<T: serde::Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => outln!("{text}"),
        Err(e) => {
            errln!("oauthdesk: cannot write the JSON output: {e}");
            std::process::exit(1);
        }
    }
}

/// A value from outside (a server, a token, a file) made safe to show on one line: every
/// control character, newlines included, becomes a visible escape such as `\u{1b}`.
pub fn safe(text: &str) -> String {
    escape_controls(text, false)
}

/// Like [`safe`], for text whose lines are meant to be shown as lines: newlines and tabs stay.
pub fn safe_lines(text: &str) -> String {
    escape_controls(text, true)
}

/// "in 4 min", "2 h ago", "now".
pub fn relative(at: i64, now: i64) -> String {
    let d = at.saturating_sub(now);
    let a = d.unsigned_abs();
    let span = match a {
        0..=4 => return "now".into(),
        5..=59 => format!("{a} s"),
        60..=3599 => format!("{} min", a / 60),
        3600..=86_399 => format!("{} h", a / 3600),
        _ => format!("{} d", a / 86_400),
    };
    if d > 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use oauthdesk_core::model::{GrantStatus, GrantType, GrantView};
    use std::cell::RefCell;

    /// An OSC sequence that would retitle the terminal: ESC ] 0 ; pwned BEL.
    pub const PWNED: &str = "\u{1b}]0;pwned\u{7}";

    thread_local! {
        static CAPTURE: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    /// What `render` wrote to stdout (through `out!`/`outln!`/`json`), instead of stdout.
    pub fn capture(render: impl FnOnce()) -> String {
        CAPTURE.with_borrow_mut(|c| *c = Some(String::new()));
        render();
        CAPTURE
            .with_borrow_mut(Option::take)
            .expect("the capture is still set")
    }

    /// Appends to the capture if one is running on this thread.
    pub(super) fn captured(args: std::fmt::Arguments<'_>) -> bool {
        CAPTURE.with_borrow_mut(|c| match c {
            Some(s) => {
                std::fmt::Write::write_fmt(s, args).expect("writing to a String");
                true
            }
            None => false,
        })
    }

    /// Panics, saying `what`, if `rendered` holds a raw ESC, BEL or C1 CSI: something that a
    /// terminal would act on instead of showing.
    pub fn assert_inert(rendered: &str, what: &str) {
        for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(
                !rendered.contains(bad),
                "{what}: a raw U+{:04X} reached the terminal in {rendered:?}",
                bad as u32
            );
        }
    }

    /// A grant whose server-sent fields (scopes, subject, a deviation) carry [`PWNED`].
    pub fn sample_grant() -> GrantView {
        GrantView {
            id: "g1".into(),
            client: "demo".into(),
            grant_type: GrantType::AuthorizationCode,
            status: GrantStatus::Active,
            scopes_requested: format!("openid {PWNED}"),
            scopes_granted: Some(format!("openid \u{9b}31m{PWNED}")),
            token_type: "Bearer".into(),
            has_access_token: true,
            has_refresh_token: false,
            has_id_token: false,
            expires_at: Some(2000),
            issued_at: 1000,
            refreshed_at: None,
            last_used_at: None,
            last_used_by: None,
            refresh_count: 0,
            subject: Some(format!("alice{PWNED}")),
            claims: None,
            deviations: vec![oauthdesk_core::protocol::endpoint::Deviation::new(
                "odd",
                "RFC 6749",
                format!("server said {PWNED}"),
            )],
            revoked_at: None,
            auto_refresh: false,
            authorization_details_requested: None,
            authorization_details_granted: None,
        }
    }

    #[test]
    fn json_output_escapes_control_characters() {
        let text = capture(|| super::json(&serde_json::json!({ "sub": "a\u{1b}]0;pwned\u{7}" })));
        assert!(
            text.contains(r"a\u001b]0;pwned\u0007"),
            "--json writes ESC and BEL as JSON escapes (serde), so JSON output needs no extra escaping: {text}"
        );
        assert!(
            !text.contains(['\u{1b}', '\u{7}']),
            "--json never carries a raw ESC or BEL: {text:?}"
        );
    }

    #[test]
    fn times_in_words() {
        assert_eq!(
            super::relative(1000 + 240, 1000),
            "in 4 min",
            "a time under an hour ahead reads in whole minutes, prefixed with in"
        );
        assert_eq!(
            super::relative(1000 - 7200, 1000),
            "2 h ago",
            "a time hours back reads in whole hours, followed by ago"
        );
        assert_eq!(
            super::relative(1002, 1000),
            "now",
            "within 4 s either way reads as now"
        );
        assert_eq!(
            super::relative(1000 + 30, 1000),
            "in 30 s",
            "a time under a minute away reads in seconds"
        );
    }
}
