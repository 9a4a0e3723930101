//! Rendering of the checks: `inspect` (a grant), `decode` (any token), `audit` (every grant) and
//! `report` (where a provider departs from the specs).

use super::relative;
use oauthdesk_core::desk::{
    AuditRow, Inspection, ProviderReport, Severity, TokenFindings, TokenVerification,
};
use oauthdesk_core::protocol::verify::{Check, CheckStatus};

fn checks(list: &[Check]) {
    let w = list.iter().map(|c| c.name.len()).max().unwrap_or(4).max(4);
    for c in list {
        let mark = match c.status {
            CheckStatus::Pass => "PASS",
            CheckStatus::Fail => "FAIL",
            CheckStatus::Warn => "WARN",
            CheckStatus::NotApplicable => "n/a ",
        };
        let code = c
            .code
            .as_deref()
            .map(|k| format!("{k}: "))
            .unwrap_or_default();
        println!("  {mark}  {:w$}  {code}{}  [{}]", c.name, c.reason, c.spec);
    }
}

fn findings(f: &TokenFindings) {
    let title = f.token.replace('_', " ");
    match f.format.as_str() {
        "absent" => println!("{title}: none"),
        _ => println!(
            "{title} ({}){}",
            f.format,
            f.checked_as
                .as_deref()
                .map(|c| format!(": checked as {c}"))
                .unwrap_or_default()
        ),
    }
    checks(&f.checks);
}

pub fn inspection(i: &Inspection) {
    println!(
        "Grant {} of {} ({}), issuer {}",
        i.grant.id,
        i.grant.client,
        i.grant.grant_type.as_str(),
        i.issuer.as_deref().unwrap_or("unknown")
    );
    for t in &i.tokens {
        findings(t);
    }
    let s = &i.scopes;
    println!("scopes");
    println!("  requested       {}", s.requested.join(" "));
    println!(
        "  token response  {}",
        s.response
            .as_ref()
            .map(|r| r.join(" "))
            .unwrap_or_else(|| "(omitted: same as requested, RFC 6749 §5.1)".into())
    );
    if let Some(c) = &s.access_token_claim {
        println!("  access token    {}", c.join(" "));
    }
    if let Some(c) = &s.introspection {
        println!("  introspection   {}", c.join(" "));
    }
    println!("  granted         {}  ({})", s.granted.join(" "), s.note);
    if !s.not_granted.is_empty() {
        println!("  NOT GRANTED     {}", s.not_granted.join(" "));
    }
    if !s.not_requested.is_empty() {
        println!(
            "  NOT REQUESTED   {}  (granted beyond the request)",
            s.not_requested.join(" ")
        );
    }
    println!(
        "{}",
        if i.failed == 0 {
            "Every applicable check passed.".to_owned()
        } else {
            format!("{} check(s) failed.", i.failed)
        }
    );
}

pub fn verification(v: &TokenVerification, now: i64) {
    let f = &v.findings;
    if let Some(h) = &f.header {
        println!("header  {h}");
    }
    if let Some(c) = &f.claims {
        println!("claims");
        if let Some(obj) = c.as_object() {
            for (k, val) in obj {
                let when = match (k.as_str(), val.as_i64()) {
                    ("exp" | "iat" | "nbf" | "auth_time", Some(t)) => {
                        format!("  ({})", relative(t, now))
                    }
                    _ => String::new(),
                };
                println!("  {k:12} {val}{when}");
            }
        }
    }
    if let Some(k) = &v.keys {
        println!("keys    {k}");
    }
    findings(f);
    if f.format == "opaque" {
        return;
    }
    println!(
        "{}",
        if v.failed == 0 {
            "Every applicable check passed.".to_owned()
        } else {
            format!("{} check(s) failed.", v.failed)
        }
    );
}

pub fn audit(rows: &[AuditRow], now: i64) {
    if rows.is_empty() {
        println!("No grants match.");
        return;
    }
    let w = rows
        .iter()
        .map(|r| r.client.len())
        .max()
        .unwrap_or(6)
        .max(6);
    println!(
        "{:w$}  {:8}  {:18}  {:11}  {:20}  {:7}  {:12}  GRANTED SCOPES",
        "CLIENT", "GRANT", "TYPE", "STATUS", "EXPIRES", "REFRESH", "LAST USED"
    );
    for r in rows {
        let exp = match r.expires_at {
            Some(e) if r.revoked => format!("(revoked) {}", relative(e, now)),
            Some(e) => relative(e, now),
            None => "-".into(),
        };
        let mut scopes = r.scopes_granted.join(" ");
        if r.scope_omitted {
            scopes.push_str(" (as requested)");
        }
        if !r.not_requested.is_empty() {
            scopes.push_str(&format!(
                "  [beyond request: {}]",
                r.not_requested.join(" ")
            ));
        }
        if !r.not_granted.is_empty() {
            scopes.push_str(&format!("  [not granted: {}]", r.not_granted.join(" ")));
        }
        let used = r
            .last_used_at
            .map(|t| relative(t, now))
            .unwrap_or_else(|| "never".into());
        println!(
            "{:w$}  {:8}  {:18}  {:11}  {:20}  {:7}  {:12}  {scopes}",
            r.client,
            &r.grant_id[..8.min(r.grant_id.len())],
            r.grant_type.as_str(),
            r.status.as_str(),
            exp,
            if r.has_refresh_token { "yes" } else { "no" },
            used
        );
    }
}

pub fn report(r: &ProviderReport) {
    println!(
        "Provider report for {} ({}): {} flow(s), {} exchange(s), {} grant(s) checked.",
        r.client,
        r.issuer.as_deref().unwrap_or("no issuer"),
        r.flows_checked,
        r.exchanges_checked,
        r.grants_checked
    );
    if r.findings.is_empty() {
        println!("No departures from the specs found.");
        return;
    }
    for f in &r.findings {
        let sev = match f.severity {
            Severity::Violation => "VIOLATION",
            Severity::Advice => "ADVICE",
        };
        println!(
            "\n{sev}  {}  [{}]  seen {}x at {}",
            f.code, f.spec, f.occurrences, f.source
        );
        println!("  what:   {}", f.detail);
        println!("  we did: {}", f.action);
    }
}
