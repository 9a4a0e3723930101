//! The CIBA login (OpenID Connect CIBA Core 1.0): the backchannel authentication request, then
//! the wait for the user's answer on their authentication device — polling the token endpoint
//! (poll mode), or listening on the client's notification endpoint and asking once (ping mode,
//! §10.2). Progress goes out as `CibaRequested` and a `CibaWait` every second; the wait ends
//! when the login's task is dropped (Cancel in the GUI, Ctrl-C in the CLI), as the device flow's.

use super::{Flow, Obtained};
use crate::desk::Desk;
use crate::desk::ciba::tls_key;
use crate::desk::clients::endpoint;
use crate::error::{CoreError, Result};
use crate::model::FlowEvent;
use crate::store;
use oauthdesk_protocol::grant::ciba::{self, BackchannelRequest, DeliveryMode, Hint};
use oauthdesk_protocol::grant::ciba_notify::{NotificationListener, NotifyTls};
use oauthdesk_protocol::grant::device::PollStatus;
use oauthdesk_protocol::secret::ClientNotificationToken;
use oauthdesk_protocol::{TlsClientKey, random};
use std::time::Duration;
use tokio::time::Instant;

/// What a CIBA login asks (CIBA §7.1).
#[derive(Debug, Clone, Default)]
pub struct CibaOptions {
    /// Who is asked (`login_hint`).
    pub login_hint: Option<String>,
    /// Shown on the authentication device and here, so the user can tell the request is theirs.
    pub binding_message: Option<String>,
    pub user_code: Option<String>,
    /// `None`: the client's registered mode, else poll.
    pub mode: Option<DeliveryMode>,
    /// Seconds the request may live (`requested_expiry`).
    pub requested_expiry: Option<u64>,
}

