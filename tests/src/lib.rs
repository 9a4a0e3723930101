//! Test support: the real test authorization server (`tests/provider`, node oidc-provider) on a
//! random port, the real `oauthdesk` binary in a private data dir, the scripted test browser as
//! `$BROWSER`, and direct HTTP to the server for checks the CLI must not be trusted with.
//!
//! The CLI tests use the real OS keychain, so they insist on the private keyring that
//! `scripts/test` starts (a gnome-keyring in its own D-Bus session): they never touch a
//! developer's own keychain.
//!
//! Isolation: every [`Desk`] has its own data dir and its own server, and every keychain item is
//! named by a random id (`grant/<uuid>`, `client/<uuid>`, …), so tests of one binary may run in
//! any order and in parallel. Only the GUI scenarios share something (the X display and the
//! single-instance app): [`gui::run`] runs them one at a time.

mod desk;
pub mod fault_server;
pub mod gui;
pub mod json;
pub mod mcp_server;
pub mod network;
mod provider;
pub mod token_gate;

pub use desk::{Desk, Run, require_private_keyring};
pub use provider::{
    CONTROLLED_CLIENT_ID, CONTROLLED_CLIENT_SECRET, Provider, StartError, http, jwt_access_token,
};

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::Duration;

/// The workspace root (tests/ is one of its members).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// The workspace's cargo target dir: `$CARGO_TARGET_DIR` when set (a relative one is taken
/// from the workspace root, where scripts/test runs cargo), else `<workspace root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        // An absolute path replaces the root in `join`.
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    }
}

/// A binary of the workspace, built on first use so a test never runs a stale `oauthdesk`
/// (cargo builds only the tested package's own binaries before running its tests).
pub fn bin(name: &str) -> PathBuf {
    static BUILT: std::sync::Once = std::sync::Once::new();
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>")
        .to_path_buf();
    BUILT.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args([
            "build",
            "--quiet",
            "-p",
            "oauthdesk-cli",
            "-p",
            "oauthdesk-tests",
            "--bins",
        ]);
        if dir.ends_with("release") {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("cargo runs");
        assert!(status.success(), "building the binaries under test failed");
    });
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing after the build",
        path.display()
    );
    path
}

pub fn wait_with_timeout(mut child: Child, limit: Duration) -> Output {
    // Drained while waiting: a child writing more than a pipe holds (64 KiB) would otherwise
    // block on its write and never exit.
    fn drain(
        pipe: Option<impl std::io::Read + Send + 'static>,
    ) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let start = std::time::Instant::now();
    let (status, finished) = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break (status, true);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            break (child.wait().expect("the killed child is reaped"), false);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: stdout.join().expect("the stdout reader ends"),
        stderr: stderr.join().expect("the stderr reader ends"),
    };
    assert!(
        finished,
        "process did not finish within {limit:?}; stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `haystack` contains `needle` as bytes.
pub fn contains_bytes(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
}
