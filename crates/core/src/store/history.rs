//! The `events` (history) and `transcripts` (redacted HTTP exchanges) tables.

use crate::error::Result;
use crate::model::{FlowTranscript, HistoryEvent, RerunOptions};
use oauthdesk_protocol::transcript::Exchange;
use sqlx::types::Json;
use sqlx::{Executor, Sqlite, SqliteConnection};

pub async fn record_event<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    at: i64,
    client_id: &str,
    grant_id: Option<&str>,
    kind: &str,
    detail: &str,
) -> Result<()> {
    record_flow_event(db, at, client_id, grant_id, kind, detail, None, None).await
}

/// An event that names its flow (the key of its transcript) and, for a login, how to run it again.
#[allow(clippy::too_many_arguments)]
pub async fn record_flow_event<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    at: i64,
    client_id: &str,
    grant_id: Option<&str>,
    kind: &str,
    detail: &str,
    flow_id: Option<&str>,
    rerun: Option<&RerunOptions>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO events (at, client_id, grant_id, kind, detail, flow_id, rerun_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(at)
    .bind(client_id)
    .bind(grant_id)
    .bind(kind)
    .bind(detail)
    .bind(flow_id)
    .bind(rerun.map(Json))
    .execute(db)
    .await?;
    Ok(())
}

type EventRow = (
    i64,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

pub async fn events<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: Option<&str>,
) -> Result<Vec<HistoryEvent>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.at, c.name, e.grant_id, e.kind, e.detail, e.flow_id, e.rerun_json FROM events e JOIN clients c ON c.id = e.client_id \
         WHERE (?1 IS NULL OR e.client_id = ?1) ORDER BY e.id",
    )
    .bind(client_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(at, client, grant_id, kind, detail, flow_id, rerun)| HistoryEvent {
                at,
                client,
                grant_id,
                kind,
                detail,
                flow_id,
                // A row this version cannot read loses its "run again", not the history.
                rerun: rerun.and_then(|r| serde_json::from_str(&r).ok()),
            },
        )
        .collect())
}

/// Saves a flow's exchanges (already redacted when recorded).
pub async fn save_transcript(
    conn: &mut SqliteConnection,
    flow_id: &str,
    client_id: &str,
    grant_id: Option<&str>,
    operation: &str,
    at: i64,
    exchanges: &[Exchange],
) -> Result<()> {
    for (seq, ex) in exchanges.iter().enumerate() {
        sqlx::query("INSERT INTO transcripts (flow_id, client_id, grant_id, operation, seq, exchange_json, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(flow_id)
            .bind(client_id)
            .bind(grant_id)
            .bind(operation)
            .bind(seq as i64)
            .bind(serde_json::to_string(ex).unwrap_or_default())
            .bind(at)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One flow by its id.
pub async fn flow<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    flow_id: &str,
) -> Result<Option<FlowTranscript>> {
    let rows: Vec<(String, String, Option<String>, i64, String)> = sqlx::query_as(
        "SELECT flow_id, operation, grant_id, at, exchange_json FROM transcripts WHERE flow_id = ?1 ORDER BY id",
    )
    .bind(flow_id)
    .fetch_all(db)
    .await?;
    Ok(group_flows(rows).pop())
}

/// The client's flows, newest last; `limit` flows at most.
pub async fn transcripts<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: &str,
    limit: i64,
) -> Result<Vec<FlowTranscript>> {
    let rows: Vec<(String, String, Option<String>, i64, String)> = sqlx::query_as(
        "SELECT flow_id, operation, grant_id, at, exchange_json FROM transcripts WHERE client_id = ?1 AND flow_id IN \
         (SELECT flow_id FROM transcripts WHERE client_id = ?1 GROUP BY flow_id ORDER BY MAX(id) DESC LIMIT ?2) ORDER BY id",
    )
    .bind(client_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(group_flows(rows))
}

/// Rows ordered by flow, then sequence, into flows; rows that fail to parse are skipped.
fn group_flows(rows: Vec<(String, String, Option<String>, i64, String)>) -> Vec<FlowTranscript> {
    let mut flows: Vec<FlowTranscript> = Vec::new();
    for (flow_id, operation, grant_id, at, json) in rows {
        let Ok(ex) = serde_json::from_str::<Exchange>(&json) else {
            continue;
        };
        match flows.last_mut() {
            Some(f) if f.flow_id == flow_id => f.exchanges.push(ex),
            _ => flows.push(FlowTranscript {
                flow_id,
                operation,
                grant_id,
                at,
                exchanges: vec![ex],
            }),
        }
    }
    flows
}

/// Notes a keychain item about to be created (see migration 0010).
pub async fn note_pending_secret<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    key: &str,
    at: i64,
) -> Result<()> {
    sqlx::query("INSERT OR REPLACE INTO pending_secrets (key, at) VALUES (?, ?)")
        .bind(key)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn clear_pending_secret<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    key: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM pending_secrets WHERE key = ?")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn pending_secrets<'e>(db: impl Executor<'e, Database = Sqlite>) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT key FROM pending_secrets ORDER BY at")
            .fetch_all(db)
            .await?,
    )
}

/// Whether a row names the keychain item `key`: a grant's or client's `secret_ref`, or a
/// client's registration (`registration/<id>`) or DPoP key (`dpop/<id>`).
pub async fn secret_is_referenced<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    key: &str,
) -> Result<bool> {
    let owner = key
        .strip_prefix("registration/")
        .or_else(|| key.strip_prefix("dpop/"))
        .unwrap_or("");
    let found: i64 = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM grants WHERE secret_ref = ?1) \
         OR EXISTS (SELECT 1 FROM clients WHERE secret_ref = ?1 OR id = ?2) \
         OR EXISTS (SELECT 1 FROM environment_variables WHERE secret_ref = ?1)",
    )
    .bind(key)
    .bind(owner)
    .fetch_one(db)
    .await?;
    Ok(found != 0)
}
