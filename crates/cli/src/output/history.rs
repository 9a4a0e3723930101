//! Rendering of what was recorded: `history` (events) and `log` (HTTP exchanges, as text or as
//! curl commands).

use super::{relative, safe, safe_lines};
use oauthdesk_core::model::{FlowTranscript, HistoryEvent};
use oauthdesk_core::protocol::transcript::to_curl;

pub fn history(events: &[HistoryEvent], now: i64) {
    for e in events {
        outln!(
            "{:>10}  {:12}  {:14}  {}",
            relative(e.at, now),
            safe(&e.client),
            safe(&e.kind),
            safe(&e.detail)
        );
    }
}

pub fn transcript(flows: &[FlowTranscript]) {
    if flows.is_empty() {
        outln!("Nothing recorded yet for this client.");
    }
    for f in flows {
        outln!("== {} (flow {}) ==", safe(&f.operation), safe(&f.flow_id));
        for (i, ex) in f.exchanges.iter().enumerate() {
            let status = ex
                .response
                .as_ref()
                .map(|r| format!(" → {}", r.status))
                .unwrap_or_default();
            outln!(
                "[{}] {}: {} {}{} ({} ms)",
                i + 1,
                safe(&ex.step),
                safe(&ex.request.method),
                safe(&ex.request.url),
                status,
                ex.duration_ms
            );
            for (k, v) in &ex.request.headers {
                outln!("    > {}: {}", safe(k), safe(v));
            }
            if let Some(b) = &ex.request.body {
                outln!("    > {}", body(b, "    > "));
            }
            if let Some(r) = &ex.response {
                for (k, v) in r.headers.iter().filter(|(k, _)| {
                    matches!(
                        k.as_str(),
                        "content-type"
                            | "cache-control"
                            | "www-authenticate"
                            | "location"
                            | "dpop-nonce"
                    )
                }) {
                    outln!("    < {k}: {}", safe(v));
                }
                if !r.body.is_empty() {
                    outln!("    < {}", body(&r.body, "    < "));
                }
            }
            if let Some(n) = &ex.note {
                outln!("    note: {}", safe(n));
            }
        }
    }
}

/// A recorded body, its lines kept but each continued under `prefix`, so a body cannot pass
/// off a line of its own as one of ours.
fn body(text: &str, prefix: &str) -> String {
    safe_lines(text).replace('\n', &format!("\n{prefix}"))
}

pub fn transcript_curl(flows: &[FlowTranscript]) {
    for f in flows {
        outln!("# {} (flow {})", safe(&f.operation), safe(&f.flow_id));
        for ex in &f.exchanges {
            if ex.response.is_none() && ex.note.is_some() && ex.request.headers.is_empty() {
                outln!(
                    "# {}: {} ({})",
                    safe(&ex.step),
                    safe(&ex.request.url),
                    safe(ex.note.as_deref().unwrap_or(""))
                );
            } else {
                // The command's lines are ours; a control character inside a value is shown
                // escaped, so the command differs from the request there (`--json` is exact).
                outln!(
                    "# {}\n{}",
                    safe(&ex.step),
                    safe_lines(&to_curl(&ex.request))
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::output::tests::{PWNED, assert_inert, capture};
    use oauthdesk_core::model::{FlowTranscript, HistoryEvent};
    use oauthdesk_core::protocol::transcript::{Exchange, RecordedRequest, RecordedResponse};

    #[test]
    fn history_escapes_event_details() {
        let events = [HistoryEvent {
            at: 1000,
            client: "demo".into(),
            grant_id: None,
            kind: "refresh_failed".into(),
            detail: format!("invalid_grant: {PWNED}"),
            flow_id: None,
            rerun: None,
        }];
        assert_inert(
            &capture(|| super::history(&events, 1000)),
            "history (an error_description in the detail)",
        );
    }

    #[test]
    fn transcripts_escape_recorded_requests_and_responses() {
        let flows = [FlowTranscript {
            flow_id: "f1".into(),
            operation: "login".into(),
            grant_id: None,
            at: 1000,
            exchanges: vec![Exchange {
                step: "token".into(),
                started_at_ms: 0,
                duration_ms: 5,
                request: RecordedRequest {
                    method: "POST".into(),
                    url: format!("http://127.0.0.1/token{PWNED}"),
                    headers: vec![("x-test".into(), format!("v{PWNED}"))],
                    body: Some(format!("grant_type=x&scope={PWNED}")),
                },
                response: Some(RecordedResponse {
                    status: 400,
                    headers: vec![("content-type".into(), format!("text/plain{PWNED}"))],
                    body: format!("{{\"error\":\"x\"}}\n[2] fake: GET {PWNED}"),
                }),
                note: Some(format!("note {PWNED}")),
            }],
        }];
        let text = capture(|| super::transcript(&flows));
        assert_inert(&text, "log (URL, headers, bodies, note)");
        assert!(
            text.contains("\n    < [2] fake"),
            "a response body's second line stays under the `<` prefix, not posing as a step: {text}"
        );
        assert_inert(
            &capture(|| super::transcript_curl(&flows)),
            "log --curl (URL, headers, body)",
        );
    }
}
