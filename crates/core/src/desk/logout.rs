//! Ending a session: OpenID Connect RP-Initiated Logout at the server (the system browser goes to
//! the end-session endpoint with `id_token_hint` and comes back to a loopback
//! `post_logout_redirect_uri`), then revocation and forgetting the grant locally. Nothing is
//! forgotten unless the steps before it succeeded.

use super::{Desk, GrantRef, RevokeWhich};
use crate::error::{CoreError, Result};
use crate::model::{FlowEvent, GrantStatus, Progress};
use oauthdesk_protocol::logout::end_session_url;
use oauthdesk_protocol::loopback::{CallbackExpectation, LoopbackListener};
use oauthdesk_protocol::random;
use oauthdesk_protocol::transcript::{RecordedRequest, Transcript, redact_url};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct LogoutOutcome {
    pub grant_id: String,
    /// The server ended the user's session and came back with our `state`.
    pub ended_at_server: bool,
    /// Why the server was not asked, when it was not.
    pub server_note: Option<String>,
    pub revoked: bool,
    pub revoke_note: Option<String>,
    pub forgotten: bool,
}

impl Desk {
    /// Logs the grant's user out: at the server unless `local_only` (and when it offers an
    /// end-session endpoint), then revokes the grant's tokens and forgets it. A failed or
    /// abandoned server logout leaves everything as it was.
    pub async fn logout(
        &self,
        grant: GrantRef<'_>,
        local_only: bool,
        no_open: bool,
        progress: Progress,
    ) -> Result<LogoutOutcome> {
        let (client, rec) = self.resolve(grant, false).await?;
        let id = rec.view.id.clone();
        let mut out = LogoutOutcome {
            grant_id: id.clone(),
            ended_at_server: false,
            server_note: None,
            revoked: false,
            revoke_note: None,
            forgotten: false,
        };
        let end_session = client
            .metadata
            .as_ref()
            .and_then(|m| m.end_session_endpoint.clone());
        match (local_only, end_session) {
            (true, _) => out.server_note = Some("local end of session only (--local): the server session was left alone".into()),
            (false, None) => out.server_note = Some("the server's metadata has no end_session_endpoint (OpenID Connect RP-Initiated Logout); only the local session was ended".into()),
            (false, Some(endpoint)) => {
                let tokens = self.load_tokens(&rec).await?;
                let endpoint = url::Url::parse(&endpoint).map_err(|e| CoreError::InvalidInput(format!("end_session_endpoint {endpoint:?}: {e}")))?;
                let mut template = url::Url::parse(&client.redirect_uri).map_err(|e| CoreError::InvalidInput(format!("redirect URI: {e}")))?;
                template.set_path("/logout");
                let listener = LoopbackListener::bind(template.as_str()).await?;
                let back = listener.redirect_uri().to_string();
                let state = random::token();
                let url = end_session_url(&endpoint, tokens.id_token.as_ref(), &client.client_id, &back, &state);
                let transcript = Transcript::default();
                let now_ms = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
                let hand_off = |step: &str, url: &str, note: String| oauthdesk_protocol::transcript::Exchange {
                    step: step.into(),
                    started_at_ms: now_ms(),
                    duration_ms: 0,
                    request: RecordedRequest { method: "GET".into(), url: redact_url(url), headers: vec![], body: None },
                    response: None,
                    note: Some(note),
                };
                let opened = !no_open;
                transcript.push(hand_off("end session request", url.as_str(), if opened { "opened in the system browser".into() } else { "printed for the user to open".into() }));
                if opened {
                    self.config.launcher.open(url.as_str())?;
                }
                progress(FlowEvent::AuthorizationUrl { url: url.to_string(), opened });
                progress(FlowEvent::WaitingForCallback { redirect_uri: back.clone(), timeout_secs: self.config.callback_timeout.as_secs() });
                let expect = CallbackExpectation { state, issuer: None, iss_required: false, fragment: false, logout: true, jarm: false };
                let result = listener.wait(&expect, self.config.callback_timeout).await;
                transcript.push(hand_off(
                    "post-logout redirect",
                    &back,
                    match &result {
                        Ok(_) => "accepted: state matched; the server ended the session".into(),
                        Err(e) => format!("rejected: {e}"),
                    },
                ));
                self.save_transcript(&client.id, Some(&id), "logout", &transcript).await;
                if let Err(e) = result {
                    self.event(&client.id, Some(&id), "logout_failed", &e.to_string()).await;
                    return Err(e.into());
                }
                out.ended_at_server = true;
            }
        }
        if rec.view.status != GrantStatus::Revoked {
            match self.revoke(GrantRef::Id(&id), RevokeWhich::All).await {
                Ok(_) => out.revoked = true,
                Err(CoreError::MissingEndpoint(_)) => out.revoke_note = Some("the server has no revocation endpoint: the tokens stay valid until they expire".into()),
                Err(e) => {
                    // Forgetting tokens the server still honours would hide them: keep the grant.
                    out.revoke_note = Some(format!("revocation failed, so the grant was kept: {e}"));
                    self.event(&client.id, Some(&id), "logged_out", "session ended at the server; revocation failed, grant kept").await;
                    return Ok(out);
                }
            }
        }
        self.forget_grant(&id).await?;
        out.forgotten = true;
        let detail = match (out.ended_at_server, out.revoked) {
            (true, true) => "session ended at the server; tokens revoked and forgotten",
            (true, false) => "session ended at the server; tokens forgotten",
            (false, true) => "tokens revoked and forgotten (local end of session)",
            (false, false) => "tokens forgotten (local end of session)",
        };
        self.event(&client.id, Some(&id), "logged_out", detail)
            .await;
        Ok(out)
    }
}
