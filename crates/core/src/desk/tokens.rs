//! Using a grant: a valid access token (refreshing when needed, single-flight across
//! processes), explicit refresh, revocation, introspection and userinfo.

use super::Desk;
use super::clients::endpoint;
use super::keychain_write::SecretChange;
use crate::error::{CoreError, Result};
use crate::lock::lock_grant;
use crate::model::{Client, GrantStatus, GrantView};
use crate::secrets::GrantTokens;
use crate::store::{self, grants::GrantRecord};
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::{AccessToken, HintedToken, RefreshToken, introspect, revoke, userinfo};

/// Which grant an action is for: the client's current one (CLI) or a specific one (GUI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantRef<'a> {
    /// The newest grant of the named client that is not revoked.
    Current(&'a str),
    /// A grant by id.
    Id(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RevokeWhich {
    Access,
    Refresh,
    All,
}

/// How long a bookkeeping write may wait for the database before it is skipped.
const BOOKKEEPING_WAIT: std::time::Duration = std::time::Duration::from_millis(200);

impl Desk {
    pub async fn grants(&self, client: Option<&str>) -> Result<Vec<GrantView>> {
        self.each_grant(client, Vec::new(), |all, g| {
            all.push(g);
            Ok(true)
        })
        .await
    }

    /// Every grant of the named client (or of all), newest issued first, to `visit` (with
    /// `state`) until it returns `false`; gives `state` back. The store is read on one blocking
    /// thread that also runs `visit` (`store/scan.rs`): rows are decoded one at a time, never
    /// collected, and never handed across threads one by one.
    pub async fn each_grant<S, V>(&self, client: Option<&str>, state: S, visit: V) -> Result<S>
    where
        S: Send + 'static,
        V: FnMut(&mut S, GrantView) -> Result<bool> + Send + 'static,
    {
        let query = store::scan::Query {
            client_id: self.client_row_id(client).await?,
            ..Default::default()
        };
        self.scan_grants(query, state, visit).await
    }

    /// The row id of the named client (`None` for every client); an unknown name is an error.
    pub(super) async fn client_row_id(&self, client: Option<&str>) -> Result<Option<String>> {
        Ok(match client {
            Some(name) => Some(self.client(name).await?.id),
            None => None,
        })
    }

    /// [`Desk::each_grant`] for any [`store::scan::Query`].
    pub(super) async fn scan_grants<S, V>(
        &self,
        query: store::scan::Query,
        state: S,
        mut visit: V,
    ) -> Result<S>
    where
        S: Send + 'static,
        V: FnMut(&mut S, GrantView) -> Result<bool> + Send + 'static,
    {
        let source = self.scan.clone();
        self.blocking(move || {
            let mut state = state;
            source.grants(&query, &mut |g| visit(&mut state, g))?;
            Ok(state)
        })
        .await
    }

    /// Runs store reads that block (`store/scan.rs`) on the blocking pool, not on the runtime.
    pub(super) async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| CoreError::Store(format!("the read of the grants stopped: {e}")))?
    }

    /// The client and grant an action is for. `usable` refuses grants that need a new login.
    /// The client's `{{variables}}` are filled from the grant's environment.
    pub(super) async fn resolve(
        &self,
        grant: GrantRef<'_>,
        usable: bool,
    ) -> Result<(Client, GrantRecord)> {
        let (client, rec) = self.resolve_stored(grant, usable).await?;
        let client = self.client_for_grant(client, &rec).await?;
        Ok((client, rec))
    }

    /// [`Desk::resolve`] with the client as stored (templates unfilled): for actions that stay
    /// local (inspect, reveal, forget, auto-refresh marks) and so need no environment.
    pub(super) async fn resolve_stored(
        &self,
        grant: GrantRef<'_>,
        usable: bool,
    ) -> Result<(Client, GrantRecord)> {
        let (client, rec) = match grant {
            GrantRef::Current(name) => {
                let client = self.client(name).await?;
                let rec = self.current_grant_of(&client).await?;
                let rec = rec.ok_or_else(|| CoreError::NeedsLogin {
                    client: client.name.clone(),
                    reason: "no grant yet".into(),
                })?;
                (client, rec)
            }
            GrantRef::Id(id) => {
                let rec = store::grants::by_id(&self.db, id)
                    .await?
                    .ok_or_else(|| CoreError::InvalidInput(format!("no grant with id {id}")))?;
                (store::clients::by_id(&self.db, &rec.client_id).await?, rec)
            }
        };
        if usable && rec.view.status == GrantStatus::NeedsLogin {
            return Err(CoreError::NeedsLogin {
                client: client.name.clone(),
                reason: "its last refresh was refused".into(),
            });
        }
        Ok((client, rec))
    }

    pub(super) async fn load_tokens(&self, rec: &GrantRecord) -> Result<GrantTokens> {
        let secret =
            self.secret_get(&rec.secret_ref)
                .await?
                .ok_or_else(|| CoreError::SecretMissing {
                    key: rec.secret_ref.clone(),
                    what: "grant's tokens",
                })?;
        GrantTokens::from_keychain(&secret)
    }

    /// Holds an access token valid for `min_ttl` more seconds that no tool reported refused.
    fn is_fresh(&self, rec: &GrantRecord, min_ttl: i64) -> bool {
        let v = &rec.view;
        rec.token_rejected_at.is_none()
            && v.has_access_token
            && v.expires_at
                .is_none_or(|e| e.saturating_sub(self.now()) > min_ttl)
    }

    /// A valid access token for the client's current grant, refreshing it when it expires
    /// within `min_ttl` seconds. Concurrent callers (threads or processes) refresh once.
    pub async fn token(
        &self,
        grant: GrantRef<'_>,
        min_ttl: i64,
    ) -> Result<(AccessToken, GrantView)> {
        self.token_for(grant, min_ttl, None).await
    }

    /// [`Desk::token`], recording `used_by` as the grant's "last used by" (a handoff).
    pub(super) async fn token_for(
        &self,
        grant: GrantRef<'_>,
        min_ttl: i64,
        used_by: Option<&str>,
    ) -> Result<(AccessToken, GrantView)> {
        let (client, rec) = self.resolve(grant, true).await?;
        if rec.view.status == GrantStatus::Revoked {
            return Err(CoreError::NeedsLogin {
                client: client.name.clone(),
                reason: "the grant was revoked".into(),
            });
        }
        if self.is_fresh(&rec, min_ttl) {
            return self.hand_out(rec, used_by).await;
        }
        let _lock = lock_grant(self.home().join("locks"), &rec.view.id).await?;
        // Someone else may have refreshed while we waited for the lock.
        let rec = store::grants::by_id(&self.db, &rec.view.id)
            .await?
            .ok_or_else(|| CoreError::NeedsLogin {
                client: client.name.clone(),
                reason: "the grant was removed".into(),
            })?;
        if rec.view.status == GrantStatus::Active && self.is_fresh(&rec, min_ttl) {
            return self.hand_out(rec, used_by).await;
        }
        let view = self.refresh_locked(&client, rec).await?;
        let rec = store::grants::by_id(&self.db, &view.id)
            .await?
            .ok_or_else(|| CoreError::NeedsLogin {
                client: client.name.clone(),
                reason: "the grant was removed".into(),
            })?;
        self.hand_out(rec, used_by).await
    }

    async fn hand_out(
        &self,
        rec: GrantRecord,
        used_by: Option<&str>,
    ) -> Result<(AccessToken, GrantView)> {
        let tokens = self.load_tokens(&rec).await?;
        let access = tokens.access_token.ok_or_else(|| CoreError::NeedsLogin {
            client: rec.view.client.clone(),
            reason: "the access token was revoked".into(),
        })?;
        // Bookkeeping never delays a valid token: another process holding SQLite's write lock
        // (or a read-only store) costs "last used", not 30 s of busy timeout.
        let now = self.now();
        let mut view = rec.view;
        let _ = match used_by {
            Some(by) => {
                let touch = store::grants::set_last_used_by(&self.db, &view.id, now, by);
                view.last_used_by = Some(by.to_owned());
                tokio::time::timeout(BOOKKEEPING_WAIT, touch).await
            }
            None => {
                let touch = store::grants::touch(&self.db, &view.id, now);
                tokio::time::timeout(BOOKKEEPING_WAIT, touch).await
            }
        };
        view.last_used_at = Some(now);
        Ok((access, view))
    }

    /// Revokes tokens of the current grant at the server (RFC 7009) and forgets them locally.
    pub async fn revoke(&self, grant: GrantRef<'_>, which: RevokeWhich) -> Result<GrantView> {
        let (client, rec) = self.resolve(grant, false).await?;
        let revocation = endpoint(&client, &client.endpoints.revocation, "revocation")?;
        let auth = self.client_auth(&client).await?;
        let _lock = lock_grant(self.home().join("locks"), &rec.view.id).await?;
        let mut tokens = self.load_tokens(&rec).await?;
        let transcript = Transcript::default();
        let mut revoked = Vec::new();
        // Refresh first: revoking it SHOULD also invalidate the grant's access tokens (RFC 7009 §2.1).
        if matches!(which, RevokeWhich::Refresh | RevokeWhich::All) {
            match &tokens.refresh_token {
                Some(rt) => {
                    let r = revoke::revoke(
                        &self.http_for(&client).await?,
                        &transcript,
                        &revocation,
                        &auth,
                        HintedToken::Refresh(rt),
                    )
                    .await;
                    self.finish_revoke(&client, &rec, &transcript, r).await?;
                    tokens.refresh_token = None;
                    revoked.push("refresh token");
                }
                None if which == RevokeWhich::Refresh => {
                    return Err(CoreError::InvalidInput(
                        "this grant has no refresh token".into(),
                    ));
                }
                None => {}
            }
        }
        if matches!(which, RevokeWhich::Access | RevokeWhich::All)
            && let Some(at) = &tokens.access_token
        {
            let r = revoke::revoke(
                &self.http_for(&client).await?,
                &transcript,
                &revocation,
                &auth,
                HintedToken::Access(at),
            )
            .await;
            if let Err(e) = self.finish_revoke(&client, &rec, &transcript, r).await {
                if !revoked.is_empty() {
                    // The refresh token is already revoked at the server: store that before
                    // reporting the failure, so the grant shows what is still true.
                    let mut view = rec.view.clone();
                    view.has_refresh_token = false;
                    let change =
                        SecretChange::Replace(rec.secret_ref.clone(), tokens.to_keychain());
                    self.write_together(vec![change], move |db| async move {
                        store::grants::update(&db, &view).await
                    })
                    .await?;
                }
                return Err(e);
            }
            tokens.access_token = None;
            revoked.push("access token");
        }
        let mut view = rec.view.clone();
        view.has_access_token = tokens.access_token.is_some();
        view.has_refresh_token = tokens.refresh_token.is_some();
        if !view.has_refresh_token || which == RevokeWhich::All {
            view.status = GrantStatus::Revoked;
            view.revoked_at = Some(self.now());
        }
        let change = if view.status == GrantStatus::Revoked {
            tokens.id_token = None;
            view.has_id_token = false;
            SecretChange::Delete(rec.secret_ref.clone())
        } else {
            SecretChange::Replace(rec.secret_ref.clone(), tokens.to_keychain())
        };
        let row = view.clone();
        self.write_together(vec![change], move |db| async move {
            store::grants::update(&db, &row).await
        })
        .await?;
        self.save_transcript(&client.id, Some(&view.id), "revoke", &transcript)
            .await;
        self.event(
            &client.id,
            Some(&view.id),
            "revoked",
            &revoked.join(" and "),
        )
        .await;
        Ok(view)
    }

    async fn finish_revoke(
        &self,
        client: &Client,
        rec: &GrantRecord,
        transcript: &Transcript,
        r: oauthdesk_protocol::error::Result<()>,
    ) -> Result<()> {
        if let Err(e) = r {
            self.save_transcript(&client.id, Some(&rec.view.id), "revoke", transcript)
                .await;
            self.event(
                &client.id,
                Some(&rec.view.id),
                "revoke_failed",
                &e.to_string(),
            )
            .await;
            return Err(e.into());
        }
        Ok(())
    }

    /// Introspects the current grant's access token (or refresh token) (RFC 7662).
    pub async fn introspect(
        &self,
        grant: GrantRef<'_>,
        refresh_token: bool,
    ) -> Result<serde_json::Value> {
        let (client, rec) = self.resolve(grant, false).await?;
        let introspection = endpoint(&client, &client.endpoints.introspection, "introspection")?;
        let auth = self.client_auth(&client).await?;
        let tokens = self.load_tokens(&rec).await?;
        let missing = |what: &str| CoreError::InvalidInput(format!("the grant holds no {what}"));
        let token = if refresh_token {
            HintedToken::Refresh(
                tokens
                    .refresh_token
                    .as_ref()
                    .ok_or_else(|| missing(RefreshToken::KIND))?,
            )
        } else {
            HintedToken::Access(
                tokens
                    .access_token
                    .as_ref()
                    .ok_or_else(|| missing(AccessToken::KIND))?,
            )
        };
        let transcript = Transcript::default();
        let result = introspect::introspect(
            &self.http_for(&client).await?,
            &transcript,
            &introspection,
            &auth,
            token,
        )
        .await;
        self.save_transcript(&client.id, Some(&rec.view.id), "introspect", &transcript)
            .await;
        Ok(result?)
    }

    /// Calls the userinfo endpoint with a valid access token (refreshing first when expired).
    pub async fn userinfo(&self, grant: GrantRef<'_>) -> Result<serde_json::Value> {
        let (client, _) = self.resolve(grant, false).await?;
        let userinfo_endpoint = endpoint(&client, &client.endpoints.userinfo, "userinfo")?;
        let (access, view) = self.token(grant, 0).await?;
        let transcript = Transcript::default();
        let dpop = if view.token_type.eq_ignore_ascii_case("dpop") {
            self.dpop_key(&client, false).await?
        } else {
            None
        };
        let result = userinfo::userinfo(
            &self.http_for(&client).await?,
            &transcript,
            &userinfo_endpoint,
            &access,
            dpop.as_ref(),
        )
        .await;
        self.save_transcript(&client.id, Some(&view.id), "userinfo", &transcript)
            .await;
        Ok(result?)
    }
}
