//! When an API refuses a call: what its challenge means, in words (`explain`), and the new
//! login that would satisfy it — a step-up: the grant's scopes with the challenge's,
//! `acr_values` / `max_age` with `prompt=login` (RFC 9470 §3, OIDC Core §3.1.2.1), the same
//! resource (RFC 8707) or the API's own when the token was for another. A step-up is one new
//! login and one retry of the call, never more: what the retry answers is reported as it is.

pub(crate) mod explain;
pub(crate) mod invalid_token;
mod plan;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod token_tests;

use super::call_api::{ApiRequest, ApiResponse};
use super::{Desk, GrantRef, LoginOptions};
use crate::error::{CoreError, Result};
use crate::model::{GrantType, GrantView, Progress};
use crate::store;
use oauthdesk_protocol::text::escape_controls;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of refusal an API's challenge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeKind {
    /// RFC 6750 §3.1.
    InsufficientScope,
    /// RFC 9470 §3.
    InsufficientUserAuthentication,
    /// RFC 6750 §3.1.
    InvalidToken,
    /// RFC 6750 §3.1.
    InvalidRequest,
    /// RFC 9449 §9.
    UseDpopNonce,
    /// RFC 9449 §7.1.
    InvalidDpopProof,
    /// An error code no OAuth spec defines.
    OtherError,
    /// A Bearer or DPoP challenge without an error code.
    NoError,
    /// Only challenges of other schemes (Basic, Negotiate, …).
    NotOauth,
    /// No `WWW-Authenticate` at all.
    NoChallenge,
}

/// Why an `invalid_token` was refused, as far as OAuth Desk can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TokenVerdict {
    /// The grant is revoked.
    Revoked,
    /// The token's `exp` (or the grant's expiry) has passed.
    Expired,
    /// The token's audience or requested resource is not the API's resource (RFC 9728 §2).
    OtherResource,
    /// None of the above is visible.
    NotExplained,
}

/// An API's refusal explained: `summary` in one sentence with its section, `details` the facts
/// behind it, `problems` what was malformed in the challenge or its metadata. Values are as
/// sent (escape them before showing; the sentences are already display-safe).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CallChallenge {
    pub kind: ChallengeKind,
    /// The scheme of the challenge explained (`Bearer`, `DPoP`, as sent).
    pub scheme: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub summary: String,
    pub details: Vec<String>,
    /// The challenge's `scope` (RFC 6750 §3).
    pub required_scopes: Vec<String>,
    /// Of those, the ones the grant was not granted.
    pub missing_scopes: Vec<String>,
    /// RFC 9470 §3.
    pub acr_values: Vec<String>,
    pub max_age: Option<u64>,
    pub token: Option<TokenVerdict>,
    /// RFC 9728 §5.1, as the challenge named it.
    pub resource_metadata: Option<String>,
    /// The resource the API's metadata names, when it was fetched and could be used.
    pub api_resource: Option<String>,
    pub problems: Vec<String>,
}

/// What a re-authorization would ask for. It comes back from the GUI as it was sent there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StepUpPlan {
    /// The grant whose call was refused.
    pub grant_id: String,
    /// Its client's name.
    pub client: String,
    pub grant_type: GrantType,
    /// Space-separated: the grant's scopes and the challenge's.
    pub scope: String,
    /// The scopes the grant did not ask for before.
    pub added_scopes: Vec<String>,
    pub acr_values: Vec<String>,
    pub max_age: Option<u64>,
    /// `prompt=login` (OIDC Core §3.1.2.1): the user authenticates again.
    pub prompt_login: bool,
    /// The resource indicator (RFC 8707).
    pub resource: Option<String>,
    pub reason: String,
    pub notes: Vec<String>,
}

impl StepUpPlan {
    /// The parameters the login adds to the client's own.
    pub fn extra_params(&self) -> Vec<(String, String)> {
        let mut p = Vec::new();
        if let Some(r) = &self.resource {
            p.push(("resource".to_owned(), r.clone()));
        }
        if !self.acr_values.is_empty() {
            p.push(("acr_values".to_owned(), self.acr_values.join(" ")));
        }
        if let Some(m) = self.max_age {
            p.push(("max_age".to_owned(), m.to_string()));
        }
        if self.prompt_login {
            p.push(("prompt".to_owned(), "login".to_owned()));
        }
        p
    }

