//! Human output (tables, times in words, progress) and `--json`. Tokens appear only where the
//! user asked for one (`oauthdesk token`). One module per command family; the shared pieces
//! (`json`, `relative`) are here.

mod clients;
mod grants;
mod history;
mod inspect;
mod progress;
mod transfer;

pub use clients::{client_details, client_table, presets};
pub use grants::{grant_summary, grant_table, logout};
pub use history::{history, transcript, transcript_curl};
pub use inspect::{audit, inspection, report, verification};
pub use progress::progress_printer;
pub use transfer::import_report;

use std::io::Write;

/// Pretty JSON and a newline on stdout; a write error (a closed pipe) is ignored.
pub fn json<T: serde::Serialize>(value: &T) {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut out, value);
    let _ = writeln!(out);
}

/// "in 4 min", "2 h ago", "now".
pub fn relative(at: i64, now: i64) -> String {
    let d = at - now;
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
mod tests {
    #[test]
    fn times_in_words() {
        assert_eq!(super::relative(1000 + 240, 1000), "in 4 min");
        assert_eq!(super::relative(1000 - 7200, 1000), "2 h ago");
        assert_eq!(super::relative(1002, 1000), "now");
        assert_eq!(super::relative(1000 + 30, 1000), "in 30 s");
    }
}
