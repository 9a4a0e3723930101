//! Running the program a token is handed to (`exec`, `curl`): SIGINT, SIGTERM and SIGHUP are
//! passed on to it, and its exit status becomes ours (128 + the signal's number when a signal
//! ended it, as shells report it).

use super::curl_args::curl_argv;
use super::shown;
use crate::output::errln;
use oauthdesk_core::CoreError;
use std::ffi::{OsStr, OsString};
use std::process::ExitStatus;
use tokio::process::{Child, Command};

/// A signal that reached us, with the exit code a process it ends reports.
pub struct Caught {
    pub name: &'static str,
    pub exit_code: u8,
    #[cfg(unix)]
    signal: rustix::process::Signal,
}

/// The signals listened for from the start of the command (so that none ends the process
/// while a refresh is being stored, and each can be passed on to the child).
pub struct Signals {
    #[cfg(unix)]
    streams: [Option<tokio::signal::unix::Signal>; 3],
}

impl Signals {
    #[cfg(unix)]
    pub fn listen() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind| signal(kind).ok();
        Signals {
            streams: [
                listen(SignalKind::interrupt()),
                listen(SignalKind::terminate()),
                listen(SignalKind::hangup()),
            ],
        }
    }

    #[cfg(not(unix))]
    pub fn listen() -> Self {
        Signals {}
    }

    #[cfg(unix)]
    pub async fn next(&mut self) -> Caught {
        use rustix::process::Signal;
        let [int, term, hup] = &mut self.streams;
        tokio::select! {
            _ = recv(int) => Caught { name: "interrupted (SIGINT)", exit_code: 130, signal: Signal::INT },
            _ = recv(term) => Caught { name: "terminated (SIGTERM)", exit_code: 143, signal: Signal::TERM },
            _ = recv(hup) => Caught { name: "hung up (SIGHUP)", exit_code: 129, signal: Signal::HUP },
        }
    }

    #[cfg(not(unix))]
    pub async fn next(&mut self) -> Caught {
        let _ = tokio::signal::ctrl_c().await;
        Caught {
            name: "interrupted (Ctrl-C)",
            exit_code: 130,
        }
    }
}

/// The next delivery of a signal; never, when it could not be listened for.
#[cfg(unix)]
async fn recv(signal: &mut Option<tokio::signal::unix::Signal>) -> Option<()> {
    match signal {
        Some(s) => s.recv().await,
        None => std::future::pending().await,
    }
}

/// Starts `cmd` and waits for it; a program that cannot be started is 127 (not found) or
/// 126 (not executable), as shells report it.
pub async fn run(
    mut cmd: Command,
    program: &OsStr,
    signals: &mut Signals,
) -> Result<u8, CoreError> {
    match cmd.spawn() {
        Ok(child) => wait(child, signals).await,
        Err(e) => {
            errln!("oauthdesk: cannot run {}: {e}", shown(program));
            Ok(match e.kind() {
                std::io::ErrorKind::NotFound => 127,
                std::io::ErrorKind::PermissionDenied => 126,
                _ => 1,
            })
        }
    }
}

/// Waits for the child, passing our signals on to it.
async fn wait(mut child: Child, signals: &mut Signals) -> Result<u8, CoreError> {
    loop {
        tokio::select! {
            status = child.wait() => {
                let status = status.map_err(|e| CoreError::io("waiting for the command", e))?;
                return Ok(exit_code(status));
            }
            caught = signals.next() => forward(&child, &caught),
        }
    }
}

#[cfg(unix)]
fn forward(child: &Child, caught: &Caught) {
    let pid = child
        .id()
        .and_then(|id| i32::try_from(id).ok())
        .and_then(rustix::process::Pid::from_raw);
    if let Some(pid) = pid {
        // It may have exited meanwhile: nothing to pass the signal on to, then.
        let _ = rustix::process::kill_process(pid, caught.signal);
    }
}

/// Ctrl-C reaches every process of the console: the child has it already.
#[cfg(not(unix))]
fn forward(_child: &Child, _caught: &Caught) {}

