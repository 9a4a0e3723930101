//! `oauthdesk login` and `oauthdesk logout`: the interactive flows, with progress on stderr and
//! Ctrl-C cancelling cleanly.

use super::read_stdin_secret;
use crate::args::{LoginArgs, LogoutArgs};
use crate::output::{self, errln};
use oauthdesk_core::model::{FlowEvent, GrantType};
use oauthdesk_core::{CoreError, Desk, GrantRef, LoginOptions};
use std::io::IsTerminal;
use std::sync::Arc;

pub async fn login(desk: &Desk, a: LoginArgs, now: i64) -> Result<u8, CoreError> {
    let grant = GrantType::parse(&a.grant)
        .ok_or_else(|| CoreError::InvalidInput(format!("unknown grant {:?}", a.grant)))?;
    if let Some(note) = grant.legacy_note() {
        errln!("note: {note}");
    }
    let password = if a.password_stdin {
        Some(read_stdin_secret("password")?)
    } else {
        None
    };
    for r in &a.resource {
        if url::Url::parse(r).is_err() {
            return Err(CoreError::InvalidInput(format!(
                "--resource {r:?} is not an absolute URI (RFC 8707 §2)"
            )));
        }
    }
    let mut extra_params = a.param;
    extra_params.extend(a.resource.into_iter().map(|r| ("resource".to_owned(), r)));
    // `default` clears the client's mode for this login (an empty response_mode is ignored).
    extra_params.extend(a.response_mode.map(|m| {
        (
            "response_mode".to_owned(),
            if m == "default" { String::new() } else { m },
        )
    }));
    let (ciba, jwt_bearer) = super::ciba::login_options(a.high_assurance)?;
    let opts = LoginOptions {
        ciba,
        jwt_bearer,
        grant,
        scope: a.scope,
        extra_params,
        username: a.username,
        password,
        no_open: a.no_open,
        authorization_details: super::rar::parse(a.authorization_details.as_deref())?,
    };
    let login = desk.login(&a.name, opts, progress());
    let view = tokio::select! {
        r = login => r?,
        _ = tokio::signal::ctrl_c() => return Err(CoreError::InvalidInput("cancelled (Ctrl-C); the listener is closed and nothing was stored".into())),
    };
    if a.json {
        output::json(&view)
    } else {
        output::grant_summary("Logged in", &view, now)
    }
    Ok(0)
}

pub async fn logout(desk: &Desk, a: LogoutArgs) -> Result<u8, CoreError> {
    let which = match &a.grant {
        Some(id) => GrantRef::Id(id),
        None => GrantRef::Current(&a.name),
    };
    let logout = desk.logout(which, a.local, a.no_open, progress());
    let out = tokio::select! {
        r = logout => r?,
        _ = tokio::signal::ctrl_c() => return Err(CoreError::InvalidInput("cancelled (Ctrl-C); nothing was revoked or forgotten".into())),
    };
    if a.json {
        output::json(&out);
    } else {
        output::logout(&out);
    }
    Ok(0)
}

/// The flow's progress printer: on stderr, rewriting one line when stderr is a terminal.
pub(super) fn progress() -> Arc<dyn Fn(FlowEvent) + Send + Sync> {
    Arc::new(output::progress_printer(std::io::stderr().is_terminal()))
}
