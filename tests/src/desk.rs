//! One isolated OAuth Desk installation for the CLI tests: the real `oauthdesk` binary in a
//! private data dir (`OAUTHDESK_HOME`), the scripted test browser as `$BROWSER`, and the real
//! keychain (only the private keyring of scripts/test).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::{Provider, bin, wait_with_timeout};

/// One isolated OAuth Desk installation (data dir) against one provider.
pub struct Desk {
    pub home: tempfile::TempDir,
    pub provider: Provider,
    pub browser_log: PathBuf,
}

/// A finished CLI run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        match serde_json::from_str(&self.stdout) {
            Ok(v) => v,
            Err(e) => panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            ),
        }
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "oauthdesk failed:\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

pub fn require_private_keyring() {
    assert_eq!(
        std::env::var("OAUTHDESK_TEST_KEYRING").as_deref(),
        Ok("private"),
        "these tests use the real keychain and must run inside the private gnome-keyring session that scripts/test starts (never your own keychain)"
    );
}

impl Desk {
    pub fn new() -> Desk {
        Self::with_provider(Provider::start())
    }

    /// Against a fresh controlled issuer (tests/provider/issuer.mjs).
    pub fn controlled() -> Desk {
        Self::with_provider(Provider::controlled())
    }

    pub fn with_provider(provider: Provider) -> Desk {
        require_private_keyring();
        let home = tempfile::tempdir().expect("tempdir");
        let browser_log = home.path().join("browser.log");
        Desk {
            home,
            provider,
            browser_log,
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.home.path().join("oauthdesk.db")
    }

    /// A command with this installation's environment; the browser acts in `mode`.
    pub fn command(&self, args: &[&str], mode: &str) -> Command {
        let mut cmd = Command::new(bin("oauthdesk"));
        cmd.args(args)
            .env("OAUTHDESK_HOME", self.home.path())
            .env("BROWSER", bin("oauthdesk-test-browser"))
            .env("OAUTHDESK_TEST_BROWSER_MODE", mode)
            .env("OAUTHDESK_TEST_BROWSER_LOG", &self.browser_log)
            .env_remove("RUST_LOG");
        cmd
    }

    pub fn run_mode(&self, args: &[&str], stdin: Option<&str>, mode: &str) -> Run {
        let mut cmd = self.command(args, mode);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("oauthdesk runs");
        {
            let mut input = child.stdin.take().expect("stdin");
            if let Some(s) = stdin {
                input.write_all(s.as_bytes()).expect("write stdin");
            }
        }
        let output = wait_with_timeout(child, Duration::from_secs(90));
        Run::from(output)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_mode(args, None, "consent")
    }

    /// The two clients most scenarios use: `sandbox` (public, PKCE, `openid email
    /// offline_access`, so a refresh token) and `service` (client credentials, `api:read`).
    pub fn add_sandbox_and_service(&self) {
        self.add_client(
            "sandbox",
            "native-public",
            None,
            &["--scope", "openid email offline_access"],
        )
        .ok();
        self.add_client(
            "service",
            "service",
            Some("service-secret"),
            &["--scope", "api:read"],
        )
        .ok();
    }

    /// Registers one of the provider's static clients under `name`.
    pub fn add_client(
        &self,
        name: &str,
        client_id: &str,
        secret: Option<&str>,
        extra: &[&str],
    ) -> Run {
        let issuer = self.provider.issuer.clone();
        let mut args = vec![
            "client",
            "add",
            name,
            "--client-id",
            client_id,
            "--issuer",
            &issuer,
        ];
        if secret.is_some() {
            args.push("--client-secret-stdin");
        }
        args.extend_from_slice(extra);
        self.run_mode(&args, secret, "consent")
    }

    /// The grant's keychain item, straight from the Secret Service (`secret-tool`).
    pub fn keychain_item(&self, key: &str) -> Option<serde_json::Value> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", "oauthdesk", "username", key])
            .output()
            .expect("secret-tool is installed");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() || text.is_empty() {
            return None;
        }
        Some(serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
    }

    /// The raw bytes `secret-tool lookup` prints for a keychain item (empty when there is none).
    pub fn keychain_bytes(&self, key: &str) -> Vec<u8> {
        Command::new("secret-tool")
            .args(["lookup", "service", "oauthdesk", "username", key])
            .output()
            .expect("secret-tool is installed")
            .stdout
    }

    /// Every byte of the SQLite database, WAL and shared-memory files.
    pub fn database_bytes(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", self.db_path().display()));
            if let Ok(b) = std::fs::read(p) {
                all.extend(b);
            }
        }
        all
    }

    /// The test browser's log (`<mode> <URL>` lines, then `done …` or `error …`).
    #[track_caller]
    pub fn read_browser_log(&self) -> String {
        match std::fs::read_to_string(&self.browser_log) {
            Ok(log) => log,
            Err(e) => panic!(
                "the test browser was opened and wrote {}: {e}",
                self.browser_log.display()
            ),
        }
    }

    /// The authorization requests the test browser was sent to in `consent` mode (none when
    /// it never ran).
    pub fn authorization_requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.browser_log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("consent ") && l.contains("/auth?"))
            .map(str::to_owned)
            .collect()
    }
}

impl Default for Desk {
    fn default() -> Self {
        Self::new()
    }
}
