//! The `saved_requests` table: Call API requests saved per client (never a token).

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