    /// The login's options: the grant's own type, the plan's scope and parameters.
    pub fn login_options(&self) -> Result<LoginOptions> {
        match self.grant_type {
            GrantType::AuthorizationCode
            | GrantType::Implicit
            | GrantType::DeviceCode
            | GrantType::ClientCredentials => {}
            GrantType::Password
            | GrantType::TokenExchange
            | GrantType::Ciba
            | GrantType::JwtBearer => {
                return Err(CoreError::InvalidInput(format!(
                    "a {} grant cannot be re-authorized by OAuth Desk; log in again yourself",
                    self.grant_type.as_str()
                )));
            }
        }
        let text = |s: &str| s.chars().any(char::is_control);
        if text(&self.scope)
            || self.acr_values.iter().any(|a| text(a) || a.contains(' '))
            || self.resource.as_deref().is_some_and(text)
        {
            return Err(CoreError::InvalidInput(
                "the step-up plan holds a control character or a malformed acr value".into(),
            ));
        }
        let mut opts = LoginOptions::new(self.grant_type);
        opts.scope = Some(self.scope.clone());
        opts.extra_params = self.extra_params();
        Ok(opts)
    }
}

/// A step-up done: the new grant and what the one retry of the call answered.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SteppedUp {
    pub grant: GrantView,
    pub response: ApiResponse,
    /// What the new grant holds against what was asked for (an `acr` the server did not give).
    pub notes: Vec<String>,
}

impl Desk {
    /// Logs in again as `plan` says, through the ordinary login (the new grant is stored and
    /// becomes the client's current one).
    /// `no_open` prints the authorization URL instead of opening the browser.
    pub async fn step_up(
        &self,
        plan: &StepUpPlan,
        no_open: bool,
        progress: Progress,
    ) -> Result<GrantView> {
        let mut opts = plan.login_options()?;
        opts.no_open = no_open;
        self.login(&plan.client, opts, progress).await
    }

    /// The plan for a client whose grant needs a new login (revoked, refused refresh): what its
    /// newest grant asked for, again. `None` when the client never had a grant.
    pub async fn login_again_plan(&self, client: &str, why: &str) -> Result<Option<StepUpPlan>> {
        let c = self.client(client).await?;
        let Some(rec) = store::grants::list(&self.db, Some(&c.id))
            .await?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let v = rec.view;
        let why = match v.status {
            crate::model::GrantStatus::Revoked => "its last grant was revoked",
            crate::model::GrantStatus::NeedsLogin => "its last grant's refresh was refused",
            crate::model::GrantStatus::Active => why,
        };
        Ok(Some(StepUpPlan {
            grant_id: v.id,
            client: c.name,
            grant_type: v.grant_type,
            scope: v.scopes_requested,
            added_scopes: vec![],
            acr_values: vec![],
            max_age: rec.request.max_age.and_then(|m| u64::try_from(m).ok()),
            prompt_login: false,
            resource: rec.request.resource,
            reason: format!(
                "A login is needed ({}): a new one asks for what the last grant asked for.",
                escape_controls(why, false)
            ),
            notes: vec![],
        }))
    }

    /// [`Desk::step_up`], then the call once more with the new grant. Never more than once: the
    /// retry's answer carries its own explanation, and nothing follows it.
    pub async fn step_up_and_retry(
        &self,
        plan: &StepUpPlan,
        request: ApiRequest,
        no_open: bool,
        progress: Progress,
    ) -> Result<SteppedUp> {
        let grant = self.step_up(plan, no_open, progress).await?;
        let notes = plan.shortfalls(&grant);
        let response = self.call_api(GrantRef::Id(&grant.id), request).await?;
        Ok(SteppedUp {
            grant,
            response,
            notes,
        })
    }
}

impl StepUpPlan {
    /// Where the new grant holds less than the plan asked for: scopes not granted, another
    /// `acr` (RFC 9470 §3), in words.
    pub fn shortfalls(&self, grant: &GrantView) -> Vec<String> {
        obtained_notes(self, grant)
    }
}

fn obtained_notes(plan: &StepUpPlan, grant: &GrantView) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(g) = &grant.scopes_granted {
        let granted = super::split_scopes(g);
        let short: Vec<&String> = plan
            .added_scopes
            .iter()
            .filter(|s| !granted.contains(s))
            .collect();
        if !short.is_empty() {
            notes.push(format!(
                "The server did not grant {} (granted: {}).",
                short
                    .iter()
                    .map(|s| escape_controls(s, false))
                    .collect::<Vec<_>>()
                    .join(" "),
                escape_controls(g, false)
            ));
        }
    }
    if !plan.acr_values.is_empty() {
        let acr = grant.claims.as_ref().and_then(|c| {
            ["access_token", "id_token"]
                .iter()
                .find_map(|k| c.get(k)?.get("acr")?.as_str().map(str::to_owned))
        });
        match acr {
            Some(a) if plan.acr_values.contains(&a) => {}
            Some(a) => notes.push(format!(
                "The new tokens say acr {}, not one of the {} asked for (RFC 9470 §3).",
                escape_controls(&a, false),
                escape_controls(&plan.acr_values.join(" "), false)
            )),
            None => notes.push(
                "The new tokens state no acr: whether the server authenticated as asked is not visible."
                    .into(),
            ),
        }
    }
    notes
}
