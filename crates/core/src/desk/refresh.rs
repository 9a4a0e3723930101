//! Refreshing a grant (RFC 6749 §6), or renewing a client-credentials grant by asking again
//! (§4.4.3), under the grant's lock. The request and the keychain write of its answer form a
//! critical section a signal waits for; a refusal (any 4xx, §5.2) marks the grant as needing a
//! login, a fault (5xx, transport) leaves it as it was.

use super::Desk;
use super::clients::endpoint;
use super::keychain_write::SecretChange;
use super::login::{claims_summary, subject_of};
use super::tokens::GrantRef;
use crate::error::{CoreError, Result};
use crate::lock::lock_grant;
use crate::model::{Client, GrantStatus, GrantType, GrantView};
use crate::secrets::GrantTokens;
use crate::store::{self, grants::GrantRecord};
use oauthdesk_protocol::endpoint::Deviation;
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::{ProtocolError, grant};

impl Desk {
    /// Refreshes the current grant now, whatever its expiry.
    pub async fn refresh(&self, grant: GrantRef<'_>) -> Result<GrantView> {
        let (client, rec) = self.resolve(grant, true).await?;
        let _lock = lock_grant(self.home().join("locks"), &rec.view.id).await?;
        let rec = store::grants::by_id(&self.db, &rec.view.id)
            .await?
            .unwrap_or(rec);
        self.refresh_locked(&client, rec).await
    }

    /// Must be called with the grant's lock held.
    pub(super) async fn refresh_locked(
        &self,
        client: &Client,
        rec: GrantRecord,
    ) -> Result<GrantView> {
        let old = self.load_tokens(&rec).await?;
        let auth = self.client_auth(client).await?;
        let token_endpoint = endpoint(client, &client.endpoints.token, "token")?;
        let transcript = Transcript::default();
        let (params, step) = match (&old.refresh_token, rec.view.grant_type) {
            (Some(rt), _) => {
                let mut p = grant::refresh_params(rt, "");
                // RFC 8707 §2.2: ask for the same resource again, or the new access token may be
                // for another audience (or opaque) than the one the grant was obtained for.
                if let Some(r) = &rec.request.resource {
                    p.push(("resource".into(), r.clone()));
                }
                (p, "token request (refresh_token)")
            }
            // A client-credentials grant is renewed by asking again (RFC 6749 §4.4.3: no refresh token).
            (None, GrantType::ClientCredentials) => {
                let mut p = grant::client_credentials_params(&rec.view.scopes_requested);
                p.extend(client.extra_params.iter().cloned());
                (p, "token request (client_credentials renewal)")
            }
            (None, _) => {
                return Err(CoreError::NeedsLogin {
                    client: client.name.clone(),
                    reason: "the access token expired and the server issued no refresh token"
                        .into(),
                });
            }
        };
        // From here until the answer is in the keychain, a signal waits (the server may
        // rotate the refresh token the moment it reads the request).
        let http = self.http_for(client).await?;
        let critical = self.critical_section();
        let spends_refresh_token = old.refresh_token.is_some();
        if spends_refresh_token {
            // Bookkeeping only: a busy or read-only database must not stop the refresh.
            let _ =
                store::grants::set_refresh_started(&self.db, &rec.view.id, Some(self.now())).await;
        }
        let result =
            grant::token_request(&http, &transcript, step, &token_endpoint, &auth, params).await;
        let mut view = rec.view.clone();
        let now = self.now();
        let response = match result {
            Ok(r) => r,
            Err(e) => {
                self.save_transcript(&client.id, Some(&view.id), "refresh", &transcript)
                    .await;
                self.event(&client.id, Some(&view.id), "refresh_failed", &e.to_string())
                    .await;
                if !is_refusal(&e) {
                    // 5xx or transport: the grant stays as it is; try again later. Only an
                    // answer proves the request was not silently used: a timeout or a broken
                    // connection keeps the mark.
                    let answered = matches!(
                        e,
                        ProtocolError::OAuth(_) | ProtocolError::InvalidResponse { .. }
                    );
                    if spends_refresh_token && answered {
                        let _ = store::grants::set_refresh_started(&self.db, &view.id, None).await;
                    }
                    return Err(e.into());
                }
                if let ProtocolError::InvalidResponse { status, .. } = &e {
                    push_deviation(
                        &mut view,
                        Deviation::new(
                            "refusal_without_error_body",
                            "RFC 6749 §5.2",
                            format!(
                                "the token endpoint refused the refresh with HTTP {status} and no OAuth error body; treated as a refusal"
                            ),
                        ),
                    );
                }
                let interrupted = rec.refresh_started_at.is_some() && spends_refresh_token;
                view.status = GrantStatus::NeedsLogin;
                store::grants::update(&self.db, &view).await?;
                let reason = if interrupted {
                    format!(
                        "the refresh was refused: {e}. An earlier refresh of this grant was sent but its answer never stored (the process was killed?): the server has likely rotated the refresh token and now refuses the old one as reuse"
                    )
                } else {
                    format!("the refresh was refused: {e}")
                };
                return Err(CoreError::NeedsLogin {
                    client: client.name.clone(),
                    reason,
                });
            }
        };
        // Rotated only when the token changed: servers that keep it may echo it (RFC 6749 §6).
        let rotated = response
            .refresh_token
            .as_ref()
            .is_some_and(|new| old.refresh_token.as_ref() != Some(new));
        // OIDC Core §12.2: a refreshed ID token must describe the original login. Only the
        // claim comparisons run here (no await before the keychain write); the signature is
        // checked once the rotated tokens are safe.
        let refused_id = match (&response.id_token, &old.id_token) {
            (Some(new), Some(was)) => refreshed_id_refusal(was.expose(), new.expose()),
            _ => None,
        };
        if let Some(reasons) = &refused_id {
            push_deviation(
                &mut view,
                Deviation::new(
                    "refreshed_id_token_rejected",
                    "OIDC Core §12.2",
                    format!("the ID token sent with a refresh was not kept: {reasons}"),
                ),
            );
        }
        let new_id = response.id_token.clone().filter(|_| refused_id.is_none());
        let kept_new_id = new_id.is_some();
        let tokens = GrantTokens {
            access_token: Some(response.access_token.clone()),
            // RFC 6749 §6: without a new refresh token the old one stays valid.
            refresh_token: response.refresh_token.clone().or(old.refresh_token),
            id_token: new_id.or(old.id_token.clone()),
        };
        view.status = GrantStatus::Active;
        view.token_type = response.token_type.clone();
        view.has_access_token = true;
        view.has_refresh_token = tokens.refresh_token.is_some();
        view.has_id_token = tokens.id_token.is_some();
        view.expires_at = grant::expiry_at(now, response.expires_in);
        if response.scope.is_some() {
            view.scopes_granted = response.scope.clone();
        }
        view.refreshed_at = Some(now);
        view.refresh_count += 1;
        view.claims = claims_summary(&tokens);
        view.subject = subject_of(&view.claims).or(view.subject);
        // RFC 9396 §7: a refresh's answer says again what it grants; silence keeps what was known.
        if let Some(d) = super::login::rar::granted(
            response.authorization_details.as_ref(),
            view.claims.as_ref(),
        ) {
            view.authorization_details_granted = Some(d);
        }
        for d in response.deviations {
            push_deviation(&mut view, d);
        }
        // The new tokens reach the keychain in a task a cancelled caller cannot stop, and are
        // never rolled back: the server has already rotated the old refresh token.
        let change = SecretChange::Rotate(rec.secret_ref.clone(), tokens.to_keychain());
        let row = view.clone();
        self.write_together(vec![change], move |db| async move {
            store::grants::update(&db, &row).await
        })
        .await?;
        drop(critical);
        if kept_new_id && let Some(was) = old.id_token {
            let tokens = GrantTokens {
                id_token: Some(was),
                ..tokens
            };
            self.check_refreshed_signature(client, &rec, &mut view, tokens, &transcript)
                .await?;
        }
        self.save_transcript(&client.id, Some(&view.id), "refresh", &transcript)
            .await;
        let detail = if rotated {
            "refresh token rotated"
        } else {
            "refresh token kept (not rotated)"
        };
        self.event(&client.id, Some(&view.id), "refreshed", detail)
            .await;
        Ok(view)
    }
}

