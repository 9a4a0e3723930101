//! The `clients` table.

use crate::error::{CoreError, Result};
use crate::model::{Client, Endpoints};
use oauthdesk_protocol::client_auth::AuthMethod;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Executor, Sqlite};

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    client_id: String,
    issuer: Option<String>,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    revocation_endpoint: Option<String>,
    introspection_endpoint: Option<String>,
    userinfo_endpoint: Option<String>,
    device_authorization_endpoint: Option<String>,
    metadata_json: Option<String>,
    auth_method: super::Named<AuthMethod>,
    scopes: String,
    redirect_uri: String,
    extra_params_json: String,
    pkce: bool,
    insecure: bool,
    secret_ref: Option<String>,
    id_token_alg: Option<String>,
    par: bool,
    jar: super::Named<oauthdesk_protocol::jar::JarMode>,
    response_mode: Option<String>,
    registration_client_uri: Option<String>,
    public_jwk_json: Option<String>,
    dpop: bool,
    ca_pem: Option<String>,
    tls_cert_pem: Option<String>,
    authorization_details_json: Option<String>,
    created_at: i64,
}

impl From<Row> for Client {
    fn from(r: Row) -> Self {
        Client {
            id: r.id,
            name: r.name,
            client_id: r.client_id,
            issuer: r.issuer,
            endpoints: Endpoints {
                authorization: r.authorization_endpoint,
                token: r.token_endpoint,
                revocation: r.revocation_endpoint,
                introspection: r.introspection_endpoint,
                userinfo: r.userinfo_endpoint,
                device_authorization: r.device_authorization_endpoint,
            },
            auth_method: r.auth_method.0,
            scopes: r.scopes,
            redirect_uri: r.redirect_uri,
            extra_params: serde_json::from_str(&r.extra_params_json).unwrap_or_default(),
            pkce: r.pkce,
            insecure: r.insecure,
            has_secret: r.secret_ref.is_some(),
            secret_ref: r.secret_ref,
            metadata: r.metadata_json.and_then(|m| serde_json::from_str(&m).ok()),
            id_token_alg: r.id_token_alg,
            par: r.par,
            jar: r.jar.0,
            response_mode: r.response_mode,
            registration_client_uri: r.registration_client_uri,
            public_jwk: r
                .public_jwk_json
                .and_then(|j| serde_json::from_str(&j).ok()),
            dpop: r.dpop,
            ca_pem: r.ca_pem,
            tls_certificate: r
                .tls_cert_pem
                .as_deref()
                .and_then(|p| oauthdesk_protocol::mtls::certificate_info(p).ok()),
            tls_cert_pem: r.tls_cert_pem,
            authorization_details: r
                .authorization_details_json
                .and_then(|j| serde_json::from_str(&j).ok()),
            created_at: r.created_at,
        }
    }
}

const SELECT: &str = "SELECT id, name, client_id, issuer, authorization_endpoint, token_endpoint, revocation_endpoint, \
    introspection_endpoint, userinfo_endpoint, device_authorization_endpoint, metadata_json, auth_method, scopes, \
    redirect_uri, extra_params_json, pkce, insecure, secret_ref, id_token_alg, par, jar, response_mode, registration_client_uri, public_jwk_json, dpop, ca_pem, tls_cert_pem, authorization_details_json, created_at FROM clients";

/// Binds the columns `insert` and `update` share, in the order both statements list them.
fn bind_fields<'q>(
    q: Query<'q, Sqlite, SqliteArguments>,
    c: &'q Client,
) -> Query<'q, Sqlite, SqliteArguments> {
    q.bind(&c.name)
        .bind(&c.client_id)
        .bind(&c.issuer)
        .bind(&c.endpoints.authorization)
        .bind(&c.endpoints.token)
        .bind(&c.endpoints.revocation)
        .bind(&c.endpoints.introspection)
        .bind(&c.endpoints.userinfo)
        .bind(&c.endpoints.device_authorization)
        .bind(
            c.metadata
                .as_ref()
                .map(|m| serde_json::to_string(m).unwrap_or_default()),
        )
        .bind(super::Named(c.auth_method))
        .bind(&c.scopes)
        .bind(&c.redirect_uri)
        .bind(serde_json::to_string(&c.extra_params).unwrap_or_else(|_| "[]".into()))
        .bind(c.pkce)
        .bind(c.insecure)
        .bind(&c.secret_ref)
        .bind(&c.id_token_alg)
        .bind(c.par)
        .bind(super::Named(c.jar))
        .bind(&c.response_mode)
        .bind(&c.registration_client_uri)
        .bind(c.public_jwk.as_ref().map(|j| j.to_string()))
        .bind(c.dpop)
        .bind(&c.ca_pem)
        .bind(c.authorization_details.as_ref().map(|d| d.to_string()))
}

