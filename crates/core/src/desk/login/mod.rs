//! Obtaining a grant: authorization code (PKCE, state, nonce, loopback), device code, client
//! credentials, and the legacy password and implicit grants. Each flow's exchanges are saved
//! to the transcript whether it succeeds or not.

mod browser;
mod ciba;
mod jar;
mod jarm;
mod jwt_bearer;

pub(crate) use jar::registered_jar_mode;
pub(crate) use jarm::checked_response_mode;
pub(crate) mod rar;

pub use ciba::CibaOptions;
pub use jwt_bearer::JwtBearerOptions;

use super::Desk;
use super::clients::{endpoint, normalize_scopes};
use super::keychain_write::SecretChange;
use crate::error::{CoreError, Result};
use crate::model::{Client, FlowEvent, GrantStatus, GrantType, GrantView, Progress, RerunOptions};
use crate::secrets::GrantTokens;
use crate::store::{
    self,
    grants::{AuthRequestFacts, GrantRecord},
};
use oauthdesk_protocol::authorize::{AuthorizationParams, build_authorization_request};
use oauthdesk_protocol::client_auth::ClientAuth;
use oauthdesk_protocol::grant::{self, TokenResponse, device};
use oauthdesk_protocol::http::HttpResponse;
use oauthdesk_protocol::jose;
use oauthdesk_protocol::loopback::{CallbackExpectation, LoopbackListener};
use oauthdesk_protocol::par;
use oauthdesk_protocol::transcript::{self, Exchange, RecordedRequest, Transcript};
use oauthdesk_protocol::{AccessToken, AuthorizationCode, IdToken, Password, ProtocolError};

#[derive(Debug, Clone)]
pub struct LoginOptions {
    pub grant: GrantType,
    /// Overrides the client's default scopes.
    pub scope: Option<String>,
    /// Added to (and overriding) the client's extra parameters.
    pub extra_params: Vec<(String, String)>,
    pub username: Option<String>,
    pub password: Option<Password>,
    /// Print the URL instead of launching the browser.
    pub no_open: bool,
    /// `authorization_details` (RFC 9396) for this login, instead of the client's default.
    pub authorization_details: Option<serde_json::Value>,
    /// CIBA: who is asked, the binding message, the delivery mode.
    pub ciba: CibaOptions,
    /// RFC 7523 §2.1: the assertion, or claims for one signed with the client's key.
    pub jwt_bearer: JwtBearerOptions,
}

impl LoginOptions {
    pub fn new(grant: GrantType) -> Self {
        Self {
            grant,
            scope: None,
            extra_params: vec![],
            username: None,
            password: None,
            no_open: false,
            authorization_details: None,
            ciba: CibaOptions::default(),
            jwt_bearer: JwtBearerOptions::default(),
        }
    }
}

/// What a flow obtained, before it is stored.
pub(super) struct Obtained {
    pub(super) token: TokenResponse,
    pub(super) nonce: Option<String>,
    /// The authorization code, kept only until the ID token's `c_hash` is checked.
    pub(super) code: Option<AuthorizationCode>,
}

/// What every part of a login works with: the client and its credentials, the options, the
/// scope and extra parameters as they will be sent, where exchanges are recorded and progress
/// goes.
#[derive(Clone, Copy)]
pub(super) struct Flow<'a> {
    pub client: &'a Client,
    pub auth: &'a ClientAuth,
    pub opts: &'a LoginOptions,
    pub scope: &'a str,
    pub extra: &'a [(String, String)],
    pub transcript: &'a Transcript,
    pub progress: &'a Progress,
}

impl Desk {
    /// Runs a login. An error never quotes a secret variable value filled into the client.
    pub async fn login(
        &self,
        name: &str,
        opts: LoginOptions,
        progress: Progress,
    ) -> Result<GrantView> {
        self.login_unmasked(name, opts, progress)
            .await
            .map_err(|e| self.masked_error(e))
    }

