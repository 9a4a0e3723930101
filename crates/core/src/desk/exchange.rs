//! Token exchange (RFC 8693): a client trades a subject token (and optionally an actor token),
//! from a stored grant or pasted, for a new token with another audience, resource or scope.
//! The result is stored as a grant of the exchanging client, like any other.

use super::Desk;
use super::clients::{endpoint, normalize_scopes};
use super::login::Obtained;
use super::token_views::TokenKind;
use crate::error::{CoreError, Result};
use crate::model::{GrantType, GrantView};
use crate::store::grants::AuthRequestFacts;
use oauthdesk_protocol::SubjectToken;
use oauthdesk_protocol::grant::{self, TOKEN_TYPE_ACCESS, TOKEN_TYPE_ID, TOKEN_TYPE_REFRESH};
use oauthdesk_protocol::transcript::Transcript;
use serde::Deserialize;
use ts_rs::TS;

/// Where a subject or actor token comes from.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TokenSource {
    /// One of a stored grant's tokens (read from the keychain, never shown).
    Grant { grant_id: String, token: TokenKind },
    /// A token given by the user, with its RFC 8693 type URI.
    Pasted {
        #[ts(type = "string")]
        token: SubjectToken,
        token_type: String,
    },
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ExchangeRequest {
    pub subject: TokenSource,
    #[serde(default)]
    pub actor: Option<TokenSource>,
    #[serde(default)]
    pub requested_token_type: Option<String>,
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub resource: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
}

impl Desk {
    async fn source_token(&self, source: &TokenSource) -> Result<(SubjectToken, String)> {
        match source {
            TokenSource::Pasted { token, token_type } => {
                if token.expose().trim().is_empty() {
                    return Err(CoreError::InvalidInput("the pasted token is empty".into()));
                }
                let t = if token_type.trim().is_empty() {
                    TOKEN_TYPE_ACCESS.to_owned()
                } else {
                    token_type.trim().to_owned()
                };
                Ok((SubjectToken::new(token.expose().trim()), t))
            }
            TokenSource::Grant { grant_id, token } => {
                let t = self.reveal_token(grant_id, *token).await?;
                let kind = match token {
                    TokenKind::Access => TOKEN_TYPE_ACCESS,
                    TokenKind::Refresh => TOKEN_TYPE_REFRESH,
                    TokenKind::Id => TOKEN_TYPE_ID,
                };
                Ok((SubjectToken::new(t), kind.to_owned()))
            }
        }
    }

    /// Exchanges tokens at `client`'s token endpoint (authenticating as `client`) and stores the
    /// issued token as a new grant of it.
    pub async fn exchange(&self, client: &str, req: ExchangeRequest) -> Result<GrantView> {
        // `{{variables}}` filled from the active environment.
        let client = self.client_in_use(self.client(client).await?).await?.client;
        let token_endpoint = endpoint(&client, &client.endpoints.token, "token")?;
        let auth = self.client_auth(&client).await?;
        let (subject, subject_type) = self.source_token(&req.subject).await?;
        let actor = match &req.actor {
            Some(a) => Some(self.source_token(a).await?),
            None => None,
        };
        let scope = normalize_scopes(req.scope.as_deref().unwrap_or(""));
        let params = grant::token_exchange_params(
            (&subject, &subject_type),
            actor.as_ref().map(|(t, k)| (t, k.as_str())),
            req.requested_token_type.as_deref(),
            req.audience.as_deref(),
            req.resource.as_deref(),
            &scope,
        );
        let transcript = Transcript::default();
        let result = grant::token_request(
            &self.http_for(&client).await?,
            &transcript,
            "token request (token exchange, RFC 8693)",
            &token_endpoint,
            &auth,
            params,
        )
        .await;
        let stored = match result {
            Ok(token) => {
                let issued = token.issued_token_type.clone();
                let facts = AuthRequestFacts {
                    nonce: None,
                    max_age: None,
                    resource: req.resource.clone().filter(|r| !r.is_empty()),
                    audience: req.audience.clone().filter(|a| !a.is_empty()),
                    authorization_details: None,
                };
                self.store_new_grant(
                    &client,
                    GrantType::TokenExchange,
                    &scope,
                    Obtained {
                        token,
                        nonce: None,
                        code: None,
                    },
                    facts,
                    &transcript,
                )
                .await
                .map(|v| (v, issued))
            }
            Err(e) => Err(e.into()),
        };
        match &stored {
            Ok((view, issued)) => {
                self.save_transcript(&client.id, Some(&view.id), "token exchange", &transcript)
                    .await;
                let detail = format!(
                    "token exchange (RFC 8693) of a {subject_type}; issued {}",
                    issued
                        .as_deref()
                        .unwrap_or("a token (no issued_token_type: RFC 8693 §2.2.1 requires it)")
                );
                self.event(&client.id, Some(&view.id), "issued", &detail)
                    .await;
            }
            Err(e) => {
                self.save_transcript(&client.id, None, "token exchange", &transcript)
                    .await;
                self.event(&client.id, None, "exchange_failed", &e.to_string())
                    .await;
            }
        }
        stored.map(|(v, _)| v)
    }
}
