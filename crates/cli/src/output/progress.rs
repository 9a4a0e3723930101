//! Flow progress on stderr while `login` and `logout` wait for the browser, the device or the
//! server.

use oauthdesk_core::model::FlowEvent;
use std::io::Write;

/// Prints flow progress on stderr; on a terminal the device countdown rewrites one line.
pub fn progress_printer(tty: bool) -> impl Fn(FlowEvent) + Send + Sync {
    move |event| {
        let mut err = std::io::stderr().lock();
        let _ = match event {
            FlowEvent::Step { name } => writeln!(err, "{name}…"),
            FlowEvent::AuthorizationUrl { url, opened: true } => writeln!(
                err,
                "Opened the authorization page in your browser. If nothing appeared, open:\n  {url}"
            ),
            FlowEvent::AuthorizationUrl { url, opened: false } => {
                writeln!(err, "Open this URL in a browser to continue:\n  {url}")
            }
            FlowEvent::WaitingForCallback {
                redirect_uri,
                timeout_secs,
            } => {
                writeln!(
                    err,
                    "Waiting for the redirect to {redirect_uri} (gives up in {} min; Ctrl-C cancels)…",
                    timeout_secs.div_ceil(60)
                )
            }
            FlowEvent::CallbackReceived { iss_checked } => writeln!(
                err,
                "Callback received: state matched{}.",
                if iss_checked { ", iss matched" } else { "" }
            ),
            FlowEvent::DeviceCode {
                user_code,
                verification_uri,
                verification_uri_complete,
                expires_in,
                opened,
            } => {
                let _ = writeln!(
                    err,
                    "\n  Enter the code   {user_code}\n  at               {verification_uri}"
                );
                if let Some(c) = verification_uri_complete {
                    let _ = writeln!(err, "  or open          {c}");
                }
                writeln!(
                    err,
                    "  {}The code expires in {} min.\n",
                    if opened {
                        "(opened in your browser) "
                    } else {
                        ""
                    },
                    expires_in.div_ceil(60)
                )
            }
            FlowEvent::DevicePoll {
                remaining_secs,
                next_poll_in_secs,
                interval_secs,
                polls,
                last,
            } => {
                let line = format!(
                    "Waiting for approval: {}:{:02} left, next check in {next_poll_in_secs} s (every {interval_secs} s, {polls} checks, last: {last})",
                    remaining_secs / 60,
                    remaining_secs % 60
                );
                if tty {
                    write!(err, "\r\x1b[2K{line}")
                } else if next_poll_in_secs == interval_secs {
                    writeln!(err, "{line}")
                } else {
                    Ok(())
                }
            }
            FlowEvent::Exchange { .. } | FlowEvent::Started { .. } => Ok(()),
            FlowEvent::TokenReceived { .. } => {
                if tty {
                    writeln!(err, "\r\x1b[2KTokens received.")
                } else {
                    writeln!(err, "Tokens received.")
                }
            }
        };
    }
}
