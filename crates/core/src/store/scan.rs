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
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where scans read from: the store's file, and whether it had to be opened as an immutable
/// snapshot (a data dir that cannot be written, see [`super::open`]). The one read-only
/// connection is opened on first use and kept (clones share it): its `data_version` tells when
/// anyone else has written since the last scan.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub immutable: bool,
    conn: Arc<Mutex<Option<Connection>>>,
}

/// Which grants a scan reads, by the filters SQLite answers itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// One client's grants (its row id), or every client's.
    pub client_id: Option<String>,
    pub hide_revoked: bool,
    /// Only grants not revoked whose access token expires at or before this time.
    pub expires_by: Option<i64>,
    /// Only grants whose granted scope (the requested one when none was reported) contains this
    /// text: a prefilter for a scope filter, which checks the scope items of what passes.
    pub scope_contains: Option<String>,
    pub order: Order,
}

/// The order a scan gives grants in (each has an index, migrations 0020).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Newest issued first: `grants`, the audit.
    #[default]
    Issued,
    /// Latest activity (refresh, else issue) first: the Tokens list and `Desk::grant_summaries`.
    Activity,
}

impl Order {
    fn sql(self) -> &'static str {
        match self {
            Order::Issued => "ORDER BY g.issued_at DESC, g.rowid DESC",
            Order::Activity => "ORDER BY COALESCE(g.refreshed_at, g.issued_at) DESC, g.rowid DESC",
        }
    }
}

const WHERE: &str = "(?1 IS NULL OR g.client_id = ?1) AND (?2 = 0 OR g.status != 'revoked') \
    AND (?3 IS NULL OR (g.status != 'revoked' AND g.expires_at IS NOT NULL AND g.expires_at <= ?3)) \
    AND (?4 IS NULL OR instr(COALESCE(g.scopes_granted, g.scopes_requested), ?4) > 0)";

/// The columns a filter that SQLite cannot answer needs (scope sets and `authorization_details`),
/// read into a [`GrantView`] whose other fields are empty.
const KEY_COLUMNS: &str = "g.rowid, g.scopes_requested, g.scopes_granted, g.status, \
    g.authorization_details_requested_json, g.authorization_details_granted_json";

/// Columns, table and order of [`Source::issued_holding`]'s walk: everything it reads is in the
/// index it names.
const HOLDING: (&str, &str, &str) = (
    "g.rowid, COALESCE(g.scopes_granted, g.scopes_requested), g.issued_at",
    "grants g INDEXED BY grants_by_issue_with_scope",
    "ORDER BY g.issued_at DESC",
);

/// The columns of a [`GrantView`], in the order [`view`] reads them.
const COLUMNS: &str = "g.id, c.name, g.grant_type, g.status, g.scopes_requested, g.scopes_granted, \
    g.token_type, g.has_access_token, g.has_refresh_token, g.has_id_token, g.expires_at, g.issued_at, \
    g.refreshed_at, g.last_used_at, g.last_used_by, g.refresh_count, g.subject, g.claims_json, \
    g.deviations_json, g.revoked_at, g.auto_refresh, g.authorization_details_requested_json, \
    g.authorization_details_granted_json";

impl Source {
    pub fn new(path: PathBuf, immutable: bool) -> Self {
        Self {
            path,
            immutable,
            conn: Arc::default(),
        }
    }