/// The §12.2 claim failures of a refreshed ID token in words, or `None` when it may be kept.
fn refreshed_id_refusal(original: &str, refreshed: &str) -> Option<String> {
    let claims = |t: &str| oauthdesk_protocol::jose::decode(t).and_then(|d| d.claims);
    let Some(new) = claims(refreshed) else {
        return Some("it is not a JWT".into());
    };
    let was = claims(original).unwrap_or(serde_json::Value::Null);
    let failed: Vec<String> = oauthdesk_protocol::verify::refreshed_id_token_checks(&was, &new)
        .into_iter()
        .filter(|c| c.failed())
        .map(|c| c.to_string())
        .collect();
    (!failed.is_empty()).then(|| failed.join("; "))
}

impl Desk {
    /// Checks the signature of a refreshed ID token now that the rotated tokens are stored;
    /// a bad one is replaced by the original (`fallback` holds the tokens with it).
    async fn check_refreshed_signature(
        &self,
        client: &Client,
        rec: &GrantRecord,
        view: &mut GrantView,
        fallback: GrantTokens,
        transcript: &Transcript,
    ) -> Result<()> {
        let stored = self.load_tokens(rec).await?;
        let Some(new) = stored.id_token else {
            return Ok(());
        };
        let check = self
            .refreshed_id_signature(client, new.expose(), transcript)
            .await;
        if !check.failed() || check.code.as_deref() == Some("keys_unavailable") {
            // OIDC Core §3.1.3.7 (6): from the token endpoint over TLS, missing keys are no
            // reason to refuse.
            return Ok(());
        }
        push_deviation(
            view,
            Deviation::new(
                "refreshed_id_token_rejected",
                "OIDC Core §12.2",
                format!("the ID token sent with a refresh was not kept: {check}"),
            ),
        );
        view.claims = claims_summary(&fallback);
        let change = SecretChange::Replace(rec.secret_ref.clone(), fallback.to_keychain());
        let row = view.clone();
        self.write_together(vec![change], move |db| async move {
            store::grants::update(&db, &row).await
        })
        .await
    }
}

/// Whether a failed token request is the server saying no (RFC 6749 §5.2: any 4xx, or an
/// OAuth error sent with another non-5xx status), as opposed to a fault worth retrying (5xx,
/// timeouts, transport errors).
fn is_refusal(e: &ProtocolError) -> bool {
    match e {
        ProtocolError::OAuth(o) => o.status.is_none_or(|s| !(500..600).contains(&s)),
        ProtocolError::InvalidResponse { status, .. } => (400..500).contains(status),
        _ => false,
    }
}

/// Records a deviation on the grant once per code.
fn push_deviation(view: &mut GrantView, d: Deviation) {
    if !view.deviations.iter().any(|x| x.code == d.code) {
        view.deviations.push(d);
    }
}
