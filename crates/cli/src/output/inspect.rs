//! Rendering of the checks: `inspect` (a grant), `decode` (any token), `audit` (every grant) and
//! `report` (where a provider departs from the specs).

use super::{relative, safe};
use oauthdesk_core::desk::{
    AuditRow, Finding, Inspection, ProviderReport, Severity, TokenFindings, TokenVerification,
};
use oauthdesk_core::protocol::verify::{Check, CheckStatus};

/// Scopes (from a server or a token) on one line, each made safe to show.
fn words(list: &[String]) -> String {
    safe(&list.join(" "))
}

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
            .map(|k| format!("{}: ", safe(k)))
            .unwrap_or_default();
        outln!(
            "  {mark}  {:w$}  {code}{}  [{}]",
            safe(&c.name),
            safe(&c.reason),
            safe(&c.spec)
        );
    }
}

fn findings(f: &TokenFindings) {
    let title = safe(&f.token.replace('_', " "));
    match f.format.as_str() {
        "absent" => outln!("{title}: none"),
        _ => outln!(
            "{title} ({}){}",
            safe(&f.format),
            f.checked_as
                .as_deref()
                .map(|c| format!(": checked as {}", safe(c)))
                .unwrap_or_default()
        ),
    }
    checks(&f.checks);
}

pub fn inspection(i: &Inspection) {
    outln!(
        "Grant {} of {} ({}), issuer {}",
        safe(&i.grant.id),
        safe(&i.grant.client),
        i.grant.grant_type.as_str(),
        i.issuer.as_deref().map_or_else(|| "unknown".into(), safe)
    );
    for t in &i.tokens {
        findings(t);
    }
    let s = &i.scopes;
    outln!("scopes");
    outln!("  requested       {}", words(&s.requested));
    outln!(
        "  token response  {}",
        s.response
            .as_ref()
            .map(|r| words(r))
            .unwrap_or_else(|| "(omitted: same as requested, RFC 6749 §5.1)".into())
    );
    if let Some(c) = &s.access_token_claim {
        outln!("  access token    {}", words(c));
    }
    if let Some(c) = &s.introspection {
        outln!("  introspection   {}", words(c));
    }
    outln!(
        "  granted         {}  ({})",
        words(&s.granted),
        safe(&s.note)
    );
    if !s.not_granted.is_empty() {
        outln!("  NOT GRANTED     {}", words(&s.not_granted));
    }
    if !s.not_requested.is_empty() {
        outln!(
            "  NOT REQUESTED   {}  (granted beyond the request)",
            words(&s.not_requested)
        );
    }
    super::rar::grant_details(&i.grant);
    outln!(
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
        outln!("header  {}", safe(&h.to_string()));
    }
    if let Some(c) = &f.claims {
        outln!("claims");
        if let Some(obj) = c.as_object() {
            for (k, val) in obj {
                let when = match (k.as_str(), val.as_i64()) {
                    ("exp" | "iat" | "nbf" | "auth_time", Some(t)) => {
                        format!("  ({})", relative(t, now))
                    }
                    _ => String::new(),
                };
                outln!("  {:12} {}{when}", safe(k), safe(&val.to_string()));
            }
        }
    }
    if let Some(k) = &v.keys {
        outln!("keys    {}", safe(k));
    }
    findings(f);
    if f.format == "opaque" {
        return;
    }
    outln!(
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
        outln!("No grants match.");
        return;
    }
    let w = rows
        .iter()
        .map(|r| r.client.len())
        .max()
        .unwrap_or(6)
        .max(6);
    outln!(
        "{:w$}  {:8}  {:18}  {:11}  {:20}  {:7}  {:12}  GRANTED SCOPES",
        "CLIENT",
        "GRANT",
        "TYPE",
        "STATUS",
        "EXPIRES",
        "REFRESH",
        "LAST USED"
    );
    for r in rows {
        let exp = match r.expires_at {
            Some(e) if r.revoked => format!("(revoked) {}", relative(e, now)),
            Some(e) => relative(e, now),
            None => "-".into(),
        };
        let mut scopes = words(&r.scopes_granted);
        if r.scope_omitted {
            scopes.push_str(" (as requested)");
        }
        if !r.not_requested.is_empty() {
            scopes.push_str(&format!("  [beyond request: {}]", words(&r.not_requested)));
        }
        if !r.not_granted.is_empty() {
            scopes.push_str(&format!("  [not granted: {}]", words(&r.not_granted)));
        }
        if !r.authorization_details_types.is_empty() {
            let cell =
                super::rar::audit_cell(&r.authorization_details, &r.authorization_details_types);
            scopes.push_str(&format!("  [authorization_details: {cell}]"));
        }
        let used = r
            .last_used_at
            .map(|t| relative(t, now))
            .unwrap_or_else(|| "never".into());
        outln!(
            "{:w$}  {:8}  {:18}  {:11}  {:20}  {:7}  {:12}  {scopes}",
            safe(&r.client),
            safe(r.grant_id.get(..8).unwrap_or(&r.grant_id)),
            r.grant_type.as_str(),
            r.status.as_str(),
            exp,
            if r.has_refresh_token { "yes" } else { "no" },
            used
        );
    }
}

