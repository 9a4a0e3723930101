//! The `settings` table: the app's settings as key and value.

use crate::error::Result;
use sqlx::{Executor, Sqlite};

pub async fn setting<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    key: &str,
) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(db)
            .await?,
    )
}

pub async fn set_setting<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    key: &str,
    value: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").bind(key).bind(value).execute(db).await?;
    Ok(())
}
