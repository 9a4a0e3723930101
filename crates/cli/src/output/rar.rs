//! Rich authorization requests (RFC 9396) in human output: a grant's `authorization_details`,
//! requested beside granted per type, and the audit's per-type line.

use super::safe;
use oauthdesk_core::model::GrantView;
use oauthdesk_protocol::rar::{DetailComparison, DetailStatus};

fn status_words(s: DetailStatus) -> &'static str {
    match s {
        DetailStatus::Granted => "granted as asked",
        DetailStatus::Narrowed => "narrowed by the server",
        DetailStatus::Broadened => "MORE than asked",
        DetailStatus::Added => "added by the server (not asked for)",
        DetailStatus::Missing => "not granted",
    }
}

/// The grant's details: what was asked, what was granted, and per type how they compare.
pub fn grant_details(v: &GrantView) {
    let json = |d: &Option<serde_json::Value>| d.as_ref().map(|d| safe(&d.to_string()));
    let (requested, granted) = (
        json(&v.authorization_details_requested),
        json(&v.authorization_details_granted),
    );
    if requested.is_none() && granted.is_none() {
        return;
    }
    outln!(
        "  requested authorization_details: {}",
        requested.as_deref().unwrap_or("(none)")
    );
    outln!(
        "  granted authorization_details:   {}",
        granted
            .as_deref()
            .unwrap_or("(the server did not say; RFC 9396 §7)")
    );
    for c in oauthdesk_core::desk::compare_grant(v) {
        outln!(
            "    {}: {} — {}",
            safe(&c.type_),
            status_words(c.status),
            safe(&c.note)
        );
    }
}

/// Under a grant's row in `oauthdesk grants`: its types and how each fared.
pub fn table_line(v: &GrantView) {
    let held = oauthdesk_core::desk::held_types(v);
    if held.is_empty() {
        return;
    }
    let comparisons = oauthdesk_core::desk::compare_grant(v);
    outln!(
        "  authorization_details: {}",
        audit_cell(&comparisons, &held)
    );
}

/// The audit's cell for a row: "type (status)" per type.
pub fn audit_cell(comparisons: &[DetailComparison], held: &[String]) -> String {
    if comparisons.is_empty() {
        return held.iter().map(|t| safe(t)).collect::<Vec<_>>().join(" ");
    }
    comparisons
        .iter()
        .map(|c| format!("{} ({})", safe(&c.type_), status_words(c.status)))
        .collect::<Vec<_>>()
        .join(", ")
}
