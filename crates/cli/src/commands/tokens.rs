//! The current grant's tokens: `token`, `grants`, `refresh`, `revoke`, `introspect`, `userinfo`
//! and `auto-refresh`.

use super::grant_id_of;
use crate::output::{self, outln};
use oauthdesk_core::{CoreError, Desk, GrantRef, RevokeWhich};

/// Prints the access token itself, or it with its metadata as JSON; logs in first when needed
/// and possible (see `relogin`).
pub async fn token(
    desk: &Desk,
    name: &str,
    min_ttl: i64,
    json: bool,
    login_if_needed: bool,
) -> Result<u8, CoreError> {
    let handoff = oauthdesk_core::Handoff::new("oauthdesk token", None);
    let handed =
        super::relogin::token_or_login(desk, name, handoff, min_ttl, login_if_needed).await?;
    let (token, view) = (handed.token, handed.view);
    if json {
        output::json(&serde_json::json!({
            "access_token": token.expose(),
            "token_type": view.token_type,
            "expires_at": view.expires_at,
            "expires_in": view.expires_in(desk.now()),
            "scope": view.scopes_granted.as_deref().unwrap_or(&view.scopes_requested),
            "grant_id": view.id,
        }));
    } else {
        outln!("{}", token.expose());
    }
    Ok(0)
}

pub async fn grants(
    desk: &Desk,
    name: Option<&str>,
    json: bool,
    now: i64,
) -> Result<u8, CoreError> {
    if json {
        // Streamed: 100 000 grants never sit in memory together.
        let list = output::JsonList::start().map_err(output::bulk_failed)?;
        let list = desk
            .each_grant(name, list, |list, g| list.push(&g).map(|()| true))
            .await
            .map_err(output::bulk_failed)?;
        list.finish().map_err(output::bulk_failed)?;
    } else {
        output::grant_table(&desk.grants(name).await?, now)
    }
    Ok(0)
}

pub async fn refresh(desk: &Desk, name: &str, json: bool, now: i64) -> Result<u8, CoreError> {
    let view = desk.refresh(GrantRef::Current(name)).await?;
    if json {
        output::json(&view)
    } else {
        output::grant_summary("Refreshed", &view, now)
    }
    Ok(0)
}

/// `token` is `access`, `refresh` or `all` (clap allows no other value).
pub async fn revoke(
    desk: &Desk,
    name: &str,
    token: &str,
    json: bool,
    now: i64,
) -> Result<u8, CoreError> {
    let which = match token {
        "access" => RevokeWhich::Access,
        "refresh" => RevokeWhich::Refresh,
        _ => RevokeWhich::All,
    };
    let view = desk.revoke(GrantRef::Current(name), which).await?;
    if json {
        output::json(&view)
    } else {
        output::grant_summary("Revoked", &view, now)
    }
    Ok(0)
}

/// Always JSON: the server's answer is shown as it came.
pub async fn introspect(desk: &Desk, name: &str, refresh_token: bool) -> Result<u8, CoreError> {
    output::json(
        &desk
            .introspect(GrantRef::Current(name), refresh_token)
            .await?,
    );
    Ok(0)
}

/// Always JSON: the server's answer is shown as it came.
pub async fn userinfo(desk: &Desk, name: &str) -> Result<u8, CoreError> {
    output::json(&desk.userinfo(GrantRef::Current(name)).await?);
    Ok(0)
}

pub async fn auto_refresh(
    desk: &Desk,
    name: &str,
    state: &str,
    json: bool,
) -> Result<u8, CoreError> {
    let id = grant_id_of(desk, name).await?;
    let view = desk.set_auto_refresh(&id, state == "on").await?;
    if json {
        output::json(&view);
    } else {
        outln!(
            "Auto-refresh {} for {name:?} (grant {}); the desktop app refreshes it before it expires while it runs.",
            if view.auto_refresh { "on" } else { "off" },
            view.id
        );
    }
    Ok(0)
}
