//! A Server-Sent Events reader for a whole, already received body (WHATWG HTML §9.2.6 "Event
//! stream interpretation"): lines end in CRLF, LF or CR; a leading BOM is dropped; `:` starts a
//! comment; `data:` lines are joined with `\n`; a blank line dispatches the event; an event
//! whose data buffer is empty is not dispatched; `event:` sets its type (default `message`),
//! `id:` the last event id (not when it holds NUL), `retry:` the reconnection time (digits only).
//!
//! One departure, on purpose: an event still pending when the body ends (no blank line after
//! it) is dispatched and flagged [`SseStream::unterminated`] instead of dropped — a server that
//! closes the stream right after its response should not lose the response.
//!
//! Bounded: at most `max_events` events are kept; parsing stops there and says so
//! ([`SseStream::truncated`]). The kept data never exceeds the body.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` type, `message` when none was given.
    pub event: String,
    /// The `data:` lines joined with `\n` (the last line's newline removed).
    pub data: String,
    /// The last event id in force when the event was dispatched.
    pub id: Option<String>,
}

/// Everything read from a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseStream {
    pub events: Vec<SseEvent>,
    /// The last `retry:` value, in milliseconds.
    pub retry: Option<u64>,
    /// Comment lines (`: keep-alive`) seen.
    pub comments: usize,
    /// The body ended inside an event (no blank line after it); that event was still kept.
    pub unterminated: bool,
    /// More than `max_events` events: parsing stopped after that many.
    pub truncated: bool,
}

#[derive(Default)]
struct Pending {
    event: String,
    data: String,
    id: Option<String>,
}

/// Reads `text` as an event stream, keeping at most `max_events` events.
pub fn parse(text: &str, max_events: usize) -> SseStream {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = SseStream::default();
    let mut pending = Pending::default();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = split_line(rest);
        rest = next;
        if line.is_empty() {
            if !dispatch(&mut pending, &mut out, max_events) {
                return out;
            }
            continue;
        }
        if line.starts_with(':') {
            out.comments = out.comments.saturating_add(1);
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => value.clone_into(&mut pending.event),
            "data" => {
                pending.data.push_str(value);
                pending.data.push('\n');
            }
            "id" if !value.contains('\0') => pending.id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Digits too many for a u64 are ignored like any unusable retry.
                if let Ok(ms) = value.parse::<u64>() {
                    out.retry = Some(ms);
                }
            }
            _ => {}
        }
    }
    if !pending.data.is_empty() && dispatch(&mut pending, &mut out, max_events) {
        out.unterminated = true;
    }
    out
}

/// The first line of `text` and what follows its terminator (CRLF, LF or CR).
fn split_line(text: &str) -> (&str, &str) {
    match text.find(['\r', '\n']) {
        Some(i) => {
            let after = if text[i..].starts_with("\r\n") {
                i + 2
            } else {
                i + 1
            };
            (&text[..i], &text[after..])
        }
        None => (text, ""),
    }
}

/// Dispatches the pending event (when its data buffer is not empty) and resets the buffers;
/// the last event id stays. Returns false once `max_events` were kept and another arrives.
fn dispatch(pending: &mut Pending, out: &mut SseStream, max_events: usize) -> bool {
    let event = std::mem::take(&mut pending.event);
    let mut data = std::mem::take(&mut pending.data);
    if data.is_empty() {
        return true;
    }
    if out.events.len() >= max_events {
        out.truncated = true;
        return false;
    }
    data.pop();
    out.events.push(SseEvent {
        event: if event.is_empty() {
            "message".into()
        } else {
            event
        },
        data,
        id: pending.id.clone(),
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_events_as_the_whatwg_algorithm_does() {
        let s = parse(
            "\u{feff}: hello\r\nevent: message\r\nid: 7\r\ndata: {\"a\":\r\ndata:1}\r\n\r\ndata\n\nid: 8\rdata: x\r\r",
            10,
        );
        assert_eq!(
            s.comments, 1,
            "a comment line is counted, not read as a field"
        );
        assert_eq!(s.events.len(), 3, "CRLF, LF and CR all end lines: {s:?}");
        assert_eq!(
            s.events[0].data, "{\"a\":\n1}",
            "data lines are joined with a newline and one leading space is dropped"
        );
        assert_eq!(s.events[0].id.as_deref(), Some("7"), "id: is kept");
        assert_eq!(
            s.events[1].data, "",
            "a bare `data` line is a field with an empty value, so the event is dispatched"
        );
        assert_eq!(
            s.events[1].id.as_deref(),
            Some("7"),
            "the last event id stays in force"
        );
        assert_eq!(
            (s.events[2].event.as_str(), s.events[2].id.as_deref()),
            ("message", Some("8")),
            "a CR alone ends a line; the default type is message"
        );
        assert!(!s.unterminated && !s.truncated, "a complete stream: {s:?}");
    }

    #[test]
    fn empty_data_buffers_do_not_dispatch_and_retry_needs_digits() {
        let s = parse("event: ping\n\nretry: 1500\n\nretry: 1x\n\n", 10);
        assert!(s.events.is_empty(), "no data, no event: {s:?}");
        assert_eq!(s.retry, Some(1500), "retry: with digits only is read");
        let s = parse("retry: 99999999999999999999999\n", 10);
        assert_eq!(s.retry, None, "a retry beyond u64 is ignored, not a panic");
    }

    #[test]
    fn an_unterminated_last_event_is_kept_and_flagged() {
        let s = parse("data: {\"id\":1}", 10);
        assert_eq!(
            s.events.len(),
            1,
            "the response is not lost at the end of the body"
        );
        assert!(s.unterminated, "the missing blank line is reported");
    }

    #[test]
    fn event_count_is_bounded() {
        let body = "data: x\n\n".repeat(50);
        let s = parse(&body, 10);
        assert_eq!(s.events.len(), 10, "no more than max_events are kept");
        assert!(s.truncated, "the cut is reported");
    }
}