pub fn report(r: &ProviderReport) {
    outln!(
        "Provider report for {} ({}): {} flow(s), {} exchange(s), {} grant(s) checked.",
        safe(&r.client),
        r.issuer.as_deref().map_or_else(|| "no issuer".into(), safe),
        r.flows_checked,
        r.exchanges_checked,
        r.grants_checked
    );
    if r.findings.is_empty() {
        outln!("No departures from the specs found.");
        return;
    }
    finding_list(&r.findings);
}

/// Findings as the provider report prints them: severity, code, section, where, what, what we did.
pub fn finding_list(findings: &[Finding]) {
    for f in findings {
        let sev = match f.severity {
            Severity::Violation => "VIOLATION",
            Severity::Advice => "ADVICE",
        };
        outln!(
            "\n{sev}  {}  [{}]  seen {}x at {}",
            safe(&f.code),
            safe(&f.spec),
            f.occurrences,
            safe(&f.source)
        );
        outln!("  what:   {}", safe(&f.detail));
        outln!("  we did: {}", safe(&f.action));
    }
}

#[cfg(test)]
mod tests {
    use crate::output::tests::{PWNED, assert_inert, capture, sample_grant};
    use oauthdesk_core::desk::{
        AuditRow, Finding, Inspection, ProviderReport, ScopeComparison, Severity, TokenFindings,
        TokenVerification,
    };
    use oauthdesk_core::model::{GrantStatus, GrantType};
    use oauthdesk_core::protocol::verify::Check;

    fn findings() -> TokenFindings {
        TokenFindings {
            token: "access_token".into(),
            format: "jws".into(),
            checked_as: Some("an RFC 9068 access token".into()),
            header: Some(serde_json::json!({ "alg": "none", "kid": format!("\u{9b}{PWNED}") })),
            claims: Some(serde_json::json!({
                format!("x{PWNED}"): format!("v\u{9b}2J{PWNED}"),
                "iss": format!("https://evil.example{PWNED}"),
            })),
            checks: vec![Check::fail(
                "iss",
                "issuer_mismatch",
                "RFC 9068 §4",
                format!("the token's iss is {PWNED}"),
            )],
            introspection: None,
        }
    }

    fn scopes() -> Vec<String> {
        vec!["openid".into(), format!("s{PWNED}")]
    }

    #[test]
    fn decode_escapes_header_claim_names_and_values_and_reasons() {
        let f = findings();
        let v = TokenVerification {
            verdict: oauthdesk_core::protocol::verify::verdict(&f.format, &f.checks),
            findings: f,
            keys: Some(format!("the JWKS of https://evil.example{PWNED}")),
            failed: 1,
        };
        let text = capture(|| super::verification(&v, 1000));
        assert_inert(
            &text,
            "decode (header, claim names and values, keys, check reasons)",
        );
        assert!(
            text.contains(r"x\u{1b}]0;pwned\u{7}"),
            "a claim's name is still shown, escaped: {text}"
        );
    }

    #[test]
    fn inspect_escapes_issuer_scopes_and_findings() {
        let i = Inspection {
            grant: sample_grant(),
            issuer: Some(format!("https://evil.example{PWNED}")),
            tokens: vec![findings()],
            scopes: ScopeComparison {
                requested: scopes(),
                response: Some(scopes()),
                note: format!("note {PWNED}"),
                access_token_claim: Some(scopes()),
                introspection: Some(scopes()),
                granted: scopes(),
                not_granted: scopes(),
                not_requested: scopes(),
            },
            failed: 1,
        };
        assert_inert(
            &capture(|| super::inspection(&i)),
            "inspect (issuer, every scope list, token findings)",
        );
    }

    #[test]
    fn audit_and_report_escape_scopes_and_findings() {
        let row = AuditRow {
            grant_id: "0123456789".into(),
            client: "demo".into(),
            grant_type: GrantType::ClientCredentials,
            status: GrantStatus::Active,
            subject: Some(format!("sub{PWNED}")),
            scopes_requested: scopes(),
            scopes_granted: scopes(),
            scope_omitted: false,
            not_granted: scopes(),
            not_requested: scopes(),
            over_privileged: true,
            expires_at: Some(2000),
            has_refresh_token: false,
            issued_at: 900,
            last_used_at: None,
            last_used_by: None,
            revoked: false,
            revoked_at: None,
            tokens: oauthdesk_core::grant_state::TokenStates::of(
                &oauthdesk_core::grant_state::Facts {
                    status: GrantStatus::Active,
                    has_access_token: true,
                    has_refresh_token: false,
                    has_id_token: false,
                    expires_at: Some(2000),
                },
                1000,
            ),
            // A server-chosen type (RFC 9396) is text from the server too.
            authorization_details_types: vec![format!("pay{PWNED}")],
            authorization_details: vec![],
        };
        assert_inert(
            &capture(|| super::audit(&[row], 1000)),
            "audit table (granted, beyond-request and not-granted scopes)",
        );
        let report = ProviderReport {
            client: "demo".into(),
            issuer: Some(format!("https://evil.example{PWNED}")),
            flows_checked: 1,
            exchanges_checked: 1,
            grants_checked: 1,
            findings: vec![Finding {
                code: "odd".into(),
                severity: Severity::Violation,
                spec: "RFC 6749".into(),
                detail: format!("the server sent {PWNED}"),
                action: "ignored it".into(),
                source: format!("token response{PWNED}"),
                occurrences: 1,
            }],
        };
        assert_inert(
            &capture(|| super::report(&report)),
            "report (issuer, finding detail and source)",
        );
    }
}
