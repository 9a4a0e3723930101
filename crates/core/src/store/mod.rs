//! SQLite through sqlx: WAL (readers never block the writer, which matters when many CLI
//! processes share the file), foreign keys on, embedded migrations, and a busy timeout so
//! concurrent processes wait instead of failing. Repository functions take any executor.

pub mod clients;
pub mod grants;
pub mod history;
pub mod workbench;

use crate::error::Result;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub async fn open(path: &Path, max_connections: u32) -> Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30));
    let pool = SqlitePoolOptions::new()
        .max_connections(max_connections.max(1))
        .min_connections(0)
        .connect_with(options)
        .await?;
    MIGRATOR.run(&pool).await?;
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
