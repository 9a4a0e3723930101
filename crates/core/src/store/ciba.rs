//! The `client_ciba` table: a client's CIBA delivery mode, ping-mode notification endpoint and
//! that endpoint's certificate chain (public). The certificate's key is in the keychain.

use crate::desk::CibaSettings;
use crate::error::Result;
use oauthdesk_protocol::grant::ciba::DeliveryMode;
use sqlx::{Executor, Sqlite};

/// The client's settings, if any were set.
pub async fn get<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: &str,
) -> Result<Option<CibaSettings>> {
    let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT delivery_mode, notification_endpoint, tls_cert_pem FROM client_ciba WHERE client_id = ?",
    )
    .bind(client_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(mode, endpoint, cert)| CibaSettings {
        // An unknown mode (a newer version's) reads as poll, which every CIBA server offers.
        delivery_mode: DeliveryMode::parse(&mode).unwrap_or(DeliveryMode::Poll),
        notification_endpoint: endpoint,
        has_tls_certificate: cert.is_some(),
        tls_cert_pem: cert,
    }))
}

/// Sets the client's settings, replacing earlier ones.
pub async fn upsert<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    client_id: &str,
    settings: &CibaSettings,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO client_ciba (client_id, delivery_mode, notification_endpoint, tls_cert_pem, updated_at) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT(client_id) DO UPDATE SET delivery_mode = excluded.delivery_mode, \
         notification_endpoint = excluded.notification_endpoint, tls_cert_pem = excluded.tls_cert_pem, \
         updated_at = excluded.updated_at",
    )
    .bind(client_id)
    .bind(settings.delivery_mode.as_str())
    .bind(settings.notification_endpoint.as_deref())
    .bind(settings.tls_cert_pem.as_deref())
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}
