//! SQLite through sqlx: WAL (readers never block the writer, which matters when many CLI
//! processes share the file), foreign keys on, embedded migrations, and a busy timeout so
//! concurrent processes wait instead of failing. Repository functions take any executor.

pub mod ciba;
pub mod clients;
pub mod docker_hosts;
pub mod environments;
pub mod grants;
pub mod history;
pub mod jwks_cache;
pub mod saved_requests;
pub mod scan;
pub mod settings;

use crate::error::{CoreError, Result};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Opens (creating and migrating) the store. A data dir that cannot be written (a read-only
/// mount, another user's files) still opens for reading, as a snapshot, when the database and
/// its schema exist: read commands (`token` with a fresh token, `grants`, `audit`) work, and
/// writes fail with SQLite's "readonly database" in words. Errors name the data dir and cause.
pub async fn open(path: &Path, max_connections: u32) -> Result<(SqlitePool, scan::Source)> {
    let (pool, immutable) = open_pool(path, max_connections).await?;
    let source = scan::Source::new(path.to_path_buf(), immutable);
    Ok((pool, source))
}

/// The pool, and whether it reads an immutable snapshot.
async fn open_pool(path: &Path, max_connections: u32) -> Result<(SqlitePool, bool)> {
    let dir = path.parent().unwrap_or(path).to_path_buf();
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30));
    let pool = match SqlitePoolOptions::new()
        .max_connections(max_connections.max(1))
        .min_connections(0)
        .connect_with(options)
        .await
    {
        Ok(pool) => pool,
        Err(e) if path.exists() => return Ok((open_read_only(path, dir, e).await?, true)),
        Err(source) => {
            return Err(CoreError::OpenStore {
                dir,
                source,
                hint: "; check that the data dir exists and is writable, or set OAUTHDESK_HOME",
            });
        }
    };
    match MIGRATOR.run(&pool).await {
        Ok(()) => Ok((pool, false)),
        Err(sqlx::migrate::MigrateError::Execute(source)) if is_read_only(&source) => {
            pool.close().await;
            Ok((open_read_only(path, dir, source).await?, true))
        }
        Err(e) => Err(e.into()),
    }
}

fn is_read_only(e: &sqlx::Error) -> bool {
    // SQLITE_READONLY (8) and SQLITE_CANTOPEN (14), by code: the message text is not an API.
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| matches!(c.as_ref(), "8" | "14" | "264" | "520" | "776" | "1032"))
}

async fn open_read_only(
    path: &Path,
    dir: std::path::PathBuf,
    cause: sqlx::Error,
) -> Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        // No -wal/-shm can be created in a read-only dir: read the file as it is.
        .immutable(true)
        .foreign_keys(true);
    let opened = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await;
    let pool = match opened {
        Ok(pool) => pool,
        Err(_) => {
            return Err(CoreError::OpenStore {
                dir,
                source: cause,
                hint: "; the data dir is not writable and the database cannot be read either",
            });
        }
    };
    // Read-only use needs the current schema: a migration still to run cannot run here.
    let applied: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1")
            .fetch_one(&pool)
            .await
            .unwrap_or(0);
    if applied < MIGRATOR.iter().count() as i64 {
        return Err(CoreError::OpenStore {
            dir,
            source: cause,
            hint: "; the data dir is not writable and the database needs an upgrade that cannot be written",
        });
    }
    Ok(pool)
}

/// Text columns that hold one of an enum's names. Reading refuses a name the code does not
/// know, with an error naming it, instead of falling back to some default: a database written
/// by a newer OAuth Desk, or edited by hand, must not turn `revoked` into `active` or
/// `private_key_jwt` into `none`.
pub(crate) trait NamedValue: Sized {
    /// What the column holds, in words.
    const WHAT: &'static str;
    fn name(&self) -> &'static str;
    fn from_name(name: &str) -> Option<Self>;
}

/// A [`NamedValue`] as a column; `Named(x).0` is the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Named<T>(pub T);

impl<T> sqlx::Type<sqlx::Sqlite> for Named<T> {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <&str as sqlx::Type<sqlx::Sqlite>>::type_info()
    }
    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <&str as sqlx::Type<sqlx::Sqlite>>::compatible(ty)
    }
}

