//! The audit across all clients: every grant with what it was granted, when it expires, whether
//! it can be refreshed, when it was last used and whether it was revoked — from SQLite alone (no
//! keychain, no secret), with filters, rendered as JSON, CSV or Markdown.

use super::Desk;
use super::inspect::ScopeComparison;
use crate::error::{CoreError, Result};
use crate::model::{GrantStatus, GrantType, GrantView};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditRow {
    pub grant_id: String,
    pub client: String,
    pub grant_type: GrantType,
    pub status: GrantStatus,
    pub subject: Option<String>,
    pub scopes_requested: Vec<String>,
    pub scopes_granted: Vec<String>,
    /// True when the server omitted `scope`, so the granted set is the requested one (RFC 6749 §5.1).
    pub scope_omitted: bool,
    pub not_granted: Vec<String>,
    pub not_requested: Vec<String>,
    /// Granted a strict superset of what was asked.
    pub over_privileged: bool,
    pub expires_at: Option<i64>,
    pub has_refresh_token: bool,
    pub issued_at: i64,
    pub last_used_at: Option<i64>,
    /// The tool the access token was last handed to ("git for github.com").
    #[ts(optional = nullable)]
    pub last_used_by: Option<String>,
    pub revoked: bool,
    pub revoked_at: Option<i64>,
    /// What the grant holds at the time of the audit (crate::grant_state).
    pub tokens: crate::grant_state::TokenStates,
    /// `authorization_details` types the grant holds (RFC 9396): granted, else requested.
    pub authorization_details_types: Vec<String>,
    /// Requested beside granted, per type; a type added or broadened makes `over_privileged`.
    pub authorization_details: Vec<oauthdesk_protocol::rar::DetailComparison>,
}