    /// Runs `f` on the kept connection, opening it first if needed.
    fn with_conn<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        // A visitor that panicked leaves no half-state in a connection: it is still usable.
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(self.connect()?);
        }
        match guard.as_ref() {
            Some(conn) => f(conn),
            None => Err(CoreError::Store("no database connection".into())),
        }
    }

    /// Changes whenever another connection (this process's writers or another process) has
    /// committed since the last call (SQLite's `PRAGMA data_version`).
    pub fn data_version(&self) -> Result<i64> {
        self.with_conn(|c| {
            c.query_row("PRAGMA data_version", [], |r| r.get(0))
                .map_err(|e| scan_error("read the data version", e))
        })
    }

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

    /// Every grant the query selects, in the query's order, to `visit` until it returns `false`.
    pub fn grants(
        &self,
        query: &Query,
        visit: &mut dyn FnMut(GrantView) -> Result<bool>,
    ) -> Result<()> {
        let from = "grants g JOIN clients c ON c.id = g.client_id";
        let order = query.order.sql();
        self.each_row(COLUMNS, from, order, query, &mut |row| visit(view(row)?))
    }

    /// The row ids of the grants the query selects, in the query's order, each with what a
    /// filter SQLite cannot answer needs when `keys` is set (else an empty view): 100 000 of
    /// them in tens of milliseconds, for the Audit screen's index.
    pub fn grant_keys(
        &self,
        query: &Query,
        keys: bool,
        visit: &mut dyn FnMut(i64, Option<GrantView>),
    ) -> Result<()> {
        let columns = if keys { KEY_COLUMNS } else { "g.rowid" };
        let order = query.order.sql();
        self.each_row(columns, "grants g", order, query, &mut |row| {
            let rowid: i64 = get(row, 0, "rowid")?;
            visit(rowid, if keys { Some(key_view(row)?) } else { None });
            Ok(true)
        })
    }

    /// The row ids of the grants the query selects whose held scope (granted, else requested; a
    /// NULL reads as none) `keep` accepts, newest issued first whatever the query's order: the
    /// Audit index of a scope filter. It reads only the index `grants_by_issue_with_scope`
    /// (migration 0021), never the table's wide rows. That index orders grants issued in the
    /// same second by its other columns, so they are put back in [`Order::Issued`]'s order
    /// (newest row first) here.
    pub fn issued_holding(
        &self,
        query: &Query,
        keep: &mut dyn FnMut(&str) -> bool,
    ) -> Result<Vec<i64>> {
        let (columns, from, order) = HOLDING;
        let mut kept: Vec<(i64, i64)> = Vec::new();
        self.each_row(columns, from, order, query, &mut |row| {
            let held = row
                .get_ref(1)
                .and_then(|v| Ok(v.as_str_or_null()?))
                .map_err(|e| CoreError::Store(format!("a grant's scopes are unreadable: {e}")))?;
            if keep(held.unwrap_or_default()) {
                kept.push((get(row, 2, "issued_at")?, get(row, 0, "rowid")?));
            }
            Ok(true)
        })?;
        // Already in issue order but for ties: the stable sort takes the sorted runs as they are.
        kept.sort_by(|a, b| b.cmp(a));
        Ok(kept.into_iter().map(|(_, rowid)| rowid).collect())
    }

    /// The names of the clients that have grants, sorted (the Tokens list's client filter).
    pub fn clients_with_grants(&self) -> Result<Vec<String>> {
        self.with_conn(|conn| {
            let mut stmt = conn
                .prepare(
                    "SELECT c.name FROM clients c WHERE EXISTS \
                     (SELECT 1 FROM grants g WHERE g.client_id = c.id) ORDER BY c.name",
                )
                .map_err(|e| scan_error("read the clients", e))?;
            let names = stmt
                .query_map([], |r| r.get(0))
                .map_err(|e| scan_error("read the clients", e))?;
            names
                .collect::<rusqlite::Result<Vec<String>>>()
                .map_err(|e| scan_error("read a client's name", e))
        })
    }

    /// `SELECT columns FROM from` with the query's filters, in `order` (an `ORDER BY`), each row
    /// to `visit` until it returns `false`.
    fn each_row(
        &self,
        columns: &str,
        from: &str,
        order: &str,
        query: &Query,
        visit: &mut dyn FnMut(&Row<'_>) -> Result<bool>,
    ) -> Result<()> {
        self.with_conn(|conn| {
            let mut stmt = conn
                .prepare(&select(columns, from, order))
                .map_err(|e| scan_error("read the grants", e))?;
            let mut rows = stmt
                .query(params(query))
                .map_err(|e| scan_error("read the grants", e))?;
            while let Some(row) = rows.next().map_err(|e| scan_error("read a grant", e))? {
                if !visit(row)? {
                    break;
                }
            }
            Ok(())
        })
    }

    /// The grants with these row ids, in this order (ids no longer there are left out).
    pub fn grants_by_rowid(&self, rowids: &[i64]) -> Result<Vec<GrantView>> {
        let mut found: Vec<(i64, GrantView)> = Vec::with_capacity(rowids.len());
        self.with_conn(|conn| {
            // SQLite takes at most 32 766 parameters: the ids go in chunks.
            for chunk in rowids.chunks(500) {
                let marks = vec!["?"; chunk.len()].join(",");
                let sql = format!(
                    "SELECT {COLUMNS}, g.rowid FROM grants g JOIN clients c ON c.id = g.client_id \
                     WHERE g.rowid IN ({marks})"
                );
                let mut stmt = conn
                    .prepare(&sql)
                    .map_err(|e| scan_error("read the grants", e))?;
                let mut rows = stmt
                    .query(rusqlite::params_from_iter(chunk))
                    .map_err(|e| scan_error("read the grants", e))?;
                while let Some(row) = rows.next().map_err(|e| scan_error("read a grant", e))? {
                    found.push((get(row, 23, "rowid")?, view(row)?));
                }
            }
            Ok(())
        })?;
        let position: std::collections::HashMap<i64, usize> =
            rowids.iter().enumerate().map(|(i, r)| (*r, i)).collect();
        found.sort_by_key(|(r, _)| position.get(r).copied().unwrap_or(usize::MAX));
        Ok(found.into_iter().map(|(_, v)| v).collect())
    }
}

