//! The `environments`, `environment_variables` and `grant_environments` tables (migration 0012).
//! A secret variable's row names its keychain item (`secret_ref`) and holds no value.

use crate::error::{CoreError, Result};
use sqlx::{Executor, Sqlite};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnvironmentRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VariableRow {
    pub id: String,
    pub environment_id: String,
    pub name: String,
    /// The plain value; `None` for a secret variable.
    pub value: Option<String>,
    /// The keychain item of a secret variable.
    pub secret_ref: Option<String>,
}

/// The settings key of the active environment (its id), shared by the GUI and the CLI.
pub const ACTIVE_KEY: &str = "active_environment";

pub async fn list<'e>(db: impl Executor<'e, Database = Sqlite>) -> Result<Vec<EnvironmentRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, created_at FROM environments ORDER BY name COLLATE NOCASE, name",
    )
    .fetch_all(db)
    .await?)
}

pub async fn by_name<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    name: &str,
) -> Result<EnvironmentRow> {
    sqlx::query_as("SELECT id, name, created_at FROM environments WHERE name = ?")
        .bind(name)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CoreError::InvalidInput(format!("no environment named {name:?}")))
}

pub async fn by_id<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    id: &str,
) -> Result<Option<EnvironmentRow>> {
    Ok(
        sqlx::query_as("SELECT id, name, created_at FROM environments WHERE id = ?")
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

pub async fn insert<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    env: &EnvironmentRow,
) -> Result<()> {
    sqlx::query("INSERT INTO environments (id, name, created_at) VALUES (?, ?, ?)")
        .bind(&env.id)
        .bind(&env.name)
        .bind(env.created_at)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn rename<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    id: &str,
    name: &str,
) -> Result<()> {
    sqlx::query("UPDATE environments SET name = ? WHERE id = ?")
        .bind(name)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete<'e>(db: impl Executor<'e, Database = Sqlite>, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM environments WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn variables<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    environment_id: &str,
) -> Result<Vec<VariableRow>> {
    Ok(sqlx::query_as(
        "SELECT id, environment_id, name, value, secret_ref FROM environment_variables \
         WHERE environment_id = ? ORDER BY name",
    )
    .bind(environment_id)
    .fetch_all(db)
    .await?)
}

/// Inserts or replaces the variable `(environment_id, name)`.
pub async fn upsert_variable<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    var: &VariableRow,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO environment_variables (id, environment_id, name, value, secret_ref, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(environment_id, name) DO UPDATE SET \
         value = excluded.value, secret_ref = excluded.secret_ref, updated_at = excluded.updated_at",
    )
    .bind(&var.id)
    .bind(&var.environment_id)
    .bind(&var.name)
    .bind(&var.value)
    .bind(&var.secret_ref)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete_variable<'e>(db: impl Executor<'e, Database = Sqlite>, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM environment_variables WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Records the environment a grant was obtained in.
pub async fn bind_grant<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    grant_id: &str,
    env: &EnvironmentRow,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO grant_environments (grant_id, environment_id, environment_name) VALUES (?, ?, ?) \
         ON CONFLICT(grant_id) DO UPDATE SET environment_id = excluded.environment_id, \
         environment_name = excluded.environment_name",
    )
    .bind(grant_id)
    .bind(&env.id)
    .bind(&env.name)
    .execute(db)
    .await?;
    Ok(())
}

/// The environment (id, name as it was then) a grant was obtained in, if it was bound.
pub async fn grant_binding<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    grant_id: &str,
) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT environment_id, environment_name FROM grant_environments WHERE grant_id = ?",
    )
    .bind(grant_id)
    .fetch_optional(db)
    .await?)
}

/// The id of the client's newest non-revoked grant obtained in `environment_id` (`None`: in no
/// environment), ordered as `grants::current` orders.
pub async fn current_grant_in<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: &str,
    environment_id: Option<&str>,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT g.id FROM grants g LEFT JOIN grant_environments ge ON ge.grant_id = g.id \
         WHERE g.client_id = ? AND g.status != 'revoked' AND ge.environment_id IS ? \
         ORDER BY g.issued_at DESC, g.rowid DESC LIMIT 1",
    )
    .bind(client_id)
    .bind(environment_id)
    .fetch_optional(db)
    .await?)
}

/// The cached discovery document of a client with a template issuer, for the issuer it
/// resolved to, and when it was fetched.
pub async fn cached_discovery<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: &str,
    issuer: &str,
) -> Result<Option<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT metadata, fetched_at FROM client_discovery WHERE client_id = ? AND issuer = ?",
    )
    .bind(client_id)
    .bind(issuer)
    .fetch_optional(db)
    .await?)
}

pub async fn cache_discovery<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: &str,
    issuer: &str,
    metadata: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO client_discovery (client_id, issuer, metadata, fetched_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT(client_id, issuer) DO UPDATE SET metadata = excluded.metadata, \
         fetched_at = excluded.fetched_at",
    )
    .bind(client_id)
    .bind(issuer)
    .bind(metadata)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}