    async fn login_unmasked(
        &self,
        name: &str,
        opts: LoginOptions,
        progress: Progress,
    ) -> Result<GrantView> {
        // `{{variables}}` filled from the active environment, at the moment of use.
        let in_use = self.client_in_use(self.client(name).await?).await?;
        let client = in_use.client.clone();
        let flow_id = uuid::Uuid::new_v4().to_string();
        progress(FlowEvent::Started {
            flow_id: flow_id.clone(),
        });
        // Before any browser opens: a consent the keychain then cannot store is wasted.
        // Reading a stored client secret proves the keychain works; public clients probe it.
        if client.secret_ref.is_none() {
            self.keychain_status().await?;
        }
        let auth = self.client_auth(&client).await?;
        let scope = normalize_scopes(opts.scope.as_deref().unwrap_or(&client.scopes));
        // The flow's own parameters replace the client's of the same name; repeated names (several
        // `resource`s, RFC 8707) are all kept.
        let mut extra: Vec<(String, String)> = client
            .extra_params
            .iter()
            .filter(|(k, _)| !opts.extra_params.iter().any(|(o, _)| o == k))
            .cloned()
            .collect();
        extra.extend(opts.extra_params.iter().cloned());
        // RFC 9396: checked (and refused in words) before anything is sent.
        let details_requested = rar::apply(
            &client,
            opts.grant,
            opts.authorization_details.as_ref(),
            &mut extra,
            &progress,
        )?;
        let live = progress.clone();
        let hidden = in_use.secrets.clone();
        // Each exchange goes out live once; device polls answered "not yet" are summed up by
        // the `DevicePoll` status instead (they are all still saved in the transcript).
        let transcript = Transcript::observed(std::sync::Arc::new(move |e| {
            if !transcript::is_expected_poll_answer(e) {
                live(FlowEvent::Exchange {
                    exchange: super::substitution::mask_exchange(e.clone(), &hidden),
                })
            }
        }));
        let context = Flow {
            client: &client,
            auth: &auth,
            opts: &opts,
            scope: &scope,
            extra: &extra,
            transcript: &transcript,
            progress: &progress,
        };
        let flow = match opts.grant {
            GrantType::AuthorizationCode | GrantType::Implicit => self.browser_flow(&context).await,
            GrantType::DeviceCode => self.device_flow(&context).await,
            GrantType::Ciba => self.ciba_flow(&context).await,
            GrantType::JwtBearer => self.jwt_bearer_flow(&context).await,
            GrantType::TokenExchange => Err(CoreError::InvalidInput("a token exchange starts from another token: use `oauthdesk exchange` (or Exchange… on a grant)".into())),
            GrantType::ClientCredentials => {
                let mut params = grant::client_credentials_params(&scope);
                params.extend(extra.iter().cloned());
                self.direct_grant(&client, &auth, params, "token request (client_credentials)", &transcript).await
            }
            GrantType::Password => {
                let username = opts.username.as_deref().filter(|u| !u.is_empty()).ok_or_else(|| CoreError::InvalidInput("the password grant needs --username".into()))?;
                let password = opts.password.as_ref().ok_or_else(|| CoreError::InvalidInput("the password grant needs the password on stdin (--password-stdin)".into()))?;
                let mut params = grant::password_params(username, password, &scope);
                params.extend(extra.iter().cloned());
                self.direct_grant(&client, &auth, params, "token request (password, legacy)", &transcript).await
            }
        };
        let param = |name: &str| {
            extra
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let facts = AuthRequestFacts {
            nonce: None,
            max_age: param("max_age").and_then(|m| m.trim().parse().ok()),
            resource: param("resource"),
            audience: param("audience"),
            authorization_details: details_requested,
        };
        let stored = match flow {
            Ok(obtained) => {
                self.store_new_grant(&client, opts.grant, &scope, obtained, facts, &transcript)
                    .await
            }
            Err(e) => Err(e),
        };
        match &stored {
            Ok(view) => {
                let _ = self.bind_grant_environment(&in_use, &view.id).await;
                self.save_flow(&flow_id, &client.id, Some(&view.id), "login", &transcript)
                    .await;
                let detail = format!(
                    "{} grant; scopes granted: {}",
                    opts.grant.as_str(),
                    view.scopes_granted.as_deref().unwrap_or("as requested")
                );
                self.login_event(
                    &client.id,
                    Some(&view.id),
                    "issued",
                    &detail,
                    &flow_id,
                    &opts,
                )
                .await;
                progress(FlowEvent::TokenReceived {
                    grant_id: view.id.clone(),
                });
            }
            Err(e) => {
                self.save_flow(&flow_id, &client.id, None, "login", &transcript)
                    .await;
                self.login_event(
                    &client.id,
                    None,
                    "login_failed",
                    &e.to_string(),
                    &flow_id,
                    &opts,
                )
                .await;
            }
        }
        stored
    }

    /// A login's history event: it names the flow (its transcript) and keeps the options to run
    /// it again, without the password or any extra parameter named like a secret.
    async fn login_event(
        &self,
        client_id: &str,
        grant_id: Option<&str>,
        kind: &str,
        detail: &str,
        flow_id: &str,
        opts: &LoginOptions,
    ) {
        let rerun = rerun_options(opts);
        let _ = store::history::record_flow_event(
            &self.db,
            self.now(),
            client_id,
            grant_id,
            kind,
            detail,
            Some(flow_id),
            Some(&rerun),
        )
        .await;
    }

    async fn direct_grant(
        &self,
        client: &Client,
        auth: &ClientAuth,
        params: Vec<(String, String)>,
        step: &str,
        transcript: &Transcript,
    ) -> Result<Obtained> {
        let token_endpoint = endpoint(client, &client.endpoints.token, "token")?;
        let token = grant::token_request(
            &self.http_for(client).await?,
            transcript,
            step,
            &token_endpoint,
            auth,
            params,
        )
        .await?;
        Ok(Obtained {
            token,
            nonce: None,
            code: None,
        })
    }

    async fn device_flow(&self, flow: &Flow<'_>) -> Result<Obtained> {
        let Flow {
            client,
            auth,
            opts,
            scope,
            extra,
            transcript,
            progress,
        } = *flow;
        let device_endpoint = endpoint(
            client,
            &client.endpoints.device_authorization,
            "device-authorization",
        )?;
        let token_endpoint = endpoint(client, &client.endpoints.token, "token")?;
        let da = device::request_device_authorization(
            &self.http_for(client).await?,
            transcript,
            &device_endpoint,
            auth,
            scope,
            extra,
        )
        .await?;
        let target = da
            .verification_uri_complete
            .clone()
            .unwrap_or_else(|| da.verification_uri.clone());
        let opened = !opts.no_open && self.config.launcher.open(&target).is_ok();
        progress(FlowEvent::DeviceCode {
            user_code: da.user_code.clone(),
            verification_uri: da.verification_uri.clone(),
            verification_uri_complete: da.verification_uri_complete.clone(),
            expires_in: da.expires_in,
            opened,
        });
        let report = |s: &device::PollStatus| {
            progress(FlowEvent::DevicePoll {
                remaining_secs: s.remaining_secs,
                next_poll_in_secs: s.next_poll_in_secs,
                interval_secs: s.interval_secs,
                polls: s.polls,
                last: s.last.into(),
            })
        };
        let mut token = device::poll_for_token(
            &self.http_for(client).await?,
            transcript,
            &token_endpoint,
            auth,
            &da,
            &report,
        )
        .await?;
        token.deviations.extend(da.deviations);
        Ok(Obtained {
            token,
            nonce: None,
            code: None,
        })
    }

    pub(super) async fn store_new_grant(
        &self,
        client: &Client,
        grant_type: GrantType,
        scope: &str,
        obtained: Obtained,
        mut facts: AuthRequestFacts,
        transcript: &Transcript,
    ) -> Result<GrantView> {
        let token = obtained.token;
        facts.nonce = obtained.nonce;
        if let Some(id_token) = &token.id_token {
            let checks = self
                .validate_login_id_token(
                    client,
                    &facts,
                    id_token.expose(),
                    token.access_token.expose(),
                    obtained.code.as_ref().map(AuthorizationCode::expose),
                    grant_type == GrantType::Implicit,
                    transcript,
                )
                .await;
            let failed: Vec<_> = checks.into_iter().filter(|c| c.failed()).collect();
            if !failed.is_empty() {
                return Err(CoreError::IdToken { checks: failed });
            }
        }
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let tokens = GrantTokens {
            access_token: Some(token.access_token.clone()),
            refresh_token: token.refresh_token.clone(),
            id_token: token.id_token.clone(),
        };
        let claims = claims_summary(&tokens);
        let details_granted = rar::granted(token.authorization_details.as_ref(), claims.as_ref());
        let details_requested = facts.authorization_details.clone();
        let record = GrantRecord {
            client_id: client.id.clone(),
            secret_ref: format!("grant/{id}"),
            request: facts,
            refresh_started_at: None,
            token_rejected_at: None,
            view: GrantView {
                id,
                client: client.name.clone(),
                grant_type,
                status: GrantStatus::Active,
                scopes_requested: scope.to_owned(),
                scopes_granted: token.scope.clone(),
                token_type: token.token_type.clone(),
                has_access_token: true,
                has_refresh_token: token.refresh_token.is_some(),
                has_id_token: token.id_token.is_some(),
                expires_at: grant::expiry_at(now, token.expires_in),
                issued_at: now,
                refreshed_at: None,
                last_used_at: None,
                last_used_by: None,
                refresh_count: 0,
                subject: subject_of(&claims),
                claims,
                deviations: token.deviations.clone(),
                revoked_at: None,
                auto_refresh: false,
                authorization_details_requested: details_requested,
                authorization_details_granted: details_granted,
            },
        };
        let change = SecretChange::Create(record.secret_ref.clone(), tokens.to_keychain());
        let view = record.view.clone();
        self.write_together(vec![change], move |db| async move {
            store::grants::insert(&db, &record).await
        })
        .await?;
        Ok(view)
    }
}

/// What "run again" needs of a login's options; never a secret.
pub(super) fn rerun_options(opts: &LoginOptions) -> RerunOptions {
    RerunOptions {
        grant: opts.grant,
        scope: opts.scope.clone(),
        extra_params: opts
            .extra_params
            .iter()
            .filter(|(k, _)| !transcript::is_secret_key(k))
            .cloned()
            .collect(),
        username: opts.username.clone(),
    }
}

/// The `resource` indicators (RFC 8707) among a request's extra parameters.
pub(super) fn resource_params(extra: &[(String, String)]) -> Vec<(String, String)> {
    extra
        .iter()
        .filter(|(k, _)| k == "resource")
        .cloned()
        .collect()
}

/// Decoded claims of the ID token and of a JWT access token. Claims are not secrets; tokens are.
pub(super) fn claims_summary(tokens: &GrantTokens) -> Option<serde_json::Value> {
    let claims = |t: Option<&str>| jose::decode(t?).and_then(|d| d.claims);
    let (id, access) = (
        claims(tokens.id_token.as_ref().map(IdToken::expose)),
        claims(tokens.access_token.as_ref().map(AccessToken::expose)),
    );
    if id.is_none() && access.is_none() {
        return None;
    }
    Some(serde_json::json!({ "id_token": id, "access_token": access }))
}

pub(super) fn subject_of(claims: &Option<serde_json::Value>) -> Option<String> {
    let c = claims.as_ref()?;
    ["id_token", "access_token"]
        .iter()
        .find_map(|k| c.get(k)?.get("sub")?.as_str().map(str::to_owned))
}
