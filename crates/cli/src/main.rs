//! `oauthdesk`: OAuth Desk's command line. It calls the same `Desk` as the GUI, on the same
//! store. Exit codes: 0 success, 1 error, 2 usage, 3 a login is needed, 4 a check failed
//! (`inspect`, `decode`). A closed stdout (`oauthdesk client list | head -1`) ends a command
//! quietly with 0, as the reader has what it wanted (see `output`).
//!
//! This file parses the arguments, opens the `Desk`, hands the command to its handler in
//! `commands` and maps a failure to its exit code; `output` renders.
//!
//! SIGINT, SIGTERM and SIGHUP end a command at once (exit 130, 143, 129) — except while a
//! refresh is between its request and its keychain write, or a secret and its row are being
//! written: then the command runs on until that write is done, and exits after it. The server
//! may have rotated the refresh token already; cutting there would lose the only one that works.

mod args;
mod commands;
mod output;

use args::{Cli, Command};
use commands::{clients, exchange, history, inspect, login, tokens};
use oauthdesk_core::{CoreError, Desk, DeskConfig};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return fail(&CoreError::io("cannot start the async runtime", e));
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => fail(&e),
    }
}

fn fail(e: &CoreError) -> ExitCode {
    output::errln!("{}", error_text(e));
    match e {
        CoreError::NeedsLogin { .. } => ExitCode::from(3),
        _ => ExitCode::from(1),
    }
}

/// The error as shown on stderr. Messages carry server text (an `error_description`, a URL
/// from discovery): its control characters are shown escaped. Their lines are ours (`\n  hint:
/// …`), so newlines stay.
fn error_text(e: &CoreError) -> String {
    format!("oauthdesk: {}", output::safe_lines(&e.to_string()))
}

async fn run(cli: Cli) -> Result<u8, CoreError> {
    if let Some(done) = commands::shell::without_desk(&cli.command) {
        return done;
    }
    let mut config = DeskConfig::from_env()?;
    config.db_connections = 1;
    config.environment = cli.env.clone();
    let desk = Desk::open(config).await?;
    let command = match cli.command {
        Command::Exec(a) => return commands::handoff::exec(&desk, a).await,
        Command::Curl(a) => return commands::handoff::curl(&desk, a).await,
        other => other,
    };
    let work = dispatch(&desk, command);
    tokio::pin!(work);
    tokio::select! {
        result = &mut work => result,
        signal = termination() => {
            if desk.in_critical_section() {
                output::errln!(
                    "oauthdesk: {}: finishing the write in progress first",
                    signal.name
                );
                tokio::select! {
                    _ = &mut work => {}
                    () = desk.settled() => {}
                }
            }
            Ok(signal.exit_code)
        }
    }
}

/// A signal that ends the process, with the shell's exit code for it (128 + number).
struct Termination {
    name: &'static str,
    exit_code: u8,
}

#[cfg(unix)]
async fn termination() -> Termination {
    use tokio::signal::unix::{SignalKind, signal};
    let listen = |kind| signal(kind).ok();
    let (mut int, mut term, mut hup) = (
        listen(SignalKind::interrupt()),
        listen(SignalKind::terminate()),
        listen(SignalKind::hangup()),
    );
    tokio::select! {
        _ = next(&mut int) => Termination { name: "interrupted (SIGINT)", exit_code: 130 },
        _ = next(&mut term) => Termination { name: "terminated (SIGTERM)", exit_code: 143 },
        _ = next(&mut hup) => Termination { name: "hung up (SIGHUP)", exit_code: 129 },
    }
}

