//! Flow progress on stderr while `login` and `logout` wait for the browser, the device or the
//! server.

use super::safe;
use oauthdesk_core::model::FlowEvent;
use std::io::Write;

/// Prints flow progress on stderr; on a terminal the device countdown rewrites one line. A write
/// error is ignored: progress is a courtesy, and the flow goes on.
pub fn progress_printer(tty: bool) -> impl Fn(FlowEvent) + Send + Sync {
    move |event| {
        let _ = render(event, tty, &mut std::io::stderr().lock());
    }
}

/// One event's progress text. Server-sent values (the device's user code and verification URI,
/// the last poll's answer) and URLs built from discovered metadata are made safe to show; the
/// only escape sequence written is ours, the one that clears the countdown line.
fn render(event: FlowEvent, tty: bool, err: &mut impl Write) -> std::io::Result<()> {
    match event {
        FlowEvent::Step { name } => writeln!(err, "{}…", safe(&name)),
        FlowEvent::AuthorizationUrl { url, opened: true } => writeln!(
            err,
            "Opened the authorization page in your browser. If nothing appeared, open:\n  {}",
            safe(&url)
        ),
        FlowEvent::AuthorizationUrl { url, opened: false } => {
            writeln!(
                err,
                "Open this URL in a browser to continue:\n  {}",
                safe(&url)
            )
        }
        FlowEvent::WaitingForCallback {
            redirect_uri,
            timeout_secs,
        } => {
            writeln!(
                err,
                "Waiting for the redirect to {} (gives up in {} min; Ctrl-C cancels)…",
                safe(&redirect_uri),
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
            writeln!(
                err,
                "\n  Enter the code   {}\n  at               {}",
                safe(&user_code),
                safe(&verification_uri)
            )?;
            if let Some(c) = verification_uri_complete {
                writeln!(err, "  or open          {}", safe(&c))?;
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
                "Waiting for approval: {}:{:02} left, next check in {next_poll_in_secs} s (every {interval_secs} s, {polls} checks, last: {})",
                remaining_secs / 60,
                remaining_secs % 60,
                safe(&last)
            );
            if tty {
                write!(err, "\r\x1b[2K{line}")
            } else if next_poll_in_secs == interval_secs {
                writeln!(err, "{line}")
            } else {
                Ok(())
            }
        }
        e @ (FlowEvent::CibaRequested { .. } | FlowEvent::CibaWait { .. }) => {
            super::ciba::render(e, tty, err)
        }
        FlowEvent::Exchange { .. } | FlowEvent::Started { .. } => Ok(()),
        FlowEvent::TokenReceived { .. } => {
            if tty {
                writeln!(err, "\r\x1b[2KTokens received.")
            } else {
                writeln!(err, "Tokens received.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::output::tests::{PWNED, assert_inert};
    use oauthdesk_core::model::FlowEvent;

    fn rendered(event: FlowEvent) -> String {
        let mut buf = Vec::new();
        super::render(event, false, &mut buf).expect("writing to a Vec");
        String::from_utf8(buf).expect("progress is UTF-8")
    }

    #[test]
    fn device_flow_progress_escapes_what_the_server_sent() {
        let code = rendered(FlowEvent::DeviceCode {
            user_code: format!("ABCD{PWNED}"),
            verification_uri: format!("https://evil.example/device{PWNED}"),
            verification_uri_complete: Some(format!("https://evil.example/d?c=\u{9b}{PWNED}")),
            expires_in: 600,
            opened: false,
        });
        assert_inert(
            &code,
            "the device code prompt (user code, verification URIs)",
        );
        let poll = rendered(FlowEvent::DevicePoll {
            remaining_secs: 60,
            next_poll_in_secs: 5,
            interval_secs: 5,
            polls: 1,
            last: format!("authorization_pending{PWNED}"),
        });
        assert_inert(&poll, "the polling line (the server's last answer)");
        let url = rendered(FlowEvent::AuthorizationUrl {
            url: format!("https://evil.example/authorize{PWNED}"),
            opened: false,
        });
        assert_inert(
            &url,
            "the authorization URL (built from discovered metadata)",
        );
    }
}
