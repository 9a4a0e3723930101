//! Rendering of grants: the `grants` table, the summary after `login`, `refresh`, `revoke` and
//! `exchange`, and the outcome of `logout`.

use super::relative;
use oauthdesk_core::desk::LogoutOutcome;
use oauthdesk_core::model::GrantView;

fn expiry(v: &GrantView, now: i64) -> String {
    match v.expires_at {
        None => "no expiry given".into(),
        Some(e) if e <= now => format!("expired {}", relative(e, now)),
        Some(e) => format!("expires {}", relative(e, now)),
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

pub fn logout(out: &LogoutOutcome) {
    if out.ended_at_server {
        println!("The server ended the session.");
    }
    for note in out.server_note.iter().chain(out.revoke_note.iter()) {
        println!("note: {note}");
    }
    println!(
        "{}",
        if out.forgotten {
            if out.revoked {
                "Tokens revoked and forgotten."
            } else {
                "Tokens forgotten."
            }
        } else {
            "The grant was kept."
        }
    );
}
