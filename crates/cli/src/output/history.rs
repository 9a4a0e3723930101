//! Rendering of what was recorded: `history` (events) and `log` (HTTP exchanges, as text or as
//! curl commands).

use super::relative;
use oauthdesk_core::model::{FlowTranscript, HistoryEvent};
use oauthdesk_core::protocol::transcript::to_curl;

pub fn history(events: &[HistoryEvent], now: i64) {
    for e in events {
        println!(
            "{:>10}  {:12}  {:14}  {}",
            relative(e.at, now),
            e.client,
            e.kind,
            e.detail
        );
    }
}

pub fn transcript(flows: &[FlowTranscript]) {
    if flows.is_empty() {
        println!("Nothing recorded yet for this client.");
    }
    for f in flows {
        println!("== {} (flow {}) ==", f.operation, f.flow_id);
        for (i, ex) in f.exchanges.iter().enumerate() {
            let status = ex
                .response
                .as_ref()
                .map(|r| format!(" → {}", r.status))
                .unwrap_or_default();
            println!(
                "[{}] {}: {} {}{} ({} ms)",
                i + 1,
                ex.step,
                ex.request.method,
                ex.request.url,
                status,
                ex.duration_ms
            );
            for (k, v) in &ex.request.headers {
                println!("    > {k}: {v}");
            }
            if let Some(b) = &ex.request.body {
                println!("    > {b}");
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
                    println!("    < {k}: {v}");
                }
                if !r.body.is_empty() {
                    println!("    < {}", r.body);
                }
            }
            if let Some(n) = &ex.note {
                println!("    note: {n}");
            }
        }
    }
}

pub fn transcript_curl(flows: &[FlowTranscript]) {
    for f in flows {
        println!("# {} (flow {})", f.operation, f.flow_id);
        for ex in &f.exchanges {
            if ex.response.is_none() && ex.note.is_some() && ex.request.headers.is_empty() {
                println!(
                    "# {}: {} ({})",
                    ex.step,
                    ex.request.url,
                    ex.note.as_deref().unwrap_or("")
                );
            } else {
                println!("# {}\n{}", ex.step, to_curl(&ex.request));
            }
        }
    }
}
