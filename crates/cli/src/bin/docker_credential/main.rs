//! `docker-credential-oauthdesk`: the docker credential helper. The docker CLI runs it as
//! `docker-credential-oauthdesk ACTION` when `~/.docker/config.json` names it for a registry
//! (`"credHelpers": { "registry.example.com": "oauthdesk" }`) and speaks the
//! docker-credential-helpers protocol on stdin/stdout (see `protocol.rs`). It hands docker the
//! current access token of the client mapped to the registry host (`oauthdesk docker map HOST
//! NAME`), refreshed when needed — the same store, single-flight refresh and history as
//! `oauthdesk` itself, through `oauthdesk-core`.
//!
//! A binary of its own rather than an argv[0] alias of `oauthdesk`: docker looks for exactly
//! this file name on PATH, and a second file installs the same way everywhere (a `.deb`
//! `files` entry, an `.msi`, a plain copy) where a symlink does not (Windows, bundlers that copy
//! files only).

mod protocol;

use oauthdesk_core::{CoreError, Desk, DeskConfig, Handoff};
use protocol::{Action, Answer};
use std::io::{Read, Write};
use std::process::ExitCode;

/// Refresh the token when it expires within this many seconds (a pull starts right away).
const MIN_TTL: i64 = 60;

fn main() -> ExitCode {
    let action = std::env::args().nth(1).unwrap_or_default();
    let Some(action) = Action::parse(&action) else {
        return finish(Answer::failure(protocol::USAGE.to_owned(), 1));
    };
    if action == Action::Version {
        return finish(Answer::ok(format!(
            "docker-credential-oauthdesk (OAuth Desk) {}\n",
            env!("CARGO_PKG_VERSION")
        )));
    }
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin()
        .take(protocol::MAX_INPUT as u64 + 1)
        .read_to_end(&mut input)
    {
        return finish(Answer::failure(format!("cannot read stdin: {e}"), 1));
    }
    if input.len() > protocol::MAX_INPUT {
        return finish(Answer::failure(
            format!(
                "input larger than {} KiB refused",
                protocol::MAX_INPUT / 1024
            ),
            1,
        ));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return finish(Answer::failure(format!("cannot start: {e}"), 1)),
    };
    finish(runtime.block_on(run(action, &input)))
}

/// Writes the answer (stdout for docker, the error also on stderr for the person reading).
fn finish(answer: Answer) -> ExitCode {
    if let Some(note) = &answer.note {
        let _ = writeln!(std::io::stderr(), "docker-credential-oauthdesk: {note}");
    }
    let mut out = std::io::stdout().lock();
    if out
        .write_all(answer.stdout.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::from(1);
    }
    ExitCode::from(answer.code)
}

async fn run(action: Action, input: &[u8]) -> Answer {
    let desk = match DeskConfig::from_env() {
        Ok(mut config) => {
            config.db_connections = 1;
            Desk::open(config).await
        }
        Err(e) => Err(e),
    };
    let desk = match desk {
        Ok(d) => d,
        Err(e) => return Answer::error(&e),
    };
    // As `oauthdesk` does: a signal ends the helper at once, except between a refresh and its
    // keychain write (the server may have rotated the refresh token already).
    let work = act(&desk, action, input);
    tokio::pin!(work);
    tokio::select! {
        answer = &mut work => answer,
        (name, code) = termination() => {
            if desk.in_critical_section() {
                tokio::select! {
                    _ = &mut work => {}
                    () = desk.settled() => {}
                }
            }
            Answer::failure(name.to_owned(), code)
        }
    }
}

/// The name and exit code (128 + number) of a signal that ends the process.
#[cfg(unix)]
async fn termination() -> (&'static str, u8) {
    use tokio::signal::unix::{SignalKind, signal};
    async fn next(kind: SignalKind) {
        match signal(kind) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    }
    tokio::select! {
        () = next(SignalKind::interrupt()) => ("interrupted (SIGINT)", 130),
        () = next(SignalKind::terminate()) => ("terminated (SIGTERM)", 143),
        () = next(SignalKind::hangup()) => ("hung up (SIGHUP)", 129),
    }
}

#[cfg(not(unix))]
async fn termination() -> (&'static str, u8) {
    let _ = tokio::signal::ctrl_c().await;
    ("interrupted (Ctrl-C)", 130)
}

async fn act(desk: &Desk, action: Action, input: &[u8]) -> Answer {
    match action {
        Action::Get => get(desk, input).await,
        Action::Store => store(desk, input).await,
        Action::Erase => erase(desk, input).await,
        Action::List => match desk.docker_maps().await {
            Ok(maps) => Answer::ok(protocol::list_answer(&maps)),
            Err(e) => Answer::error(&e),
        },
        Action::Version => Answer::ok(String::new()),
    }
}

async fn get(desk: &Desk, input: &[u8]) -> Answer {
    let server_url = match protocol::server_url(input) {
        Ok(u) => u,
        Err(a) => return a,
    };
    let map = match desk.docker_host_for(&server_url).await {
        Ok(Some(map)) => map,
        Ok(None) | Err(CoreError::InvalidInput(_)) => return Answer::not_found(),
        Err(e) => return Answer::error(&e),
    };
    let handoff = Handoff::new("docker", Some(map.host.clone()));
    match desk.hand_off(&map.client, handoff, MIN_TTL).await {
        Ok(handed) => protocol::get_answer(&server_url, &map.username, &handed),
        Err(e) => Answer::error(&e),
    }
}

async fn store(desk: &Desk, input: &[u8]) -> Answer {
    let server_url = match protocol::stored_server_url(input) {
        Ok(u) => u,
        Err(a) => return a,
    };
    match desk.docker_host_for(&server_url).await {
        // docker stores what it just used, after a `docker login` with our token: nothing to do.
        Ok(Some(_)) => Answer::ok(String::new()),
        Ok(None) | Err(CoreError::InvalidInput(_)) => Answer::failure(
            format!(
                "not stored: OAuth Desk keeps no registry passwords; its tokens come from OAuth logins. Map the registry to a client instead: oauthdesk docker map {} NAME",
                protocol::shown(&server_url)
            ),
            1,
        ),
        Err(e) => Answer::error(&e),
    }
}

async fn erase(desk: &Desk, input: &[u8]) -> Answer {
    let server_url = match protocol::server_url(input) {
        Ok(u) => u,
        Err(a) => return a,
    };
    let map = match desk.docker_host_for(&server_url).await {
        Ok(Some(map)) => map,
        Ok(None) | Err(CoreError::InvalidInput(_)) => return Answer::not_found(),
        Err(e) => return Answer::error(&e),
    };
    let handoff = Handoff::new("docker", Some(map.host.clone()));
    match desk.mark_token_rejected(&map.client, handoff).await {
        Ok(()) => Answer::ok(String::new()),
        Err(e) => Answer::error(&e),
    }
}
