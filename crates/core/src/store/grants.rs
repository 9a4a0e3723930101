//! The `grants` table: metadata of each grant. The tokens are in the keychain item `secret_ref`.

use super::Named;
use crate::error::Result;
use crate::model::{GrantStatus, GrantType, GrantView};
use oauthdesk_protocol::endpoint::Deviation;
use sqlx::types::Json;
use sqlx::{Executor, Sqlite};

/// A grant row plus the keychain reference the views leave out.
#[derive(Debug, Clone)]
pub struct GrantRecord {
    pub view: GrantView,
    pub client_id: String,
    pub secret_ref: String,
    /// What the authorization request asked for, to re-check the tokens later.
    pub request: AuthRequestFacts,
    /// A refresh was sent at this time and its answer never stored (see migration 0009).
    pub refresh_started_at: Option<i64>,
    /// A tool reported the access token refused at this time (migration 0014): the next
    /// handoff refreshes whatever the expiry says.
    pub token_rejected_at: Option<i64>,
}

/// Non-secret facts of the request that obtained a grant: the nonce and `max_age` sent (ID
/// token checks), the `resource` (RFC 8707; sent again on refresh) and a vendor `audience`.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct AuthRequestFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// A vendor `audience` parameter (Auth0), the expected `aud` when no resource was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// `authorization_details` sent (RFC 9396); kept in its own column, not in `request_json`.
    #[serde(skip)]
    pub authorization_details: Option<serde_json::Value>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    client_id: String,
    client_name: String,
    grant_type: Named<GrantType>,
    status: Named<GrantStatus>,
    secret_ref: String,
    scopes_requested: String,
    scopes_granted: Option<String>,
    token_type: String,
    has_access_token: bool,
    has_refresh_token: bool,
    has_id_token: bool,
    expires_at: Option<i64>,
    issued_at: i64,
    refreshed_at: Option<i64>,
    last_used_at: Option<i64>,
    refresh_count: i64,
    subject: Option<String>,
    claims_json: Option<Json<serde_json::Value>>,
    deviations_json: Json<Vec<Deviation>>,
    revoked_at: Option<i64>,
    request_json: Json<AuthRequestFacts>,
    auto_refresh: bool,
    refresh_started_at: Option<i64>,
    last_used_by: Option<String>,
    token_rejected_at: Option<i64>,
    authorization_details_requested_json: Option<Json<serde_json::Value>>,
    authorization_details_granted_json: Option<Json<serde_json::Value>>,
}

impl From<Row> for GrantRecord {
    fn from(r: Row) -> Self {
        GrantRecord {
            client_id: r.client_id,
            secret_ref: r.secret_ref,
            request: r.request_json.0,
            refresh_started_at: r.refresh_started_at,
            token_rejected_at: r.token_rejected_at,
            view: GrantView {
                id: r.id,
                client: r.client_name,
                grant_type: r.grant_type.0,
                status: r.status.0,
                scopes_requested: r.scopes_requested,
                scopes_granted: r.scopes_granted,
                token_type: r.token_type,
                has_access_token: r.has_access_token,
                has_refresh_token: r.has_refresh_token,
                has_id_token: r.has_id_token,
                expires_at: r.expires_at,
                issued_at: r.issued_at,
                refreshed_at: r.refreshed_at,
                last_used_at: r.last_used_at,
                last_used_by: r.last_used_by,
                refresh_count: r.refresh_count,
                subject: r.subject,
                claims: r.claims_json.map(|c| c.0),
                deviations: r.deviations_json.0,
                revoked_at: r.revoked_at,
                auto_refresh: r.auto_refresh,
                authorization_details_requested: r
                    .authorization_details_requested_json
                    .map(|j| j.0),
                authorization_details_granted: r.authorization_details_granted_json.map(|j| j.0),
            },
        }
    }
}

const SELECT: &str = "SELECT g.id, g.client_id, c.name AS client_name, g.grant_type, g.status, g.secret_ref, \
    g.scopes_requested, g.scopes_granted, g.token_type, g.has_access_token, g.has_refresh_token, g.has_id_token, \
    g.expires_at, g.issued_at, g.refreshed_at, g.last_used_at, g.refresh_count, g.subject, g.claims_json, \
    g.deviations_json, g.revoked_at, g.request_json, g.auto_refresh, g.refresh_started_at, g.last_used_by, g.token_rejected_at, \
    g.authorization_details_requested_json, g.authorization_details_granted_json FROM grants g JOIN clients c ON c.id = g.client_id";

