//! Reading every grant at SQLite's own speed, for `grants`, the audit and its exports.
//!
//! sqlx runs SQLite on a worker thread and hands each row across to the caller: with 100 000
//! grants most of the time went to those hand-offs (futex waits) and the rows were collected
//! before the first was written. A scan instead opens its own read-only connection (rusqlite, on
//! the same libsqlite3 as sqlx) on the thread that consumes the rows, decodes one row at a time
//! and gives it to a visitor, which may stop early. Memory stays at one row.
//!
//! Decoding is as strict as the sqlx path (`grants.rs`): an unknown grant type or status, or a
//! JSON column that does not parse, is an error naming the column, never a default.

use super::NamedValue;
use crate::error::{CoreError, Result};
use crate::model::{GrantStatus, GrantType, GrantView};
use rusqlite::{Connection, OpenFlags, Row, types::ValueRef};
use std::path::PathBuf;
use std::time::Duration;

/// Where scans read from: the store's file, and whether it had to be opened as an immutable
/// snapshot (a data dir that cannot be written, see [`super::open`]).
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub immutable: bool,
}

/// The columns of a [`GrantView`], in the order [`view`] reads them.
const COLUMNS: &str = "g.id, c.name, g.grant_type, g.status, g.scopes_requested, g.scopes_granted, \
    g.token_type, g.has_access_token, g.has_refresh_token, g.has_id_token, g.expires_at, g.issued_at, \
    g.refreshed_at, g.last_used_at, g.last_used_by, g.refresh_count, g.subject, g.claims_json, \
    g.deviations_json, g.revoked_at, g.auto_refresh, g.authorization_details_requested_json, \
    g.authorization_details_granted_json";

impl Source {
    fn connect(&self) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = if self.immutable {
            // As the sqlx pool does in a read-only data dir: no -wal/-shm can be created there.
            let mut uri = String::from("file:");
            for b in self.path.to_string_lossy().bytes() {
                match b {
                    b'?' | b'#' | b'%' => uri.push_str(&format!("%{b:02X}")),
                    _ => uri.push(char::from(b)),
                }
            }
            uri.push_str("?immutable=1");
            Connection::open_with_flags(uri, flags)
        } else {
            Connection::open_with_flags(&self.path, flags)
        }
        .map_err(|e| scan_error("open the database", e))?;
        // Writers hold the lock briefly (WAL): wait as long as the pool does instead of failing.
        conn.busy_timeout(Duration::from_secs(30))
            .map_err(|e| scan_error("set the busy timeout", e))?;
        Ok(conn)
    }

    /// Every grant (of the client `client_id`, or of all), newest issued first, to `visit`
    /// until it returns `false`.
    pub fn grants(
        &self,
        client_id: Option<&str>,
        visit: &mut dyn FnMut(GrantView) -> Result<bool>,
    ) -> Result<()> {
        let conn = self.connect()?;
        let sql = format!(
            "SELECT {COLUMNS} FROM grants g JOIN clients c ON c.id = g.client_id \
             WHERE (?1 IS NULL OR g.client_id = ?1) ORDER BY g.issued_at DESC, g.rowid DESC"
        );
        let mut stmt = conn
            .prepare(&sql)
            .map_err(|e| scan_error("read the grants", e))?;
        let mut rows = stmt
            .query([client_id])
            .map_err(|e| scan_error("read the grants", e))?;
        while let Some(row) = rows.next().map_err(|e| scan_error("read a grant", e))? {
            if !visit(view(row)?)? {
                break;
            }
        }
        Ok(())
    }
}

fn scan_error(what: &str, e: rusqlite::Error) -> CoreError {
    CoreError::Store(format!("cannot {what}: {e}"))
}

/// Column `i` as `T`, or an error naming the column.
fn get<T: rusqlite::types::FromSql>(row: &Row<'_>, i: usize, name: &str) -> Result<T> {
    row.get(i)
        .map_err(|e| CoreError::Store(format!("the grants column {name} is unreadable: {e}")))
}

fn named<T: NamedValue>(row: &Row<'_>, i: usize, name: &str) -> Result<T> {
    let text: String = get(row, i, name)?;
    T::from_name(&text).ok_or_else(|| {
        CoreError::Store(format!(
            "unknown {} {text:?} in the database (column {name})",
            T::WHAT
        ))
    })
}

/// A JSON column (text, as sqlx writes it; a blob is read the same way).
fn json<T: serde::de::DeserializeOwned>(row: &Row<'_>, i: usize, name: &str) -> Result<Option<T>> {
    let bytes = match row.get_ref(i) {
        Ok(ValueRef::Null) => return Ok(None),
        Ok(ValueRef::Text(b) | ValueRef::Blob(b)) => b,
        Ok(_) => {
            return Err(CoreError::Store(format!(
                "the grants column {name} holds no JSON text"
            )));
        }
        Err(e) => {
            return Err(CoreError::Store(format!(
                "the grants column {name} is unreadable: {e}"
            )));
        }
    };
    serde_json::from_slice(bytes)
        .map(Some)
        .map_err(|e| CoreError::Store(format!("the grants column {name} is not valid JSON: {e}")))
}