fn exit_code(status: ExitStatus) -> u8 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return u8::try_from(128 + sig).unwrap_or(255);
        }
    }
    status.code().map_or(1, |c| u8::try_from(c).unwrap_or(1))
}

/// The most header text passed on a pipe: written before curl starts, it must fit the pipe's
/// buffer (64 KiB on Linux, 16 KiB on macOS).
#[cfg(unix)]
const MAX_HEADER_BYTES: usize = 15 * 1024;

/// Runs the system curl with `lines` as headers read from an inherited pipe (`-H @/dev/fd/N`).
/// With `tls`, curl also reads the client certificate and key from pipes (`--cert /dev/fd/N
/// --key /dev/fd/M`, RFC 8705): the key never touches the disk.
#[cfg(unix)]
pub async fn run_curl(
    lines: Vec<String>,
    tls: Option<&oauthdesk_core::protocol::mtls::TlsIdentity>,
    user_args: &[OsString],
    signals: &mut Signals,
) -> Result<u8, CoreError> {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    let text = lines.join("\n") + "\n";
    if text.len() > MAX_HEADER_BYTES {
        return Err(CoreError::InvalidInput(format!(
            "the headers are {} bytes, more than the {MAX_HEADER_BYTES} curl is given on a pipe",
            text.len()
        )));
    }
    let pipe_err = |e: std::io::Error| CoreError::io("creating the pipe for curl's headers", e);
    // `pipe()` leaves both ends open across exec; the write end is closed before curl starts,
    // the read end is curl's (and closed here once it runs).
    let (read, write) = rustix::pipe::pipe().map_err(|e| pipe_err(e.into()))?;
    let mut write = std::fs::File::from(write);
    write.write_all(text.as_bytes()).map_err(pipe_err)?;
    drop(write);
    let source = format!("@/dev/fd/{}", read.as_raw_fd());
    let mut cmd = Command::new("curl");
    let mut tls_pipes = Vec::new();
    if let Some(identity) = tls {
        for (flag, text) in [
            ("--cert", identity.chain_pem()),
            ("--key", identity.key().expose()),
        ] {
            let tls_err =
                |e: std::io::Error| CoreError::io("creating the pipe for curl's certificate", e);
            let (read, write) = rustix::pipe::pipe().map_err(|e| tls_err(e.into()))?;
            let mut write = std::fs::File::from(write);
            // A pipe holds 64 KiB; a certificate chain and key are far smaller (bounded at import).
            write.write_all(text.as_bytes()).map_err(tls_err)?;
            drop(write);
            cmd.arg(flag).arg(format!("/dev/fd/{}", read.as_raw_fd()));
            tls_pipes.push(read);
        }
    }
    cmd.args(curl_argv(&source, user_args));
    let result = cmd.spawn();
    drop(read);
    drop(tls_pipes);
    match result {
        Ok(child) => wait(child, signals).await,
        Err(e) => {
            errln!("oauthdesk: cannot run curl: {e}");
            Ok(if e.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                1
            })
        }
    }
}

/// Runs the system curl with `lines` as headers read from its stdin (`-H @-`).
#[cfg(not(unix))]
pub async fn run_curl(
    lines: Vec<String>,
    tls: Option<&oauthdesk_core::protocol::mtls::TlsIdentity>,
    user_args: &[OsString],
    signals: &mut Signals,
) -> Result<u8, CoreError> {
    use tokio::io::AsyncWriteExt;
    if let Some(identity) = tls {
        errln!(
            "oauthdesk: the token is certificate-bound (RFC 8705, x5t#S256 {}); curl gets no certificate on this platform (OAuth Desk never writes the key to a file): use `oauthdesk call`",
            identity.info().thumbprint
        );
    }
    let text = lines.join("\n") + "\n";
    let mut cmd = Command::new("curl");
    cmd.args(curl_argv("@-", user_args));
    cmd.stdin(std::process::Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            errln!("oauthdesk: cannot run curl: {e}");
            return Ok(1);
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(text.as_bytes())
            .await
            .map_err(|e| CoreError::io("writing curl's headers", e))?;
    }
    wait(child, signals).await
}
