//! Rendering of grants: the `grants` table, the summary after `login`, `refresh`, `revoke` and
//! `exchange`, and the outcome of `logout`.

use super::{relative, safe};
use oauthdesk_core::desk::LogoutOutcome;
use oauthdesk_core::grant_state::{AccessState, TokenStates};
use oauthdesk_core::model::GrantView;

fn expiry(v: &GrantView, now: i64) -> String {
    match v.expires_at {
        None => "no expiry given".into(),
        Some(e) if e <= now => format!("expired {}", relative(e, now)),
        Some(e) => format!("expires {}", relative(e, now)),
    }
}

pub fn grant_summary(what: &str, v: &GrantView, now: i64) {
    outln!(
        "{what}: grant {} of {:?} ({}, {})",
        safe(&v.id),
        v.client,
        v.grant_type.as_str(),
        v.status.as_str()
    );
    outln!(
        "  requested scopes: {}",
        if v.scopes_requested.is_empty() {
            "(none)".to_owned()
        } else {
            safe(&v.scopes_requested)
        }
    );
    outln!(
        "  granted scopes:   {}",
        v.scopes_granted.as_deref().map_or_else(
            || "same as requested (server sent no scope, RFC 6749 §5.1)".to_owned(),
            safe
        )
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
    outln!(
        "  tokens in keychain: {}",
        if held.is_empty() {
            "none".to_owned()
        } else {
            held.join(", ")
        }
    );
    // The same derived state as the GUI's (oauthdesk_core::grant_state).
    let state = TokenStates::of_view(v, now);
    outln!("  state: {}", state.in_words(now));
    if let Some(why) = state.why_unusable() {
        outln!("  cannot make a call: {why}");
    }
    if let Some(s) = &v.subject {
        outln!("  subject: {}", safe(s));
    }
    super::rar::grant_details(v);
    for d in &v.deviations {
        outln!(
            "  note: {} ({}): {}",
            safe(&d.code),
            safe(&d.spec),
            safe(&d.detail)
        );
    }
}

pub fn grant_table(grants: &[GrantView], now: i64) {
    if grants.is_empty() {
        outln!("No grants yet. Obtain one with `oauthdesk login NAME`.");
        return;
    }
    let w = grants
        .iter()
        .map(|g| g.client.len())
        .max()
        .unwrap_or(6)
        .max(6);
    outln!(
        "{:w$}  {:36}  {:18}  {:11}  {:22}  SCOPES",
        "CLIENT",
        "GRANT",
        "TYPE",
        "STATUS",
        "ACCESS TOKEN"
    );
    for g in grants {
        let state = TokenStates::of_view(g, now);
        let access = match state.access {
            AccessState::Active | AccessState::Expired => expiry(g, now),
            AccessState::Revoked => "revoked".into(),
        };
        let scopes = g.scopes_granted.as_deref().unwrap_or(&g.scopes_requested);
        outln!(
            "{:w$}  {:36}  {:18}  {:11}  {:22}  {}",
            safe(&g.client),
            safe(&g.id),
            g.grant_type.as_str(),
            state.headline.as_str(),
            access,
            safe(scopes)
        );
        super::rar::table_line(g);
    }
}

pub fn logout(out: &LogoutOutcome) {
    if out.ended_at_server {
        outln!("The server ended the session.");
    }
    for note in out.server_note.iter().chain(out.revoke_note.iter()) {
        outln!("note: {}", safe(note));
    }
    outln!(
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

#[cfg(test)]
mod tests {
    use crate::output::tests::{PWNED, assert_inert, capture, sample_grant};
    use oauthdesk_core::desk::LogoutOutcome;

    #[test]
    fn grant_summary_and_table_escape_server_scopes_subject_and_notes() {
        let g = sample_grant();
        let summary = capture(|| super::grant_summary("Logged in", &g, 1000));
        assert_inert(
            &summary,
            "login summary (scopes, subject, deviation detail)",
        );
        assert!(
            summary.contains(r"alice\u{1b}]0;pwned\u{7}"),
            "the subject is still shown, escaped: {summary}"
        );
        let table = capture(|| super::grant_table(std::slice::from_ref(&g), 1000));
        assert_inert(&table, "grants table (granted scopes)");
    }

    #[test]
    fn logout_escapes_server_notes() {
        let out = LogoutOutcome {
            grant_id: "g1".into(),
            ended_at_server: false,
            server_note: Some(format!("end_session said {PWNED}")),
            revoked: false,
            revoke_note: Some(format!("revocation said {PWNED}")),
            forgotten: true,
        };
        assert_inert(
            &capture(|| super::logout(&out)),
            "logout notes (server text)",
        );
    }
}