fn view(r: &Row<'_>) -> Result<GrantView> {
    Ok(GrantView {
        id: get(r, 0, "id")?,
        client: get(r, 1, "client name")?,
        grant_type: named::<GrantType>(r, 2, "grant_type")?,
        status: named::<GrantStatus>(r, 3, "status")?,
        scopes_requested: get(r, 4, "scopes_requested")?,
        scopes_granted: get(r, 5, "scopes_granted")?,
        token_type: get(r, 6, "token_type")?,
        has_access_token: get(r, 7, "has_access_token")?,
        has_refresh_token: get(r, 8, "has_refresh_token")?,
        has_id_token: get(r, 9, "has_id_token")?,
        expires_at: get(r, 10, "expires_at")?,
        issued_at: get(r, 11, "issued_at")?,
        refreshed_at: get(r, 12, "refreshed_at")?,
        last_used_at: get(r, 13, "last_used_at")?,
        last_used_by: get(r, 14, "last_used_by")?,
        refresh_count: get(r, 15, "refresh_count")?,
        subject: get(r, 16, "subject")?,
        claims: json(r, 17, "claims_json")?,
        deviations: json(r, 18, "deviations_json")?.unwrap_or_default(),
        revoked_at: get(r, 19, "revoked_at")?,
        auto_refresh: get(r, 20, "auto_refresh")?,
        authorization_details_requested: json(r, 21, "authorization_details_requested_json")?,
        authorization_details_granted: json(r, 22, "authorization_details_granted_json")?,
    })
}

#[cfg(test)]
mod tests {
    use crate::model::GrantStatus;
    use crate::store::grants::{self, AuthRequestFacts, GrantRecord};

    async fn store_with_grants() -> (tempfile::TempDir, sqlx::SqlitePool, super::Source) {
        let home = tempfile::tempdir().expect("a temp dir");
        let (pool, source) = crate::store::open(&home.path().join("oauthdesk.db"), 1)
            .await
            .expect("a new store opens");
        sqlx::query(
            "INSERT INTO clients (id, name, client_id, auth_method, redirect_uri, created_at, updated_at) \
             VALUES ('c1', 'demo', 'demo', 'none', 'http://127.0.0.1/cb', 0, 0)",
        )
        .execute(&pool)
        .await
        .expect("a client row");
        for (i, id) in ["old", "new"].into_iter().enumerate() {
            let mut view = crate::desk::rar::tests::view();
            view.id = id.into();
            view.issued_at = i64::try_from(i).expect("small") * 60;
            view.subject = Some("alice\u{1b}".into());
            view.claims = Some(serde_json::json!({"sub": "alice", "n": 1}));
            view.authorization_details_granted = Some(serde_json::json!([{"type": "a"}]));
            let rec = GrantRecord {
                view,
                client_id: "c1".into(),
                secret_ref: format!("grant/{id}"),
                request: AuthRequestFacts::default(),
                refresh_started_at: None,
                token_rejected_at: None,
            };
            grants::insert(&pool, &rec).await.expect("a grant row");
        }
        (home, pool, source)
    }

    #[tokio::test]
    async fn a_scan_reads_what_the_sqlx_path_reads_newest_first_and_stops_when_asked() {
        let (_home, pool, source) = store_with_grants().await;
        let mut seen = vec![];
        source
            .grants(None, &mut |g| {
                seen.push(g);
                Ok(true)
            })
            .expect("the scan runs");
        let ids: Vec<_> = seen.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(
            ids,
            ["new", "old"],
            "newest issued first, as `grants` lists"
        );
        let by_sqlx = grants::by_id(&pool, "new")
            .await
            .expect("sqlx reads")
            .expect("the grant exists");
        assert_eq!(
            serde_json::to_value(&seen[0]).expect("serializes"),
            serde_json::to_value(&by_sqlx.view).expect("serializes"),
            "every column decodes as the sqlx path decodes it (JSON columns, enums, names)"
        );
        let mut count = 0;
        source
            .grants(Some("c1"), &mut |_| {
                count += 1;
                Ok(false)
            })
            .expect("the scan runs");
        assert_eq!(count, 1, "the visitor's false ends the scan");
        let mut other = 0;
        source
            .grants(Some("no-such-client"), &mut |_| {
                other += 1;
                Ok(true)
            })
            .expect("the scan runs");
        assert_eq!(other, 0, "a client filter keeps other clients' grants out");
    }

    #[tokio::test]
    async fn a_corrupt_row_is_an_error_naming_the_column_not_a_default() {
        let (_home, pool, source) = store_with_grants().await;
        sqlx::query("UPDATE grants SET status = 'paused' WHERE id = 'new'")
            .execute(&pool)
            .await
            .expect("an update");
        let err = source
            .grants(None, &mut |_| Ok(true))
            .expect_err("an unknown status is refused");
        assert!(
            err.to_string().contains("grant status \"paused\"")
                && err.to_string().contains("status"),
            "the error names the value and the column: {err}"
        );
        sqlx::query("UPDATE grants SET status = ?, claims_json = '{not json' WHERE id = 'new'")
            .bind(GrantStatus::Active.as_str())
            .execute(&pool)
            .await
            .expect("an update");
        let err = source
            .grants(None, &mut |_| Ok(true))
            .expect_err("broken JSON is refused");
        assert!(
            err.to_string().contains("claims_json"),
            "the error names the JSON column: {err}"
        );
    }
}