pub async fn insert<'e>(db: impl Executor<'e, Database = Sqlite>, g: &GrantRecord) -> Result<()> {
    let v = &g.view;
    sqlx::query(
        "INSERT INTO grants (id, client_id, grant_type, status, secret_ref, scopes_requested, scopes_granted, token_type, \
         has_access_token, has_refresh_token, has_id_token, expires_at, issued_at, refreshed_at, last_used_at, refresh_count, \
         subject, claims_json, deviations_json, revoked_at, request_json, authorization_details_requested_json, \
         authorization_details_granted_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&v.id)
    .bind(&g.client_id)
    .bind(Named(v.grant_type))
    .bind(Named(v.status))
    .bind(&g.secret_ref)
    .bind(&v.scopes_requested)
    .bind(&v.scopes_granted)
    .bind(&v.token_type)
    .bind(v.has_access_token)
    .bind(v.has_refresh_token)
    .bind(v.has_id_token)
    .bind(v.expires_at)
    .bind(v.issued_at)
    .bind(v.refreshed_at)
    .bind(v.last_used_at)
    .bind(v.refresh_count)
    .bind(&v.subject)
    .bind(v.claims.as_ref().map(Json))
    .bind(Json(&v.deviations))
    .bind(v.revoked_at)
    .bind(Json(&g.request))
    .bind(v.authorization_details_requested.as_ref().map(Json))
    .bind(v.authorization_details_granted.as_ref().map(Json))
    .execute(db)
    .await?;
    Ok(())
}

/// Writes back what a refresh or revocation changes. New tokens (a refresh: `refresh_count`
/// moved on) clear the mark of a refused access token.
pub async fn update<'e>(db: impl Executor<'e, Database = Sqlite>, v: &GrantView) -> Result<()> {
    sqlx::query(
        "UPDATE grants SET status = ?, scopes_granted = ?, token_type = ?, has_access_token = ?, has_refresh_token = ?, \
         has_id_token = ?, expires_at = ?, refreshed_at = ?, refresh_count = ?, claims_json = ?, deviations_json = ?, \
         revoked_at = ?, subject = ?, authorization_details_granted_json = ?, refresh_started_at = NULL, \
         token_rejected_at = CASE WHEN refresh_count = ? THEN token_rejected_at END WHERE id = ?",
    )
    .bind(Named(v.status))
    .bind(&v.scopes_granted)
    .bind(&v.token_type)
    .bind(v.has_access_token)
    .bind(v.has_refresh_token)
    .bind(v.has_id_token)
    .bind(v.expires_at)
    .bind(v.refreshed_at)
    .bind(v.refresh_count)
    .bind(v.claims.as_ref().map(Json))
    .bind(Json(&v.deviations))
    .bind(v.revoked_at)
    .bind(&v.subject)
    .bind(v.authorization_details_granted.as_ref().map(Json))
    .bind(v.refresh_count)
    .bind(&v.id)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks a refresh as sent (`Some(now)`) or answered (`None`).
pub async fn set_refresh_started<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    id: &str,
    at: Option<i64>,
) -> Result<()> {
    sqlx::query("UPDATE grants SET refresh_started_at = ? WHERE id = ?")
        .bind(at)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// The auto-refresh grants that are active and renewable (a refresh token, or client
/// credentials) and whose access token expires at or before `by`, soonest first: (grant id,
/// client name). The app asks every 20 s, so SQLite selects them: no other grant is read.
pub async fn due_for_auto_refresh<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    by: i64,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT g.id, c.name FROM grants g JOIN clients c ON c.id = g.client_id \
         WHERE g.auto_refresh = 1 AND g.status = ?1 \
         AND (g.has_refresh_token = 1 OR g.grant_type = ?2) \
         AND g.expires_at IS NOT NULL AND g.expires_at <= ?3 ORDER BY g.expires_at, g.rowid",
    )
    .bind(Named(GrantStatus::Active))
    .bind(Named(GrantType::ClientCredentials))
    .bind(by)
    .fetch_all(db)
    .await?)
}

pub async fn set_auto_refresh<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    id: &str,
    on: bool,
) -> Result<()> {
    sqlx::query("UPDATE grants SET auto_refresh = ? WHERE id = ?")
        .bind(on)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn touch<'e>(db: impl Executor<'e, Database = Sqlite>, id: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE grants SET last_used_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// The tool the token was just handed to ("git for github.com").
pub async fn set_last_used_by<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    id: &str,
    now: i64,
    by: &str,
) -> Result<()> {
    sqlx::query("UPDATE grants SET last_used_at = ?, last_used_by = ? WHERE id = ?")
        .bind(now)
        .bind(by)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks the current access token as refused by a tool (`None` clears the mark).
pub async fn set_token_rejected<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    id: &str,
    at: Option<i64>,
) -> Result<()> {
    sqlx::query("UPDATE grants SET token_rejected_at = ? WHERE id = ?")
        .bind(at)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn by_id<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    id: &str,
) -> Result<Option<GrantRecord>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE g.id = ?"));
    Ok(sqlx::query_as::<_, Row>(sql)
        .bind(id)
        .fetch_optional(db)
        .await?
        .map(GrantRecord::from))
}

/// The client's newest grant that is not revoked.
pub async fn current<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: &str,
) -> Result<Option<GrantRecord>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE g.client_id = ? AND g.status != 'revoked' ORDER BY g.issued_at DESC, g.rowid DESC LIMIT 1"
    ));
    Ok(sqlx::query_as::<_, Row>(sql)
        .bind(client_id)
        .fetch_optional(db)
        .await?
        .map(GrantRecord::from))
}

pub async fn list<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: Option<&str>,
) -> Result<Vec<GrantRecord>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE (?1 IS NULL OR g.client_id = ?1) ORDER BY g.issued_at DESC, g.rowid DESC"
    ));
    Ok(sqlx::query_as::<_, Row>(sql)
        .bind(client_id)
        .fetch_all(db)
        .await?
        .into_iter()
        .map(GrantRecord::from)
        .collect())
}

pub async fn secret_refs_of_client<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: &str,
) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar::<_, String>("SELECT secret_ref FROM grants WHERE client_id = ?")
            .bind(client_id)
            .fetch_all(db)
            .await?,
    )
}

pub async fn delete<'e>(db: impl Executor<'e, Database = Sqlite>, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM grants WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