impl<'r, T: NamedValue> sqlx::Decode<'r, sqlx::Sqlite> for Named<T> {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let name = <&str as sqlx::Decode<sqlx::Sqlite>>::decode(value)?;
        T::from_name(name)
            .map(Named)
            .ok_or_else(|| format!("unknown {} {name:?} in the database", T::WHAT).into())
    }
}

impl<T: NamedValue> sqlx::Encode<'_, sqlx::Sqlite> for Named<T> {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Sqlite as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <&str as sqlx::Encode<sqlx::Sqlite>>::encode(self.0.name(), buf)
    }
}

impl NamedValue for crate::model::GrantType {
    const WHAT: &'static str = "grant type";
    fn name(&self) -> &'static str {
        self.as_str()
    }
    fn from_name(name: &str) -> Option<Self> {
        Self::parse(name)
    }
}

impl NamedValue for crate::model::GrantStatus {
    const WHAT: &'static str = "grant status";
    fn name(&self) -> &'static str {
        self.as_str()
    }
    fn from_name(name: &str) -> Option<Self> {
        Self::parse(name)
    }
}

impl NamedValue for oauthdesk_protocol::client_auth::AuthMethod {
    const WHAT: &'static str = "client authentication method";
    fn name(&self) -> &'static str {
        self.as_str()
    }
    fn from_name(name: &str) -> Option<Self> {
        Self::parse(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GrantStatus, GrantType};

    /// Makes `dir` unwritable even for root (`chattr +i`), and writable again on drop.
    struct Immutable(std::path::PathBuf);

    impl Immutable {
        fn set(dir: &Path) -> Self {
            let done = std::process::Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .status()
                .expect("chattr runs (e2fsprogs)");
            assert!(
                done.success(),
                "chattr +i works on this file system (as root)"
            );
            Immutable(dir.to_path_buf())
        }
    }

    impl Drop for Immutable {
        fn drop(&mut self) {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.0)
                .status();
        }
    }

    #[tokio::test]
    async fn a_read_only_data_dir_opens_for_reading_and_says_why_writes_fail() {
        let home = tempfile::tempdir().expect("a temp dir");
        let path = home.path().join("oauthdesk.db");
        let (pool, source) = open(&path, 1).await.expect("a new store opens");
        assert!(!source.immutable, "a writable store is scanned live");
        sqlx::query("INSERT INTO settings (key, value) VALUES ('probe', '1')")
            .execute(&pool)
            .await
            .expect("a writable store takes a row");
        pool.close().await;
        let _ro = Immutable::set(home.path());
        let (pool, source) = open(&path, 1)
            .await
            .expect("an unwritable data dir still opens for reading");
        assert!(
            source.immutable,
            "scans read the same snapshot the pool reads"
        );
        let mut seen = 0;
        source
            .grants(&scan::Query::default(), &mut |_| {
                seen += 1;
                Ok(true)
            })
            .expect("a bulk read works in a read-only data dir");
        assert_eq!(seen, 0, "the store has no grant yet");
        let value: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'probe'")
            .fetch_one(&pool)
            .await
            .expect("reads work on a read-only store");
        assert_eq!(value, "1", "the snapshot holds what was written before");
        let write = sqlx::query("INSERT INTO settings (key, value) VALUES ('x', '2')")
            .execute(&pool)
            .await;
        assert!(write.is_err(), "writes fail instead of pretending");
        let fresh = home.path().join("never-created.db");
        let err = open(&fresh, 1)
            .await
            .expect_err("no database can be created there");
        let text = err.to_string();
        assert!(
            text.contains(&home.path().display().to_string()) && text.contains("writable"),
            "the message names the data dir and the cause: {text}"
        );
    }

    #[tokio::test]
    async fn named_columns_round_trip_and_refuse_unknown_names() {
        let pool = SqlitePool::connect("sqlite::memory:")
            .await
            .expect("in-memory SQLite opens");
        let back: (Named<GrantStatus>,) = sqlx::query_as("SELECT ?")
            .bind(Named(GrantStatus::Revoked))
            .fetch_one(&pool)
            .await
            .expect("a known name reads back");
        assert_eq!(back.0.0, GrantStatus::Revoked, "revoked stays revoked");
        let err = sqlx::query_as::<_, (Named<GrantType>,)>("SELECT 'saml_bearer'")
            .fetch_one(&pool)
            .await
            .expect_err("an unknown name is refused");
        assert!(
            err.to_string()
                .contains("unknown grant type \"saml_bearer\""),
            "the error names the column's kind and the value: {err}"
        );
    }
}
