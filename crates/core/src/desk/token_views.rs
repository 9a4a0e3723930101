//! A grant's tokens as the inspector shows them (decoded, never raw), the one explicit reveal,
//! and forgetting a grant. Decoding a pasted token is `decode`'s.

use super::keychain_write::SecretChange;
use super::{Desk, GrantRef};
use crate::error::{CoreError, Result};
use crate::model::GrantView;
use crate::store;
use oauthdesk_protocol::{AccessToken, IdToken, RefreshToken, jose};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A JWT's decoded parts. The signature is shown as its length only: it is not secret, but it
/// is also of no use to read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct JwtParts {
    pub header: serde_json::Value,
    /// `null` for JWE: the payload is encrypted.
    pub claims: Option<serde_json::Value>,
    pub encrypted: bool,
    pub signature_length: usize,
}

impl JwtParts {
    pub(super) fn of(token: &str) -> Option<Self> {
        let d = jose::decode(token)?;
        let signature_length = token.rsplit('.').next().map(str::len).unwrap_or(0);
        Some(Self {
            header: d.header,
            claims: d.claims,
            encrypted: d.encrypted,
            signature_length,
        })
    }
}

/// One token of a grant as the inspector shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TokenInfo {
    pub present: bool,
    /// `eyJhbG…(812 chars)`: enough to recognise, not to use.
    pub preview: Option<String>,
    /// Decoded when the token is a JWT; `null` for opaque tokens.
    pub jwt: Option<JwtParts>,
}

impl TokenInfo {
    fn of(token: Option<&str>) -> Self {
        Self {
            present: token.is_some(),
            preview: token.map(oauthdesk_protocol::secret::preview),
            jwt: token.and_then(JwtParts::of),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct GrantInspection {
    pub grant: GrantView,
    pub access_token: TokenInfo,
    pub refresh_token: TokenInfo,
    pub id_token: TokenInfo,
    /// What the grant holds now (crate::grant_state): the same words as its list row.
    pub tokens: crate::grant_state::TokenStates,
    /// `authorization_details` requested beside granted, per type (RFC 9396 §7).
    pub authorization_details: Vec<oauthdesk_protocol::rar::DetailComparison>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Access,
    Refresh,
    Id,
}

impl Desk {
    pub async fn inspect_grant(&self, id: &str) -> Result<GrantInspection> {
        let (_, rec) = self.resolve_stored(GrantRef::Id(id), false).await?;
        let tokens =
            if rec.view.has_access_token || rec.view.has_refresh_token || rec.view.has_id_token {
                self.load_tokens(&rec).await?
            } else {
                Default::default()
            };
        Ok(GrantInspection {
            access_token: TokenInfo::of(tokens.access_token.as_ref().map(AccessToken::expose)),
            refresh_token: TokenInfo::of(tokens.refresh_token.as_ref().map(RefreshToken::expose)),
            id_token: TokenInfo::of(tokens.id_token.as_ref().map(IdToken::expose)),
            tokens: crate::grant_state::TokenStates::of_view(&rec.view, self.now()),
            authorization_details: super::rar::compare_grant(&rec.view),
            grant: rec.view,
        })
    }

    /// The one way a raw token leaves the keychain for the UI: an explicit reveal or copy.
    /// The plain `String` is the point: whoever calls this has asked for the value.
    pub async fn reveal_token(&self, id: &str, which: TokenKind) -> Result<String> {
        let (_, rec) = self.resolve_stored(GrantRef::Id(id), false).await?;
        let tokens = self.load_tokens(&rec).await?;
        let token = match which {
            TokenKind::Access => tokens.access_token.map(|t| t.expose().to_owned()),
            TokenKind::Refresh => tokens.refresh_token.map(|t| t.expose().to_owned()),
            TokenKind::Id => tokens.id_token.map(|t| t.expose().to_owned()),
        };
        token.ok_or_else(|| CoreError::InvalidInput("the grant holds no such token".into()))
    }

    /// Deletes a grant and its keychain item without contacting the server.
    pub async fn forget_grant(&self, id: &str) -> Result<()> {
        let (client, rec) = self.resolve_stored(GrantRef::Id(id), false).await?;
        let owned_id = id.to_owned();
        self.write_together(
            vec![SecretChange::Delete(rec.secret_ref.clone())],
            move |db| async move { store::grants::delete(&db, &owned_id).await },
        )
        .await?;
        self.event(
            &client.id,
            Some(id),
            "forgotten",
            "removed locally; not revoked at the server",
        )
        .await;
        Ok(())
    }
}
