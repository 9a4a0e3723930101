//! The `saved_requests` and `settings` tables.

use crate::desk::SavedRequest;
use crate::error::Result;
use sqlx::{Executor, Sqlite};

pub async fn saved_requests<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: &str,
) -> Result<Vec<SavedRequest>> {
    let rows: Vec<(String, String, String, String, String, String)> =
        sqlx::query_as("SELECT id, name, method, url, headers_json, body FROM saved_requests WHERE client_id = ? ORDER BY name").bind(client_id).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, method, url, headers, body)| SavedRequest {
            id,
            name,
            method,
            url,
            headers: serde_json::from_str(&headers).unwrap_or_default(),
            body,
        })
        .collect())
}

pub async fn upsert_request<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: &str,
    r: &SavedRequest,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO saved_requests (id, client_id, name, method, url, headers_json, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT(client_id, name) DO UPDATE SET method = excluded.method, url = excluded.url, headers_json = excluded.headers_json, body = excluded.body",
    )
    .bind(&r.id)
    .bind(client_id)
    .bind(r.name.trim())
    .bind(&r.method)
    .bind(&r.url)
    .bind(serde_json::to_string(&r.headers).unwrap_or_else(|_| "[]".into()))
    .bind(&r.body)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete_request<'e>(db: impl Executor<'e, Database = Sqlite>, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM saved_requests WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

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

/// A cached JWKS (public keys only) and when it was fetched.
pub async fn cached_jwks<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    jwks_uri: &str,
) -> Result<Option<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT jwks_json, fetched_at FROM jwks_cache WHERE jwks_uri = ?")
            .bind(jwks_uri)
            .fetch_optional(db)
            .await?,
    )
}

pub async fn cache_jwks<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    jwks_uri: &str,
    json: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO jwks_cache (jwks_uri, jwks_json, fetched_at) VALUES (?, ?, ?) ON CONFLICT(jwks_uri) DO UPDATE SET jwks_json = excluded.jwks_json, fetched_at = excluded.fetched_at")
        .bind(jwks_uri)
        .bind(json)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}
