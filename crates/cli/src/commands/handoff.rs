//! `oauthdesk header`, `exec` and `curl`: a fresh token handed to another program. The token
//! goes to stdout (`header`, asked for), into a child's environment (`exec`) or to curl on a
//! pipe (`curl`) — never onto a command line or into a file.

use super::relogin::token_or_login;
use crate::args::{CurlArgs, ExecArgs, HeaderArgs};
use crate::output::{errln, outln};
use oauthdesk_core::{CoreError, Desk, Handoff};
use std::ffi::OsStr;
use std::future::Future;

mod child;
mod curl_args;

pub use curl_args::{CurlRequest, header_lines};

/// Prints the Authorization header (and the DPoP proof) for the client's current grant.
pub async fn header(desk: &Desk, a: HeaderArgs) -> Result<u8, CoreError> {
    let target = a.url.as_deref().and_then(host_of);
    let handed = token_or_login(
        desk,
        &a.name,
        Handoff::new("header", target),
        a.common.min_ttl,
        a.common.login_if_needed,
    )
    .await?;
    super::client_cert::bound_notice(desk, &a.name, &handed).await;
    let dpop = match (&a.url, handed.is_dpop()) {
        (Some(url), true) => {
            desk.dpop_proof_for(&a.name, &handed, &a.method, url)
                .await?
        }
        (None, true) => {
            return Err(CoreError::InvalidInput(format!(
                "{}: the grant's token is DPoP-bound (RFC 9449): its DPoP proof is for one request; give it with --url URL (and --method M when not GET)",
                a.name
            )));
        }
        (_, false) => None,
    };
    if a.json {
        let mut o = serde_json::Map::new();
        o.insert("Authorization".into(), handed.authorization().into());
        if let Some(p) = dpop {
            o.insert("DPoP".into(), p.into());
        }
        outln!("{}", serde_json::Value::Object(o));
    } else {
        for line in header_lines(&handed, dpop.as_deref())? {
            outln!("{line}");
        }
    }
    Ok(0)
}

/// Runs a command with the token in its environment; its exit code (or 128 + signal) is ours.
pub async fn exec(desk: &Desk, a: ExecArgs) -> Result<u8, CoreError> {
    let mut signals = child::Signals::listen();
    let Some((program, args)) = a.command.split_first() else {
        return Err(CoreError::InvalidInput("no command given after --".into()));
    };
    let handoff = Handoff::new("exec", Some(command_name(program)));
    let work = token_or_login(
        desk,
        &a.name,
        handoff,
        a.common.min_ttl,
        a.common.login_if_needed,
    );
    let handed = match until_signal(desk, &mut signals, work).await {
        Ok(h) => h?,
        Err(code) => return Ok(code),
    };
    super::client_cert::bound_notice(desk, &a.name, &handed).await;
    let (env, env_header) = if a.env.is_empty() && a.env_header.is_empty() {
        (vec!["OAUTHDESK_TOKEN".to_owned()], vec![])
    } else {
        (a.env, a.env_header)
    };
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args);
    for var in &env {
        cmd.env(var, handed.token.expose());
    }
    for var in &env_header {
        cmd.env(var, handed.authorization());
    }
    drop(handed);
    child::run(cmd, program, &mut signals).await
}

/// Runs the system curl with the headers on a pipe and the user's arguments.
pub async fn curl(desk: &Desk, a: CurlArgs) -> Result<u8, CoreError> {
    let mut signals = child::Signals::listen();
    let request = CurlRequest::of(&a.curl_args);
    let Some(url) = request.url.clone() else {
        return Err(CoreError::InvalidInput(
            "no http(s) URL among curl's arguments (after --)".into(),
        ));
    };
    let work = async {
        let handed = token_or_login(
            desk,
            &a.name,
            Handoff::new("curl", host_of(&url)),
            a.common.min_ttl,
            a.common.login_if_needed,
        )
        .await?;
        let dpop = desk
            .dpop_proof_for(&a.name, &handed, &request.method, &url)
            .await?;
        // RFC 8705 §3: a certificate-bound token goes with the client's certificate and key,
        // which curl reads from pipes (never a file).
        let tls = match desk.bound_certificate(&a.name, &handed).await? {
            Some(_) => desk.client_tls_identity(&a.name).await?,
            None => None,
        };
        Ok::<_, CoreError>((header_lines(&handed, dpop.as_deref())?, tls))
    };
    let (lines, tls) = match until_signal(desk, &mut signals, work).await {
        Ok(lines) => lines?,
        Err(code) => return Ok(code),
    };
    child::run_curl(lines, tls.as_ref(), &a.curl_args, &mut signals).await
}

/// `work`, unless a signal comes first: then the exit code for it (after a write in progress
/// is done, as `main` does for every other command).
async fn until_signal<T>(
    desk: &Desk,
    signals: &mut child::Signals,
    work: impl Future<Output = T>,
) -> Result<T, u8> {
    tokio::pin!(work);
    tokio::select! {
        r = &mut work => Ok(r),
        signal = signals.next() => {
            if desk.in_critical_section() {
                errln!("oauthdesk: {}: finishing the write in progress first", signal.name);
                tokio::select! {
                    _ = &mut work => {}
                    () = desk.settled() => {}
                }
            }
            Err(signal.exit_code)
        }
    }
}

/// The host of a URL, for "token handed to curl for api.example.com".
fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
}

/// The program's file name, for "token handed to exec for make".
fn command_name(program: &OsStr) -> String {
    std::path::Path::new(program)
        .file_name()
        .unwrap_or(program)
        .to_string_lossy()
        .into_owned()
}

/// The OS strings of a command line, shown for an error message.
fn shown(program: &OsStr) -> String {
    oauthdesk_core::protocol::text::escape_controls(&program.to_string_lossy(), false)
}