/// The next delivery of a signal; never, when it could not be listened for.
#[cfg(unix)]
async fn next(signal: &mut Option<tokio::signal::unix::Signal>) -> Option<()> {
    match signal {
        Some(s) => s.recv().await,
        None => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn termination() -> Termination {
    let _ = tokio::signal::ctrl_c().await;
    Termination {
        name: "interrupted (Ctrl-C)",
        exit_code: 130,
    }
}

/// The command's handler; `now` (read once, before the command runs) is what human output
/// measures "in 4 min" and "2 h ago" from.
async fn dispatch(desk: &Desk, command: Command) -> Result<u8, CoreError> {
    let now = desk.now();
    match command {
        Command::Client { command } => clients::run(desk, command).await,
        Command::Login(a) => login::login(desk, a, now).await,
        Command::Call(a) => commands::call::call(desk, a).await,
        Command::Resource(a) => commands::resource::probe(desk, a).await,
        Command::Mcp(a) => commands::mcp::run(desk, a).await,
        Command::Token {
            name,
            min_ttl,
            json,
            login_if_needed,
        } => tokens::token(desk, &name, min_ttl, json, login_if_needed).await,
        Command::Header(a) => commands::handoff::header(desk, a).await,
        // Run in `run`: they pass signals on to their child instead of ending at one.
        Command::Exec(_) | Command::Curl(_) => Ok(1),
        Command::Grants { name, json } => tokens::grants(desk, name.as_deref(), json, now).await,
        Command::Refresh { name, json } => tokens::refresh(desk, &name, json, now).await,
        Command::Revoke { name, token, json } => {
            tokens::revoke(desk, &name, &token, json, now).await
        }
        Command::Introspect {
            name,
            refresh_token,
            json: _,
        } => tokens::introspect(desk, &name, refresh_token).await,
        Command::Userinfo { name, json: _ } => tokens::userinfo(desk, &name).await,
        Command::Log(a) => history::log(desk, a).await,
        Command::History { name, json } => history::history(desk, name.as_deref(), json, now).await,
        Command::Inspect(a) => inspect::inspect(desk, a).await,
        Command::Decode(a) => inspect::decode(desk, a, now).await,
        Command::Audit(a) => inspect::audit(desk, a, now).await,
        Command::Exchange(a) => exchange::exchange(desk, a, now).await,
        Command::AutoRefresh { name, state, json } => {
            tokens::auto_refresh(desk, &name, &state, json).await
        }
        Command::Presets { json } => Ok(clients::presets(json)),
        Command::Logout(a) => login::logout(desk, a).await,
        Command::Report {
            name,
            json,
            profile: None,
        } => inspect::report(desk, &name, json).await,
        Command::Report {
            name,
            json,
            profile: Some(args::ReportProfile::Fapi2),
        } => commands::profile_report::fapi2(desk, &name, json).await,
        Command::Settings(a) => commands::settings::settings(desk, a).await,
        Command::Env { command } => commands::environments::run(desk, command).await,
        Command::Kubectl(a) => commands::kubectl::kubectl(desk, a).await,
        Command::GitCredential(a) => commands::git_credential::run(desk, a).await,
        Command::Docker { command } => commands::docker::run(desk, command).await,
        Command::Completions(_) | Command::Man(_) => Ok(0), // answered in `run`, without a Desk
    }
}

#[cfg(test)]
mod tests {
    use oauthdesk_core::CoreError;
    use oauthdesk_core::protocol::{OAuthError, ProtocolError};

    #[test]
    fn error_descriptions_are_shown_escaped() {
        let mut oauth = OAuthError::new("invalid_grant");
        oauth.error_description = Some("bad code\u{1b}]0;pwned\u{7}\u{9b}2J".into());
        let text = super::error_text(&CoreError::Protocol(ProtocolError::OAuth(oauth)));
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "a server's error_description cannot drive the terminal: {text:?}"
        );
        assert!(
            text.contains(r"bad code\u{1b}]0;pwned\u{7}\u{9b}2J"),
            "the description is still shown, its controls visible: {text:?}"
        );
        assert!(
            text.contains("\n  hint: "),
            "our own hint line stays a line of its own: {text:?}"
        );
    }
}
