//! "Log in when needed": a command that hands a token over (`token`, `header`, `exec`, `curl`,
//! the git/docker/kubectl helpers) and finds the grant needs a new login runs the browser login
//! and continues — when stdin is a terminal (someone is there to finish it) or the user asked
//! with `--login-if-needed`. Otherwise it fails with exit 3 and a message naming the command.

use super::login::progress;
use crate::output::errln;
use oauthdesk_core::{CoreError, Desk, HandedToken, Handoff};
use std::io::IsTerminal;

/// [`Desk::hand_off`], logging in first when the grant needs it and `allow_prompt` (the
/// caller's `--login-if-needed`) or stdin is a terminal; else the `NeedsLogin` error, whose
/// message names the command to run.
pub async fn token_or_login(
    desk: &Desk,
    name: &str,
    handoff: Handoff,
    min_ttl: i64,
    allow_prompt: bool,
) -> Result<HandedToken, CoreError> {
    let interactive = allow_prompt || std::io::stdin().is_terminal();
    match desk.hand_off(name, handoff.clone(), min_ttl).await {
        Err(CoreError::NeedsLogin { client, reason }) if interactive => {
            let Some(opts) = desk.login_again_options(name).await? else {
                return Err(CoreError::NeedsLogin { client, reason });
            };
            errln!("oauthdesk: {client}: a login is needed ({reason}); logging in…");
            let login = desk.login(name, opts, progress());
            tokio::select! {
                r = login => { r?; }
                _ = tokio::signal::ctrl_c() => {
                    return Err(CoreError::InvalidInput(
                        "cancelled (Ctrl-C); the listener is closed and nothing was stored".into(),
                    ));
                }
            }
            desk.hand_off(name, handoff, min_ttl).await
        }
        Err(e @ CoreError::NeedsLogin { .. }) => {
            errln!(
                "oauthdesk: no terminal to log in from: log in as below, or run this again with --login-if-needed"
            );
            Err(e)
        }
        other => other,
    }
}