fn name_taken(
    result: std::result::Result<sqlx::sqlite::SqliteQueryResult, sqlx::Error>,
    c: &Client,
) -> Result<()> {
    match result {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(CoreError::ClientExists(c.name.clone()))
        }
        other => other.map(|_| ()).map_err(Into::into),
    }
}

pub async fn insert<'e>(db: impl Executor<'e, Database = Sqlite>, c: &Client) -> Result<()> {
    let q = sqlx::query(
        "INSERT INTO clients (name, client_id, issuer, authorization_endpoint, token_endpoint, revocation_endpoint, \
         introspection_endpoint, userinfo_endpoint, device_authorization_endpoint, metadata_json, auth_method, scopes, \
         redirect_uri, extra_params_json, pkce, insecure, secret_ref, id_token_alg, par, jar, response_mode, registration_client_uri, public_jwk_json, dpop, ca_pem, authorization_details_json, created_at, updated_at, id) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    let result = bind_fields(q, c)
        .bind(c.created_at)
        .bind(c.created_at)
        .bind(&c.id)
        .execute(db)
        .await;
    name_taken(result, c)
}

pub async fn update<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    c: &Client,
    now: i64,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE clients SET name = ?, client_id = ?, issuer = ?, authorization_endpoint = ?, token_endpoint = ?, \
         revocation_endpoint = ?, introspection_endpoint = ?, userinfo_endpoint = ?, device_authorization_endpoint = ?, \
         metadata_json = ?, auth_method = ?, scopes = ?, redirect_uri = ?, extra_params_json = ?, pkce = ?, insecure = ?, \
         secret_ref = ?, id_token_alg = ?, par = ?, jar = ?, response_mode = ?, registration_client_uri = ?, public_jwk_json = ?, dpop = ?, ca_pem = ?, authorization_details_json = ?, updated_at = ? WHERE id = ?",
    );
    let result = bind_fields(q, c).bind(now).bind(&c.id).execute(db).await;
    name_taken(result, c)
}

pub async fn by_name<'e>(db: impl Executor<'e, Database = Sqlite>, name: &str) -> Result<Client> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE name = ?"));
    sqlx::query_as::<_, Row>(sql)
        .bind(name)
        .fetch_optional(db)
        .await?
        .map(Client::from)
        .ok_or_else(|| CoreError::ClientNotFound(name.to_owned()))
}

pub async fn by_id<'e>(db: impl Executor<'e, Database = Sqlite>, id: &str) -> Result<Client> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = ?"));
    sqlx::query_as::<_, Row>(sql)
        .bind(id)
        .fetch_optional(db)
        .await?
        .map(Client::from)
        .ok_or_else(|| CoreError::ClientNotFound(id.to_owned()))
}

pub async fn list<'e>(db: impl Executor<'e, Database = Sqlite>) -> Result<Vec<Client>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY name"));
    Ok(sqlx::query_as::<_, Row>(sql)
        .fetch_all(db)
        .await?
        .into_iter()
        .map(Client::from)
        .collect())
}

pub async fn delete<'e>(db: impl Executor<'e, Database = Sqlite>, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM clients WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Sets or clears a client's TLS certificate chain (RFC 8705; public PEM). Kept out of
/// `insert`/`update`, so editing a client never drops its certificate.
pub async fn set_tls_cert<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    id: &str,
    chain_pem: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE clients SET tls_cert_pem = ?, updated_at = ? WHERE id = ?")
        .bind(chain_pem)
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
