//! What the integration tests share: the built `oauthdesk` run against a throwaway
//! `OAUTHDESK_HOME`, with public clients on plain loopback endpoints (no keychain, no server).

#![allow(dead_code)] // each test file uses its own part

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh, empty `OAUTHDESK_HOME`, removed when dropped.
pub struct Home(PathBuf);

impl Home {
    pub fn new() -> Home {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "oauthdesk-cli-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creating the test's OAUTHDESK_HOME");
        Home(dir)
    }

    /// `oauthdesk ARGS` in this home, stdin empty, stdout and stderr piped.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_oauthdesk"));
        c.args(args)
            .env("OAUTHDESK_HOME", &self.0)
            .env_remove("CLICOLOR_FORCE")
            .env("BROWSER", "false")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("running oauthdesk")
    }

    /// Registers a public client with explicit loopback endpoints.
    pub fn add_client(&self, name: &str) {
        let out = self.run(&[
            "client",
            "add",
            name,
            "--client-id",
            "cli-test",
            "--auth-method",
            "none",
            "--authorization-endpoint",
            "http://127.0.0.1/authorize",
            "--token-endpoint",
            "http://127.0.0.1/token",
            "--scope",
            "openid profile",
        ]);
        assert!(
            out.status.success(),
            "setup: `client add {name}` works without a keychain or server: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
