//! Human output (tables, times in words, progress) and `--json`. Tokens appear only where the
//! user asked for one (`oauthdesk token`).

use oauthdesk_core::desk::{
    AuditRow, ImportReport, Inspection, ProviderReport, Severity, TokenFindings, TokenVerification,
};
use oauthdesk_core::model::{Client, FlowEvent, FlowTranscript, GrantView, HistoryEvent};
use oauthdesk_core::protocol::transcript::to_curl;
use oauthdesk_core::protocol::verify::{Check, CheckStatus};
use std::io::Write;

pub fn json<T: serde::Serialize>(value: &T) {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut out, value);
    let _ = writeln!(out);
}

/// "in 4 min", "2 h ago", "now".
pub fn relative(at: i64, now: i64) -> String {
    let d = at - now;
    let a = d.unsigned_abs();
    let span = match a {
        0..=4 => return "now".into(),
        5..=59 => format!("{a} s"),
        60..=3599 => format!("{} min", a / 60),
        3600..=86_399 => format!("{} h", a / 3600),
        _ => format!("{} d", a / 86_400),
    };
    if d > 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

fn expiry(v: &GrantView, now: i64) -> String {
    match v.expires_at {
        None => "no expiry given".into(),
        Some(e) if e <= now => format!("expired {}", relative(e, now)),
        Some(e) => format!("expires {}", relative(e, now)),
    }
}

pub fn client_table(clients: &[Client]) {
    if clients.is_empty() {
        println!(
            "No clients yet. Add one with `oauthdesk client add NAME --client-id ID --issuer URL`."
        );
        return;
    }
    let w = clients
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "{:w$}  {:24}  {:19}  {:6}  WHERE",
        "NAME", "CLIENT ID", "AUTH", "SECRET"
    );
    for c in clients {
        let place = c
            .issuer
            .clone()
            .or_else(|| c.endpoints.token.clone())
            .unwrap_or_default();
        println!(
            "{:w$}  {:24}  {:19}  {:6}  {}",
            c.name,
            c.client_id,
            c.auth_method.as_str(),
            if c.has_secret { "yes" } else { "-" },
            place
        );
    }
}

pub fn client_details(c: &Client) {
    println!("name:          {}", c.name);
    println!("client id:     {}", c.client_id);
    if let Some(i) = &c.issuer {
        println!("issuer:        {i}");
    }
    println!("auth method:   {}", c.auth_method.as_str());
    let secret = match (c.has_secret, c.auth_method) {
        (true, oauthdesk_core::protocol::client_auth::AuthMethod::PrivateKeyJwt) => {
            "private key stored in the OS keychain"
        }
        (true, _) => "stored in the OS keychain",
        (false, oauthdesk_core::protocol::client_auth::AuthMethod::None) => "none (public client)",
        (false, _) => "MISSING: set it with `oauthdesk client set-secret NAME`",
    };
    println!("secret:        {secret}");
    if let Some(jwk) = &c.public_jwk {
        println!("public JWK:    {jwk}");
        println!(
            "               (register this key at the provider; the private key never leaves the keychain)"
        );
    }
    if c.par {
        println!("par:           pushed authorization requests (RFC 9126)");
    }
    if c.dpop {
        println!("dpop:          tokens bound to a key pair in the keychain (RFC 9449)");
    }
    if let Some(uri) = &c.registration_client_uri {
        println!("registration:  {uri} (RFC 7592; its access token is in the keychain)");
    }
    println!(
        "scopes:        {}",
        if c.scopes.is_empty() {
            "(none)"
        } else {
            &c.scopes
        }
    );
    println!("redirect uri:  {}", c.redirect_uri);
    println!("pkce:          {}", if c.pkce { "S256" } else { "off" });
    for (k, v) in &c.extra_params {
        println!("param:         {k}={v}");
    }
    for (label, url) in c.endpoints.all() {
        println!(
            "{:<15}{}",
            format!("{label}:"),
            url.as_deref().unwrap_or("-")
        );
    }
    if c.insecure {
        println!("insecure:      plain http allowed to non-loopback hosts");
    }
}

pub fn grant_summary(what: &str, v: &GrantView, now: i64) {
    println!(
        "{what}: grant {} of {:?} ({}, {})",
        v.id,
        v.client,
        v.grant_type.as_str(),
        v.status.as_str()
    );
    println!(
        "  requested scopes: {}",
        if v.scopes_requested.is_empty() {
            "(none)"
        } else {
            &v.scopes_requested
        }
    );
    println!(
        "  granted scopes:   {}",
        v.scopes_granted
            .as_deref()
            .unwrap_or("same as requested (server sent no scope, RFC 6749 §5.1)")
    );
    let held: Vec<&str> = [
        (v.has_access_token, "access"),
        (v.has_refresh_token, "refresh"),
        (v.has_id_token, "id"),
    ]
    .iter()
    .filter(|(h, _)| *h)
    .map(|(_, n)| *n)
    .collect();
    println!(
        "  tokens in keychain: {}",
        if held.is_empty() {
            "none".to_owned()
        } else {
            held.join(", ")
        }
    );
    if v.has_access_token {
        println!("  access token {}", expiry(v, now));
    }
    if let Some(s) = &v.subject {
        println!("  subject: {s}");
    }
    for d in &v.deviations {
        println!("  note: {} ({}): {}", d.code, d.spec, d.detail);
    }
}

pub fn grant_table(grants: &[GrantView], now: i64) {
    if grants.is_empty() {
        println!("No grants yet. Obtain one with `oauthdesk login NAME`.");
        return;
    }
    let w = grants
        .iter()
        .map(|g| g.client.len())
        .max()
        .unwrap_or(6)
        .max(6);
    println!(
        "{:w$}  {:36}  {:18}  {:11}  {:22}  SCOPES",
        "CLIENT", "GRANT", "TYPE", "STATUS", "ACCESS TOKEN"
    );
    for g in grants {
        let access = if g.has_access_token {
            expiry(g, now)
        } else {
            "none".into()
        };
        let scopes = g.scopes_granted.as_deref().unwrap_or(&g.scopes_requested);
        println!(
            "{:w$}  {:36}  {:18}  {:11}  {:22}  {}",
            g.client,
            g.id,
            g.grant_type.as_str(),
            g.status.as_str(),
            access,
            scopes
        );
    }
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

pub fn import_report(r: &ImportReport) {
    println!(
        "Read as {}: {} client(s) added.",
        if r.source == "postman" {
            "a Postman collection"
        } else {
            "an OAuth Desk export"
        },
        r.added.len()
    );
    for n in &r.added {
        println!("  added    {n}");
    }
    for (n, why) in &r.skipped {
        println!("  skipped  {n}: {why}");
    }
    for n in &r.secrets_stored {
        println!(
            "  secret of {n} moved into the keychain (the Postman file still holds it in plain text)"
        );
    }
    for n in &r.need_secret {
        println!("  {n} needs its secret: `oauthdesk client set-secret {n:?} < secret.txt`");
    }
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn times_in_words() {
        assert_eq!(super::relative(1000 + 240, 1000), "in 4 min");
        assert_eq!(super::relative(1000 - 7200, 1000), "2 h ago");
        assert_eq!(super::relative(1002, 1000), "now");
        assert_eq!(super::relative(1000 + 30, 1000), "in 30 s");
    }
}
