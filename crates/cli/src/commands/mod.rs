//! The command handlers, one module per command family, and what several of them share: reading
//! a secret from stdin and resolving "a client name or a grant id". Each handler returns the
//! process exit code of a command that ran (`main` maps a `CoreError` to 1 or 3).

pub mod call;
pub mod ciba;
pub mod client_cert;
pub mod clients;
pub mod docker;
pub mod environments;
pub mod exchange;
pub mod git_credential;
pub mod handoff;
pub mod history;
pub mod inspect;
pub mod jar;
pub mod kubectl;
pub mod login;
pub mod mcp;
pub mod profile_report;
pub mod rar;
pub mod registration;
pub mod relogin;
pub mod resource;
pub mod settings;
pub mod shell;
pub mod tokens;
pub mod transfer;

use oauthdesk_core::{CoreError, Desk, GrantRef};
use std::io::{IsTerminal, Read};

/// A client name's current grant (refreshed when needed), or a grant id as given.
async fn grant_id_of(desk: &Desk, name_or_id: &str) -> Result<String, CoreError> {
    match desk.client(name_or_id).await {
        Ok(_) => Ok(desk.token(GrantRef::Current(name_or_id), 0).await?.1.id),
        Err(CoreError::ClientNotFound(_)) => Ok(name_or_id.to_owned()),
        Err(e) => Err(e),
    }
}

/// Reads a secret from stdin (never from the command line, where `ps` and shell history see it).
/// The kind (`ClientSecret`, `Password`, …) is the caller's: every secret kind is `From<String>`.
fn read_stdin_secret<S: From<String>>(what: &str) -> Result<S, CoreError> {
    if std::io::stdin().is_terminal() {
        crate::output::write_stderr(format_args!(
            "{what} (input is read until end of file, Ctrl-D): "
        ));
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| CoreError::io(format!("reading the {what} from stdin"), e))?;
    let trimmed = s
        .strip_suffix('\n')
        .map(|x| x.strip_suffix('\r').unwrap_or(x))
        .unwrap_or(&s);
    if trimmed.is_empty() {
        return Err(CoreError::InvalidInput(format!(
            "the {what} on stdin is empty"
        )));
    }
    Ok(S::from(trimmed.to_owned()))
}