impl AuditRow {
    fn of(v: &GrantView, now: i64) -> Self {
        let s = ScopeComparison::of(&v.scopes_requested, v.scopes_granted.as_deref(), None, None);
        let details = super::rar::compare_grant(v);
        let over = (!s.not_requested.is_empty() && s.not_granted.is_empty())
            || details.iter().any(|d| d.more_than_asked());
        AuditRow {
            grant_id: v.id.clone(),
            client: v.client.clone(),
            grant_type: v.grant_type,
            status: v.status,
            subject: v.subject.clone(),
            scope_omitted: v.scopes_granted.is_none(),
            over_privileged: over,
            scopes_requested: s.requested,
            scopes_granted: s.granted,
            not_granted: s.not_granted,
            not_requested: s.not_requested,
            expires_at: v.expires_at,
            has_refresh_token: v.has_refresh_token,
            issued_at: v.issued_at,
            last_used_at: v.last_used_at,
            last_used_by: v.last_used_by.clone(),
            revoked: v.status == GrantStatus::Revoked,
            revoked_at: v.revoked_at,
            tokens: crate::grant_state::TokenStates::of_view(v, now),
            authorization_details_types: super::rar::held_types(v),
            authorization_details: details,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct AuditFilter {
    #[serde(default)]
    pub client: Option<String>,
    /// Only grants that were granted this scope.
    #[serde(default)]
    pub scope: Option<String>,
    /// Only grants not revoked whose access token expires within this many seconds (or has expired).
    #[serde(default)]
    pub expiring_within_secs: Option<i64>,
    /// Only grants that got more than they asked for.
    #[serde(default)]
    pub over_privileged: bool,
    /// Leave revoked grants out.
    #[serde(default)]
    pub hide_revoked: bool,
    /// Only grants holding this `authorization_details` type (RFC 9396).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub authorization_details_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditFormat {
    Json,
    Csv,
    Markdown,
}

impl Desk {
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        let client = filter.client.as_deref().filter(|c| !c.is_empty());
        let grants = self.grants(client).await?;
        let now = self.now();
        let rows = grants
            .iter()
            .map(|g| AuditRow::of(g, now))
            .filter(|r| {
                filter
                    .scope
                    .as_deref()
                    .filter(|s| !s.is_empty())
                    .is_none_or(|s| r.scopes_granted.iter().any(|g| g == s))
            })
            .filter(|r| {
                filter
                    .authorization_details_type
                    .as_deref()
                    .filter(|t| !t.is_empty())
                    .is_none_or(|t| r.authorization_details_types.iter().any(|h| h == t))
            })
            .filter(|r| !filter.over_privileged || r.over_privileged)
            .filter(|r| !filter.hide_revoked || !r.revoked)
            .filter(|r| {
                filter.expiring_within_secs.is_none_or(|w| {
                    !r.revoked && r.expires_at.is_some_and(|e| e.saturating_sub(now) <= w)
                })
            })
            .collect();
        Ok(rows)
    }

    /// Saves the audit under `<data dir>/exports/` and returns the file.
    pub async fn save_audit(
        &self,
        filter: &AuditFilter,
        format: AuditFormat,
    ) -> Result<std::path::PathBuf> {
        let text = self.export_audit(filter, format).await?;
        let dir = self.home().join("exports");
        std::fs::create_dir_all(&dir)
            .map_err(|e| CoreError::io(format!("cannot create {}", dir.display()), e))?;
        let ext = match format {
            AuditFormat::Json => "json",
            AuditFormat::Csv => "csv",
            AuditFormat::Markdown => "md",
        };
        let stamp = iso8601(self.now()).replace([':', '-'], "");
        let path = dir.join(format!("audit-{stamp}.{ext}"));
        std::fs::write(&path, text)
            .map_err(|e| CoreError::io(format!("cannot write {}", path.display()), e))?;
        Ok(path)
    }

    /// The audit as a document in `format`; it holds metadata only, never a token or secret.
    pub async fn export_audit(&self, filter: &AuditFilter, format: AuditFormat) -> Result<String> {
        let rows = self.audit(filter).await?;
        render_audit(&rows, format, self.now())
    }
}

/// Seconds since the epoch as `2026-11-23T19:24:22Z`.
pub fn iso8601(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

pub fn render_audit(rows: &[AuditRow], format: AuditFormat, now: i64) -> Result<String> {
    let t = |x: Option<i64>| x.map(iso8601).unwrap_or_default();
    let cols = [
        "client",
        "grant_id",
        "grant_type",
        "status",
        "subject",
        "scopes_requested",
        "scopes_granted",
        "not_granted",
        "not_requested",
        "over_privileged",
        "expires_at",
        "refresh_token",
        "issued_at",
        "last_used_at",
        "last_used_by",
        "revoked_at",
        "authorization_details",
    ];
    let cells = |r: &AuditRow| -> Vec<String> {
        vec![
            r.client.clone(),
            r.grant_id.clone(),
            r.grant_type.as_str().into(),
            r.status.as_str().into(),
            r.subject.clone().unwrap_or_default(),
            r.scopes_requested.join(" "),
            if r.scope_omitted {
                format!(
                    "{} (scope omitted: as requested)",
                    r.scopes_granted.join(" ")
                )
            } else {
                r.scopes_granted.join(" ")
            },
            r.not_granted.join(" "),
            r.not_requested.join(" "),
            if r.over_privileged {
                "yes".into()
            } else {
                "no".into()
            },
            t(r.expires_at),
            if r.has_refresh_token {
                "yes".into()
            } else {
                "no".into()
            },
            iso8601(r.issued_at),
            t(r.last_used_at),
            r.last_used_by.clone().unwrap_or_default(),
            t(r.revoked_at),
            super::rar::audit_cell(&r.authorization_details, &r.authorization_details_types),
        ]
    };
    Ok(match format {
        AuditFormat::Json => serde_json::to_string_pretty(
            &serde_json::json!({ "generated_at": iso8601(now), "grants": rows }),
        )
        .map_err(|source| CoreError::Json {
            what: "the audit as JSON",
            source,
        })?,
        AuditFormat::Csv => {
            // Server text (subjects, scopes) may hold control characters: escaped, so neither
            // a terminal nor a spreadsheet receives them raw.
            let quote = |s: &str| {
                let s = &oauthdesk_protocol::text::escape_controls(s, false);
                if s.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", s.replace('"', "\"\""))
                } else {
                    s.to_owned()
                }
            };
            let mut out = cols.join(",") + "\r\n";
            for r in rows {
                out += &cells(r)
                    .iter()
                    .map(|c| quote(c))
                    .collect::<Vec<_>>()
                    .join(",");
                out += "\r\n";
            }
            out
        }
        AuditFormat::Markdown => {
            let esc =
                |s: &str| oauthdesk_protocol::text::escape_controls(s, false).replace('|', "\\|");
            let mut out = format!(
                "# OAuth Desk audit\n\nGenerated {}. {} grant(s). No token or secret is included.\n\n",
                iso8601(now),
                rows.len()
            );
            out += &format!("| {} |\n|{}\n", cols.join(" | "), "---|".repeat(cols.len()));
            for r in rows {
                out += &format!(
                    "| {} |\n",
                    cells(r)
                        .iter()
                        .map(|c| esc(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
            }
            out
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_details_granted_beyond_the_request_are_a_finding() {
        let mut v = crate::desk::rar::tests::view();
        v.authorization_details_requested = Some(serde_json::json!([{"type": "a"}]));
        v.authorization_details_granted =
            Some(serde_json::json!([{"type": "a"}, {"type": "extra"}]));
        let row = AuditRow::of(&v, 0);
        assert!(
            row.over_privileged,
            "a type the server added makes the grant over-privileged (RFC 9396 §7)"
        );
        assert_eq!(
            row.authorization_details_types,
            vec!["a", "extra"],
            "held types listed"
        );
        v.authorization_details_granted = Some(serde_json::json!([{"type": "a"}]));
        assert!(
            !AuditRow::of(&v, 0).over_privileged,
            "granted as asked: no finding"
        );
        let csv = render_audit(&[AuditRow::of(&v, 0)], AuditFormat::Csv, 0).unwrap();
        assert!(
            csv.contains("a: granted"),
            "the CSV has the per-type cell: {csv}"
        );
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z", "the epoch");
        assert_eq!(
            iso8601(1_795_461_862),
            "2026-11-23T19:24:22Z",
            "a recent time"
        );
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z", "a leap day");
    }

    #[test]
    fn csv_quotes_and_markdown_escapes() {
        let row = AuditRow {
            grant_id: "g1".into(),
            client: "a,\"b\"|c".into(),
            grant_type: GrantType::AuthorizationCode,
            status: GrantStatus::Active,
            subject: Some("eve\u{1b}]0;pwned\u{7}".into()),
            scopes_requested: vec!["openid".into()],
            scopes_granted: vec!["openid".into(), "admin".into()],
            scope_omitted: false,
            not_granted: vec![],
            not_requested: vec!["admin".into()],
            over_privileged: true,
            expires_at: Some(60),
            has_refresh_token: true,
            issued_at: 0,
            last_used_at: None,
            last_used_by: None,
            revoked: false,
            revoked_at: None,
            tokens: crate::grant_state::TokenStates::of(
                &crate::grant_state::Facts {
                    status: GrantStatus::Active,
                    has_access_token: true,
                    has_refresh_token: true,
                    has_id_token: false,
                    expires_at: Some(60),
                },
                0,
            ),
            authorization_details_types: vec![],
            authorization_details: vec![],
        };
        let csv = render_audit(std::slice::from_ref(&row), AuditFormat::Csv, 0).unwrap();
        assert!(
            csv.lines().nth(1).unwrap().starts_with(
                "\"a,\"\"b\"\"|c\",g1,authorization_code,active,eve\\u{1b}]0;pwned\\u{7},openid,openid admin,,admin,yes,1970-01-01T00:01:00Z,yes,"
            ),
            "CSV quotes commas and quotes, and escapes control characters: {csv}"
        );
        assert!(
            !csv.contains('\u{1b}') && !csv.contains('\u{7}'),
            "no raw control character reaches the CSV"
        );
        let md = render_audit(&[row], AuditFormat::Markdown, 0).unwrap();
        assert!(
            md.contains("| a,\"b\"\\|c | g1 |"),
            "Markdown escapes the pipe: {md}"
        );
        assert!(!md.contains('\u{1b}'), "no raw ESC reaches the Markdown");
    }
}
