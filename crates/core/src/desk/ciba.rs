//! A client's CIBA settings: its backchannel token delivery mode (CIBA §5) and, for ping mode,
//! the client notification endpoint it registered at the server (`backchannel_client_
//! notification_endpoint`, a loopback URL with a fixed port) and that endpoint's TLS identity —
//! the certificate chain in SQLite (public), the key in the keychain (`ciba-tls/<client id>`).

use super::Desk;
use super::keychain_write::SecretChange;
use crate::error::{CoreError, Result};
use crate::store;
use oauthdesk_protocol::grant::ciba::DeliveryMode;
use oauthdesk_protocol::grant::ciba_notify::{self, NotifyTls};
use oauthdesk_protocol::{KeychainValue, TlsClientKey};
use serde::Serialize;

/// The keychain item of a client's notification endpoint TLS key.
pub(crate) fn tls_key(client_id: &str) -> String {
    format!("ciba-tls/{client_id}")
}

/// What the GUI and `client show` see: no key, and the chain only as "there is one".
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CibaSettings {
    pub delivery_mode: DeliveryMode,
    pub notification_endpoint: Option<String>,
    pub has_tls_certificate: bool,
    #[serde(skip)]
    pub tls_cert_pem: Option<String>,
}

impl Default for CibaSettings {
    fn default() -> Self {
        Self {
            delivery_mode: DeliveryMode::Poll,
            notification_endpoint: None,
            has_tls_certificate: false,
            tls_cert_pem: None,
        }
    }
}

/// A change of a client's CIBA settings.
#[derive(Debug, Clone)]
pub struct CibaUpdate {
    pub delivery_mode: DeliveryMode,
    /// `None` keeps the current one; `Some("")` removes it.
    pub notification_endpoint: Option<String>,
    /// A new TLS identity for an https notification endpoint: certificate chain PEM and key PEM.
    pub tls: Option<(String, TlsClientKey)>,
    /// Remove the TLS identity.
    pub clear_tls: bool,
}

impl Desk {
    /// The client's CIBA settings (poll, no endpoint, when none were set).
    pub async fn ciba_settings(&self, name: &str) -> Result<CibaSettings> {
        let client = self.client(name).await?;
        Ok(store::ciba::get(&self.db, &client.id)
            .await?
            .unwrap_or_default())
    }

    /// Changes the client's CIBA settings: the TLS key into the keychain, the rest into SQLite,
    /// as one. A ping mode without an endpoint, an endpoint that is not a loopback URL with a
    /// port, an https one without a TLS identity, or a key that does not fit its certificate
    /// is refused before anything is written.
    pub async fn set_ciba_settings(&self, name: &str, update: CibaUpdate) -> Result<CibaSettings> {
        let client = self.client(name).await?;
        let mut settings = store::ciba::get(&self.db, &client.id)
            .await?
            .unwrap_or_default();
        settings.delivery_mode = update.delivery_mode;
        if let Some(e) = update.notification_endpoint {
            settings.notification_endpoint = Some(e.trim().to_owned()).filter(|e| !e.is_empty());
        }
        let mut changes = Vec::new();
        if update.clear_tls {
            settings.tls_cert_pem = None;
            changes.push(SecretChange::Delete(tls_key(&client.id)));
        }
        if let Some((cert, key)) = &update.tls {
            let chain = ciba_notify::check_tls(&NotifyTls {
                cert_pem: cert,
                key_pem: key,
            })?;
            settings.tls_cert_pem = Some(chain);
            changes.push(SecretChange::Replace(
                tls_key(&client.id),
                KeychainValue::new(key.expose()),
            ));
        }
        settings.has_tls_certificate = settings.tls_cert_pem.is_some();
        if let Some(e) = &settings.notification_endpoint {
            let (url, _) = ciba_notify::check_endpoint(e)?;
            if url.scheme() == "https" && settings.tls_cert_pem.is_none() {
                return Err(CoreError::InvalidInput(
                    "an https notification endpoint needs its TLS certificate and key (--tls-cert-file, --tls-key-stdin)".into(),
                ));
            }
        } else if settings.delivery_mode == DeliveryMode::Ping {
            return Err(CoreError::InvalidInput(
                "ping mode needs the notification endpoint registered at the server (--notification-endpoint URL; CIBA §10.2)".into(),
            ));
        }
        let (id, now, row) = (client.id.clone(), self.now(), settings.clone());
        self.write_together(changes, move |db| async move {
            store::ciba::upsert(&db, &id, &row, now).await
        })
        .await?;
        self.event(
            &client.id,
            None,
            "client_updated",
            &format!(
                "CIBA settings: {} mode{}",
                settings.delivery_mode.as_str(),
                settings
                    .notification_endpoint
                    .as_deref()
                    .map(|e| format!(", notification endpoint {e}"))
                    .unwrap_or_default()
            ),
        )
        .await;
        Ok(settings)
    }
}
