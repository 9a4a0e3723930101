//! `oauthdesk mcp`: the steps, the tools, and each MCP revision's verdict.

use super::{finding_list, safe};
use oauthdesk_core::desk::{McpOutcome, McpReport};

pub fn mcp_report(r: &McpReport) {
    outln!("MCP authorization flow at {}", safe(&r.url));
    for s in &r.steps {
        outln!(
            "  {} {:<30} {}",
            if s.ok { "✓" } else { "✗" },
            safe(&s.name),
            safe(&s.detail)
        );
    }
    if let Some(e) = &r.error {
        outln!("\nStopped: {}", safe(e));
    }
    if !r.tools.is_empty() {
        outln!("\nTools ({}):", r.tools.len());
        for t in &r.tools {
            match t.description.as_deref().or(t.title.as_deref()) {
                Some(d) => outln!("  {:<24} {}", safe(&t.name), safe(d)),
                None => outln!("  {}", safe(&t.name)),
            }
        }
    }
    for p in &r.problems {
        outln!("  note: {}", safe(p));
    }
    // The revision the server follows in full; the others by what they find.
    for v in &r.revisions {
        let verdict = match v.musts_broken {
            0 => "no MUST broken".to_owned(),
            n => format!("{n} MUST(s) broken"),
        };
        if v.followed {
            outln!(
                "\nMCP {} (the revision this server negotiated): {verdict}",
                safe(&v.revision)
            );
            for p in &v.passed {
                outln!("  ✓ {}", safe(p));
            }
        } else {
            outln!(
                "\nMCP {}: {verdict}, {} check(s) passed, {} finding(s)",
                safe(&v.revision),
                v.passed.len(),
                v.findings.len()
            );
        }
        finding_list(&v.findings);
    }
    outln!(
        "\n{}",
        match r.outcome {
            McpOutcome::Completed => "Completed: tools/list answered.",
            McpOutcome::MustBroken =>
                "Completed, but the server broke a MUST of the revision it follows (exit 4).",
            McpOutcome::Failed => "Failed (exit 1).",
            McpOutcome::LoginNeeded => "A login is needed (exit 3).",
        }
    );
}
