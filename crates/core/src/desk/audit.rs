//! The audit across all clients: every grant with what it was granted, when it expires, whether
//! it can be refreshed, when it was last used and whether it was revoked — from SQLite alone (no
//! keychain, no secret), with filters, rendered as JSON, CSV or Markdown.

use super::Desk;
use super::audit_export::AuditWriter;
use super::inspect::{ScopeComparison, scope_items};
use crate::error::{CoreError, Result};
use crate::model::{GrantStatus, GrantType, GrantView};
use crate::store::scan::{Order, Query};
use oauthdesk_protocol::rar::DetailComparison;
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
    pub(super) fn of(v: &GrantView, now: i64) -> Self {
        let s = ScopeComparison::of(&v.scopes_requested, v.scopes_granted.as_deref(), None, None);
        let details = super::rar::compare_grant(v);
        let over = over_privileged(&s, &details);
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

/// Granted a strict superset of the scopes asked for, or `authorization_details` beyond them.
fn over_privileged(s: &ScopeComparison, details: &[DetailComparison]) -> bool {
    (!s.not_requested.is_empty() && s.not_granted.is_empty())
        || details.iter().any(|d| d.more_than_asked())
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
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

/// A window of the audit for the GUI: the rows from `offset` and how many match in all.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditPage {
    /// All grants matching the filter.
    pub total: i64,
    /// Names of the clients that have grants, for the screen's client filter.
    pub clients: Vec<String>,
    pub offset: i64,
    pub rows: Vec<AuditRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditFormat {
    Json,
    Csv,
    Markdown,
}

impl AuditFilter {
    /// The part of the filter SQLite answers itself, for the client with row id `client_id`.
    pub(super) fn query(&self, client_id: Option<String>, now: i64) -> Query {
        Query {
            client_id,
            hide_revoked: self.hide_revoked,
            expires_by: self.expiring_within_secs.map(|w| now.saturating_add(w)),
            // SQLite skips the grants whose scope cannot hold the item; `keeps` checks the rest.
            scope_contains: text(&self.scope).map(str::to_owned),
            order: Order::Issued,
        }
    }

    /// Whether a filter is set that SQLite cannot answer (scope sets, over-privilege,
    /// `authorization_details` types): then each grant's keys must be read and checked.
    pub(super) fn needs_keys(&self) -> bool {
        text(&self.scope).is_some()
            || text(&self.authorization_details_type).is_some()
            || self.over_privileged
    }

    /// The scope, when it is the only filter SQLite cannot answer: then a grant's held scope is
    /// all its index needs to read ([`holds_scope`]), not its `authorization_details`.
    pub(super) fn scope_alone(&self) -> Option<&str> {
        let others = text(&self.authorization_details_type).is_some() || self.over_privileged;
        text(&self.scope).filter(|_| !others)
    }

    /// Whether `v` passes the filters SQLite cannot answer ([`Query`] has applied the rest).
    /// Reads only the scopes and `authorization_details` of `v`.
    pub(super) fn keeps(&self, v: &GrantView) -> bool {
        text(&self.scope).is_none_or(|s| {
            holds_scope(
                v.scopes_granted.as_deref().unwrap_or(&v.scopes_requested),
                s,
            )
        }) && text(&self.authorization_details_type)
            .is_none_or(|t| super::rar::held_types(v).iter().any(|h| h == t))
            && (!self.over_privileged || {
                let s = ScopeComparison::of(
                    &v.scopes_requested,
                    v.scopes_granted.as_deref(),
                    None,
                    None,
                );
                over_privileged(&s, &super::rar::compare_grant(v))
            })
    }
}

/// Whether the scope string `held` (granted, else requested) has the item `scope`. Per grant of
/// 100 000: borrowed, and searched without splitting it into a list.
pub(super) fn holds_scope(held: &str, scope: &str) -> bool {
    scope_items(held).any(|g| g == scope)
}

/// A text filter, when set to something (borrowed: it is read once per grant).
fn text(x: &Option<String>) -> Option<&str> {
    x.as_deref().filter(|s| !s.is_empty())
}

impl Desk {
    /// Every audit row that passes `filter`, newest first, to `visit` (with `state`) until it
    /// returns `false`; gives `state` back. Rows are made one at a time as the store is read
    /// (see [`Desk::each_grant`]), so memory stays at one row whatever the number of grants.
    pub async fn each_audit_row<S, V>(
        &self,
        filter: &AuditFilter,
        state: S,
        mut visit: V,
    ) -> Result<S>
    where
        S: Send + 'static,
        V: FnMut(&mut S, AuditRow) -> Result<bool> + Send + 'static,
    {
        let now = self.now();
        let query = self.audit_query(filter, now).await?;
        let filter = filter.clone();
        self.scan_grants(query, state, move |state, g| {
            if filter.keeps(&g) {
                visit(state, AuditRow::of(&g, now))
            } else {
                Ok(true)
            }
        })
        .await
    }

    /// The part of `filter` SQLite answers, its client named by row id.
    async fn audit_query(&self, filter: &AuditFilter, now: i64) -> Result<Query> {
        let client = self.client_row_id(text(&filter.client)).await?;
        Ok(filter.query(client, now))
    }

    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        self.each_audit_row(filter, Vec::new(), |rows, r| {
            rows.push(r);
            Ok(true)
        })
        .await
    }

    /// At most `limit` (≤ 1 000) audit rows from `offset`, newest first, and the number
    /// matching: the Audit screen asks for the rows it shows, never for all of 100 000. The
    /// matching grants' row ids are kept between calls until the store changes (see
    /// `audit_index.rs`), so scrolling reads only the rows shown.
    pub async fn audit_page(
        &self,
        filter: &AuditFilter,
        offset: i64,
        limit: i64,
    ) -> Result<AuditPage> {
        let now = self.now();
        let query = self.audit_query(filter, now).await?;
        let (source, index, filter) = (self.scan.clone(), self.audit_index.clone(), filter.clone());
        let clients = self.clients_with_grants.clone();
        self.blocking(move || {
            super::audit_index::page(
                &source,
                &index,
                &clients,
                &filter,
                query,
                now,
                (offset, limit),
            )
        })
        .await
    }

    /// Writes the audit document to `out` row by row as the store is read, and gives `out`
    /// back, flushed. A write failure is [`CoreError::Io`] with the writer's error (a closed
    /// pipe stays recognisable as one).
    pub async fn write_audit<W: std::io::Write + Send + 'static>(
        &self,
        filter: &AuditFilter,
        format: AuditFormat,
        out: W,
    ) -> Result<W> {
        let io = |e| CoreError::io("cannot write the audit", e);
        let writer = AuditWriter::start(out, format, self.now()).map_err(io)?;
        let writer = self
            .each_audit_row(filter, writer, move |w, r| {
                w.row(&r).map_err(io)?;
                Ok(true)
            })
            .await?;
        writer.finish().map_err(io)
    }

    /// Saves the audit under `<data dir>/exports/` and returns the file. The file appears whole
    /// or not at all: it is written beside its name and renamed when complete.
    pub async fn save_audit(
        &self,
        filter: &AuditFilter,
        format: AuditFormat,
    ) -> Result<std::path::PathBuf> {
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
        let part = dir.join(format!(".audit-{stamp}.{ext}.part"));
        let file = std::fs::File::create(&part)
            .map_err(|e| CoreError::io(format!("cannot write {}", part.display()), e))?;
        let written = self
            .write_audit(filter, format, std::io::BufWriter::new(file))
            .await
            .and_then(|w| {
                w.into_inner()
                    .map_err(|e| CoreError::io("cannot write the audit", e.into_error()))
            })
            .and_then(|f| {
                f.sync_all()
                    .map_err(|e| CoreError::io(format!("cannot write {}", part.display()), e))
            })
            .and_then(|()| {
                std::fs::rename(&part, &path)
                    .map_err(|e| CoreError::io(format!("cannot write {}", path.display()), e))
            });
        if written.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        written.map(|()| path)
    }

    /// The audit as a document in `format`; it holds metadata only, never a token or secret.
    pub async fn export_audit(&self, filter: &AuditFilter, format: AuditFormat) -> Result<String> {
        let bytes = self.write_audit(filter, format, Vec::new()).await?;
        String::from_utf8(bytes)
            .map_err(|e| CoreError::Store(format!("the audit is not text: {e}")))
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
        let csv =
            super::super::audit_export::render_audit(&[AuditRow::of(&v, 0)], AuditFormat::Csv, 0)
                .unwrap();
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
}
