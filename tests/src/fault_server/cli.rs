//! The real `oauthdesk` binary against a [`FaultServer`](super::FaultServer): a private data dir,
//! the private keyring of scripts/test, and no browser (`$BROWSER` is `true`, which opens nothing).
//! Also what every CLI fault case checks afterwards: the grant rows and the keychain items agree.

use crate::{Run, bin, require_private_keyring, wait_with_timeout};
use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// One isolated installation of the CLI.
pub struct Installation {
    pub home: tempfile::TempDir,
}

impl Installation {
    pub fn new() -> Installation {
        require_private_keyring();
        Installation {
            home: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// Runs `oauthdesk ARGS` with `stdin`, failing the test when it takes over `limit`.
    pub fn run_within(&self, args: &[&str], stdin: Option<&str>, limit: Duration) -> Run {
        let mut child = Command::new(bin("oauthdesk"))
            .args(args)
            .env("OAUTHDESK_HOME", self.home.path())
            .env("BROWSER", "true")
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("oauthdesk runs");
        {
            let mut input = child.stdin.take().expect("stdin");
            if let Some(s) = stdin {
                input.write_all(s.as_bytes()).expect("write stdin");
            }
        }
        Run::from(wait_with_timeout(child, limit))
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_within(args, None, Duration::from_secs(60))
    }

    /// `oauthdesk grants --json`: every grant row of this installation.
    #[track_caller]
    pub fn grants(&self) -> Vec<serde_json::Value> {
        let run = self.run(&["grants", "--json"]).ok();
        match run.json() {
            serde_json::Value::Array(rows) => rows,
            other => panic!("`grants --json` prints an array: {other}"),
        }
    }
}

impl Default for Installation {
    fn default() -> Self {
        Self::new()
    }
}

/// The keys (`grant/<uuid>`, `client/<uuid>`, …) of every OAuth Desk item in the keychain.
/// `secret-tool search` prints the attributes on stderr; the secrets (stdout) are not read.
pub fn keychain_keys() -> BTreeSet<String> {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", "oauthdesk"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("secret-tool is installed");
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("attribute.username = "))
        .map(str::to_owned)
        .collect()
}

/// Nothing half-written: every grant row that is not revoked has its keychain item, and every
/// `grant/…` item that appeared since `before` belongs to a grant row of `install`.
#[track_caller]
pub fn assert_rows_match_keychain(install: &Installation, before: &BTreeSet<String>, case: &str) {
    let rows = install.grants();
    let now = keychain_keys();
    let mut row_keys = BTreeSet::new();
    for row in &rows {
        let id = row["id"].as_str().expect("a grant row has an id");
        let key = format!("grant/{id}");
        if row["status"] != "revoked" {
            assert!(
                now.contains(&key),
                "{case}: the grant row {id} ({}) has its keychain item",
                row["status"]
            );
        }
        row_keys.insert(key);
    }
    for key in now.difference(before) {
        if key.starts_with("grant/") {
            assert!(
                row_keys.contains(key),
                "{case}: the keychain item {key} written during the case belongs to a grant row"
            );
        }
    }
}