fn select(columns: &str, from: &str, order: &str) -> String {
    format!("SELECT {columns} FROM {from} WHERE {WHERE} {order}")
}

fn params(q: &Query) -> (Option<&str>, bool, Option<i64>, Option<&str>) {
    (
        q.client_id.as_deref(),
        q.hide_revoked,
        q.expires_by,
        q.scope_contains.as_deref(),
    )
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

/// [`KEY_COLUMNS`] into a view: the rest of it is empty.
fn key_view(r: &Row<'_>) -> Result<GrantView> {
    Ok(GrantView {
        status: named::<GrantStatus>(r, 3, "status")?,
        scopes_requested: get(r, 1, "scopes_requested")?,
        scopes_granted: get(r, 2, "scopes_granted")?,
        authorization_details_requested: json(r, 4, "authorization_details_requested_json")?,
        authorization_details_granted: json(r, 5, "authorization_details_granted_json")?,
        ..GrantView::blank()
    })
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
pub(crate) mod tests {
    use crate::model::GrantStatus;
    use crate::store::grants::{self, AuthRequestFacts, GrantRecord};

    fn query(client: &str) -> super::Query {
        super::Query {
            client_id: Some(client.into()),
            ..Default::default()
        }
    }

    /// Inserts grant `id` of client `c1`, issued at `issued_at`, asking `requested` and granted
    /// `granted`.
    pub(crate) async fn add_grant(
        pool: &sqlx::SqlitePool,
        id: &str,
        issued_at: i64,
        requested: &str,
        granted: Option<&str>,
    ) {
        let mut view = crate::desk::rar::tests::view();
        view.id = id.into();
        view.issued_at = issued_at;
        view.scopes_requested = requested.into();
        view.scopes_granted = granted.map(str::to_owned);
        insert(pool, view).await;
    }

    /// Inserts `view` as a grant of client `c1`.
    async fn insert(pool: &sqlx::SqlitePool, view: crate::model::GrantView) {
        let rec = GrantRecord {
            client_id: "c1".into(),
            secret_ref: format!("grant/{}", view.id),
            request: AuthRequestFacts::default(),
            refresh_started_at: None,
            token_rejected_at: None,
            view,
        };
        grants::insert(pool, &rec).await.expect("a grant row");
    }

    pub(crate) async fn store_with_grants() -> (tempfile::TempDir, sqlx::SqlitePool, super::Source)
    {
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
            insert(&pool, view).await;
        }
        (home, pool, source)
    }

    #[tokio::test]
    async fn a_scan_reads_what_the_sqlx_path_reads_newest_first_and_stops_when_asked() {
        let (_home, pool, source) = store_with_grants().await;
        let mut seen = vec![];
        source
            .grants(&super::Query::default(), &mut |g| {
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
        let visits = |q: &super::Query, go_on: bool| {
            let mut n = 0;
            source
                .grants(q, &mut |_| {
                    n += 1;
                    Ok(go_on)
                })
                .expect("the scan runs");
            n
        };
        assert_eq!(
            visits(&query("c1"), false),
            1,
            "the visitor's false ends the scan"
        );
        assert_eq!(
            visits(&query("no-such-client"), true),
            0,
            "a client filter keeps other clients' grants out"
        );
    }

    #[tokio::test]
    async fn a_scope_walk_reads_its_index_alone_and_keeps_the_issue_order_of_ties() {
        let (_home, pool, source) = store_with_grants().await;
        // Issued in the same second, written in row order t1, t2, t3; their granted scopes sort
        // a, c, b, which is the order the index holds them in within that second.
        for (id, granted) in [("t1", "openid a"), ("t2", "openid c"), ("t3", "openid b")] {
            add_grant(&pool, id, 500, "openid", Some(granted)).await;
        }
        let q = super::Query::default();
        let mut by_issue = vec![];
        source
            .grant_keys(&q, false, &mut |rowid, _| by_issue.push(rowid))
            .expect("the row-id walk runs");
        let holding = source
            .issued_holding(&q, &mut |_| true)
            .expect("the scope walk runs");
        assert_eq!(
            holding, by_issue,
            "the same grants in the same order as every other issue-ordered list, ties by newest row"
        );
        assert_eq!(by_issue.len(), 5, "all five grants");
        let mut seen = vec![];
        let only_c = source
            .issued_holding(&q, &mut |held| {
                seen.push(held.to_owned());
                held == "openid c"
            })
            .expect("the scope walk runs");
        assert_eq!(only_c, [by_issue[1]], "only the grant whose scope was kept");
        assert!(
            seen.iter().any(|h| h == "openid b"),
            "the visitor sees the granted scope: {seen:?}"
        );

        let (columns, from, order) = super::HOLDING;
        let plan: Vec<String> = source
            .with_conn(|c| {
                let mut stmt = c
                    .prepare(&format!(
                        "EXPLAIN QUERY PLAN {}",
                        super::select(columns, from, order)
                    ))
                    .expect("the plan is prepared");
                let rows = stmt
                    .query_map(super::params(&q), |r| r.get::<_, String>(3))
                    .expect("the plan is read");
                Ok(rows.map(|r| r.expect("a plan row")).collect())
            })
            .expect("a connection");
        assert_eq!(
            plan,
            ["SCAN g USING COVERING INDEX grants_by_issue_with_scope"],
            "the walk reads the index alone (no table rows) and needs no sort"
        );
    }

    #[tokio::test]
    async fn a_corrupt_row_is_an_error_naming_the_column_not_a_default() {
        let (_home, pool, source) = store_with_grants().await;
        sqlx::query("UPDATE grants SET status = 'paused' WHERE id = 'new'")
            .execute(&pool)
            .await
            .expect("an update");
        let err = source
            .grants(&super::Query::default(), &mut |_| Ok(true))
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
            .grants(&super::Query::default(), &mut |_| Ok(true))
            .expect_err("broken JSON is refused");
        assert!(
            err.to_string().contains("claims_json"),
            "the error names the JSON column: {err}"
        );
    }
}
