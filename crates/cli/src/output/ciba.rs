//! CIBA progress on stderr: the request's binding message and mode, then a countdown line like
//! the device flow's (rewritten in place on a terminal; one line per poll otherwise).

use super::safe;
use oauthdesk_core::model::FlowEvent;
use std::io::Write;

pub(super) fn render(event: FlowEvent, tty: bool, err: &mut impl Write) -> std::io::Result<()> {
    match event {
        FlowEvent::CibaRequested {
            login_hint,
            binding_message,
            mode,
            expires_in,
            interval_secs,
            notification_endpoint,
        } => {
            writeln!(
                err,
                "\n  Approve on the authentication device of {}",
                safe(login_hint.as_deref().unwrap_or("the user"))
            )?;
            if let Some(m) = binding_message {
                writeln!(err, "  The device shows    {}", safe(&m))?;
            }
            match notification_endpoint {
                Some(e) => writeln!(
                    err,
                    "  Mode               {} (waiting for the server's notification at {})",
                    safe(&mode),
                    safe(&e)
                )?,
                None => writeln!(
                    err,
                    "  Mode               {} (asking every {interval_secs} s)",
                    safe(&mode)
                )?,
            }
            writeln!(
                err,
                "  The request expires in {}:{:02} (Ctrl-C cancels).\n",
                expires_in / 60,
                expires_in % 60
            )
        }
        FlowEvent::CibaWait {
            remaining_secs,
            next_poll_in_secs,
            interval_secs,
            polls,
            last,
            ..
        } => {
            let left = format!("{}:{:02} left", remaining_secs / 60, remaining_secs % 60);
            let line = match next_poll_in_secs {
                Some(next) => format!(
                    "Waiting for approval: {left}, next check in {next} s (every {interval_secs} s, {polls} checks, last: {})",
                    safe(&last)
                ),
                None => format!(
                    "Waiting for the server's notification: {left} ({})",
                    safe(&last)
                ),
            };
            let new_step = match next_poll_in_secs {
                Some(next) => next == interval_secs,
                None => last != "waiting" || remaining_secs % 10 == 0,
            };
            if tty {
                write!(err, "\r\x1b[2K{line}")
            } else if new_step {
                writeln!(err, "{line}")
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use oauthdesk_core::model::FlowEvent;

    fn rendered(event: FlowEvent) -> String {
        let mut buf = Vec::new();
        super::render(event, false, &mut buf).expect("writing to a Vec");
        String::from_utf8(buf).expect("progress is UTF-8")
    }

    #[test]
    fn the_request_and_the_countdown_are_shown_and_server_text_is_inert() {
        let text = rendered(FlowEvent::CibaRequested {
            login_hint: Some("alice\x1b[31m".into()),
            binding_message: Some("W4SCT".into()),
            mode: "poll".into(),
            expires_in: 125,
            interval_secs: 5,
            notification_endpoint: None,
        });
        assert!(
            text.contains("W4SCT"),
            "the binding message is shown: {text}"
        );
        assert!(
            text.contains("2:05"),
            "the expiry is shown as a countdown: {text}"
        );
        assert!(
            !text.contains('\x1b'),
            "a control character in the hint is escaped: {text:?}"
        );
        let poll = rendered(FlowEvent::CibaWait {
            mode: "poll".into(),
            remaining_secs: 61,
            next_poll_in_secs: Some(5),
            interval_secs: 5,
            polls: 2,
            last: "authorization_pending".into(),
        });
        assert!(
            poll.contains("1:01 left")
                && poll.contains("2 checks")
                && poll.contains("authorization_pending"),
            "a poll's countdown line says what is left, how many checks and the last answer: {poll}"
        );
    }
}
