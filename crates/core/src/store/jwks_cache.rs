//! The `jwks_cache` table: issuers' public key sets by `jwks_uri`, with when they were fetched.

use crate::error::Result;
use sqlx::{Executor, Sqlite};

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
