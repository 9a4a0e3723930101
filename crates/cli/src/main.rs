//! `oauthdesk`: OAuth Desk's command line. It calls the same `Desk` as the GUI, on the same
//! store. Exit codes: 0 success, 1 error, 2 usage, 3 a login is needed, 4 a check failed
//! (`inspect`, `decode`).
//!
//! This file parses the arguments, opens the `Desk`, hands the command to its handler in
//! `commands` and maps a failure to its exit code; `output` renders.

mod args;
mod commands;
mod output;

use args::{Cli, Command};
use clap::Parser;
use commands::{clients, exchange, history, inspect, login, tokens};
use oauthdesk_core::{CoreError, Desk, DeskConfig};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return fail(&CoreError::Io(format!(
                "cannot start the async runtime: {e}"
            )));
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => fail(&e),
    }
}

fn fail(e: &CoreError) -> ExitCode {
    eprintln!("oauthdesk: {e}");
    match e {
        CoreError::NeedsLogin { .. } => ExitCode::from(3),
        _ => ExitCode::from(1),
    }
}

async fn run(cli: Cli) -> Result<u8, CoreError> {
    let mut config = DeskConfig::from_env()?;
    config.db_connections = 1;
    let desk = Desk::open(config).await?;
    dispatch(&desk, cli.command).await
}

/// The command's handler; `now` (read once, before the command runs) is what human output
/// measures "in 4 min" and "2 h ago" from.
async fn dispatch(desk: &Desk, command: Command) -> Result<u8, CoreError> {
    let now = desk.now();
    match command {
        Command::Client { command } => clients::run(desk, command).await,
        Command::Login(a) => login::login(desk, a, now).await,
        Command::Token {
            name,
            min_ttl,
            json,
        } => tokens::token(desk, &name, min_ttl, json).await,
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
        Command::Report { name, json } => inspect::report(desk, &name, json).await,
    }
}
