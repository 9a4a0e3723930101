//! The `docker_hosts` table: registry host → client (and the username docker sends). Hosts are
//! stored normalised (`desk/docker_hosts.rs`); never a token.

use crate::desk::DockerHost;
use crate::error::Result;
use sqlx::{Executor, Sqlite};

/// Maps `host` to the client with row id `client_id`, replacing an earlier mapping of the host.
pub async fn upsert<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    host: &str,
    client_id: &str,
    username: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO docker_hosts (host, client_id, username, created_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT(host) DO UPDATE SET client_id = excluded.client_id, username = excluded.username",
    )
    .bind(host)
    .bind(client_id)
    .bind(username)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Removes the mapping of `host`; whether there was one.
pub async fn delete<'e>(db: impl Executor<'e, Database = Sqlite>, host: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM docker_hosts WHERE host = ?")
        .bind(host)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Every mapping, by host, with its client's name.
pub async fn list<'e>(db: impl Executor<'e, Database = Sqlite>) -> Result<Vec<DockerHost>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT d.host, c.name, d.username FROM docker_hosts d JOIN clients c ON c.id = d.client_id ORDER BY d.host",
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(into_host).collect())
}

/// The mapping of one (normalised) host.
pub async fn by_host<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    host: &str,
) -> Result<Option<DockerHost>> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT d.host, c.name, d.username FROM docker_hosts d JOIN clients c ON c.id = d.client_id WHERE d.host = ?",
    )
    .bind(host)
    .fetch_optional(db)
    .await?;
    Ok(row.map(into_host))
}

fn into_host((host, client, username): (String, String, String)) -> DockerHost {
    DockerHost {
        host,
        client,
        username,
    }
}