impl Desk {
    pub(super) async fn ciba_flow(&self, flow: &Flow<'_>) -> Result<Obtained> {
        let Flow {
            client,
            auth,
            opts,
            scope,
            extra,
            transcript,
            progress,
        } = *flow;
        let meta = client.metadata.as_ref();
        let configured = meta.and_then(|m| m.backchannel_authentication_endpoint.clone());
        if configured.is_none() {
            return Err(CoreError::InvalidInput(
                "the server's metadata has no backchannel_authentication_endpoint (CIBA §4): it does not offer CIBA, or its metadata was read before it did (refresh the client's discovery)".into(),
            ));
        }
        let ba_endpoint = endpoint(client, &configured, "backchannel-authentication")?;
        let token_endpoint = endpoint(client, &client.endpoints.token, "token")?;
        let settings = store::ciba::get(&self.db, &client.id)
            .await?
            .unwrap_or_default();
        let mode = opts.ciba.mode.unwrap_or(settings.delivery_mode);
        if let Some(m) = meta.filter(|m| !m.backchannel_token_delivery_modes_supported.is_empty())
            && !m
                .backchannel_token_delivery_modes_supported
                .iter()
                .any(|s| s == mode.as_str())
        {
            return Err(CoreError::InvalidInput(format!(
                "the server does not offer the {} delivery mode: its backchannel_token_delivery_modes_supported is {:?} (CIBA §4)",
                mode.as_str(),
                m.backchannel_token_delivery_modes_supported
            )));
        }
        let login_hint = opts
            .ciba
            .login_hint
            .clone()
            .filter(|h| !h.trim().is_empty())
            .ok_or_else(|| {
                CoreError::InvalidInput(
                    "CIBA needs a login hint (--login-hint): who is asked to approve (CIBA §7.1)"
                        .into(),
                )
            })?;
        user_code_checked(meta, opts.ciba.user_code.as_deref())?;
        // Ping: listen before asking, so the notification cannot come before the listener.
        let (listener, notification_token) = match mode {
            DeliveryMode::Poll => (None, None),
            DeliveryMode::Ping => {
                let listener = self.notification_listener(&client.id, &settings).await?;
                (
                    Some(listener),
                    Some(ClientNotificationToken::new(random::token())),
                )
            }
        };
        let request = BackchannelRequest {
            scope: scope.to_owned(),
            hint: Hint::LoginHint(login_hint.clone()),
            binding_message: opts.ciba.binding_message.clone(),
            user_code: opts.ciba.user_code.clone(),
            requested_expiry: opts.ciba.requested_expiry,
            client_notification_token: notification_token.clone(),
            extra: extra.to_vec(),
        };
        let http = self.http_for(client).await?;
        let mut ba = ciba::request_backchannel_authentication(
            &http,
            transcript,
            &ba_endpoint,
            auth,
            ciba::request_params(&request)?,
        )
        .await?;
        progress(FlowEvent::CibaRequested {
            login_hint: Some(login_hint),
            binding_message: request.binding_message.clone(),
            mode: mode.as_str().into(),
            expires_in: ba.expires_in,
            interval_secs: ba.interval,
            notification_endpoint: listener.as_ref().map(|l| l.endpoint().to_string()),
        });
        let mut token = match (listener, notification_token) {
            (Some(listener), Some(cnt)) => {
                let deadline = ciba::deadline(&ba);
                let wait = listener.wait(&cnt, &ba.auth_req_id, deadline, transcript);
                let ticker = async {
                    loop {
                        let remaining =
                            deadline.saturating_duration_since(Instant::now()).as_secs();
                        progress(FlowEvent::CibaWait {
                            mode: "ping".into(),
                            remaining_secs: remaining,
                            next_poll_in_secs: None,
                            interval_secs: ba.interval,
                            polls: 0,
                            last: "waiting".into(),
                        });
                        if remaining == 0 {
                            break;
                        }
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                };
                tokio::select! {
                    done = wait => done?,
                    () = ticker => return Err(oauthdesk_protocol::ProtocolError::BackchannelExpired.into()),
                }
                progress(FlowEvent::CibaWait {
                    mode: "ping".into(),
                    remaining_secs: deadline.saturating_duration_since(Instant::now()).as_secs(),
                    next_poll_in_secs: None,
                    interval_secs: ba.interval,
                    polls: 1,
                    last: "notified".into(),
                });
                ciba::token_after_ping(&http, transcript, &token_endpoint, auth, &ba).await?
            }
            _ => {
                let report = |s: &PollStatus| {
                    progress(FlowEvent::CibaWait {
                        mode: "poll".into(),
                        remaining_secs: s.remaining_secs,
                        next_poll_in_secs: Some(s.next_poll_in_secs),
                        interval_secs: s.interval_secs,
                        polls: s.polls,
                        last: s.last.into(),
                    })
                };
                ciba::poll_for_token(&http, transcript, &token_endpoint, auth, &ba, &report).await?
            }
        };
        token.deviations.append(&mut ba.deviations);
        Ok(Obtained {
            token,
            nonce: None,
            code: None,
        })
    }

    /// Binds the client's notification endpoint (ping mode), with its TLS identity for https.
    async fn notification_listener(
        &self,
        client_id: &str,
        settings: &crate::desk::CibaSettings,
    ) -> Result<NotificationListener> {
        let endpoint = settings.notification_endpoint.as_deref().ok_or_else(|| {
            CoreError::InvalidInput(
                "ping mode needs the client's notification endpoint, the backchannel_client_notification_endpoint registered at the server (`oauthdesk client ciba NAME --mode ping --notification-endpoint URL`)".into(),
            )
        })?;
        let key = match &settings.tls_cert_pem {
            Some(_) => {
                let item = tls_key(client_id);
                let stored = self
                    .secret_get(&item)
                    .await?
                    .ok_or(CoreError::SecretMissing {
                        key: item,
                        what: TlsClientKey::KIND,
                    })?;
                Some(TlsClientKey::new(stored.expose()))
            }
            None => None,
        };
        let tls = settings
            .tls_cert_pem
            .as_deref()
            .zip(key.as_ref())
            .map(|(cert_pem, key_pem)| NotifyTls { cert_pem, key_pem });
        Ok(NotificationListener::bind(endpoint, tls).await?)
    }
}

/// CIBA §7.1: a user code only where the server says it checks one; sent elsewhere it would be
/// ignored, and the user would believe in a protection that is not there.
fn user_code_checked(
    meta: Option<&oauthdesk_protocol::discovery::ServerMetadata>,
    user_code: Option<&str>,
) -> Result<()> {
    if user_code.is_some() && meta.is_some_and(|m| !m.backchannel_user_code_parameter_supported) {
        return Err(CoreError::InvalidInput(
            "the server's metadata does not say backchannel_user_code_parameter_supported: it would ignore the user code (CIBA §4, §7.1); leave --user-code out".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::user_code_checked;
    use oauthdesk_protocol::discovery::ServerMetadata;

    #[test]
    fn a_user_code_is_sent_only_where_the_server_checks_one() {
        let mut meta = ServerMetadata::default();
        assert!(
            user_code_checked(Some(&meta), Some("1234"))
                .expect_err("a server that does not check user codes")
                .to_string()
                .contains("backchannel_user_code_parameter_supported"),
            "a user code the server would ignore is refused, naming the metadata member"
        );
        assert!(
            user_code_checked(Some(&meta), None).is_ok(),
            "no user code: nothing to refuse"
        );
        meta.backchannel_user_code_parameter_supported = true;
        assert!(
            user_code_checked(Some(&meta), Some("1234")).is_ok(),
            "a server that checks user codes gets one"
        );
    }
}
