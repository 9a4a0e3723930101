//! Test support: the real test authorization server (`tests/provider`, node oidc-provider) on a
//! random port, the real `oauthdesk` binary in a private data dir, the scripted test browser as
//! `$BROWSER`, and direct HTTP to the server for checks the CLI must not be trusted with.
//!
//! The CLI tests use the real OS keychain, so they insist on the private keyring that
//! `scripts/test` starts (a gnome-keyring in its own D-Bus session): they never touch a
//! developer's own keychain.

pub mod gui;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// A running test authorization server; killed on drop.
pub struct Provider {
    child: Child,
    pub issuer: String,
}

impl Provider {
    pub fn start() -> Provider {
        Self::start_with(&[])
    }

    /// With extra environment, e.g. `ISSUER_PATH=/tenant/a`, `DISCOVERY=rfc8414` (see tests/provider/README.md).
    /// The controlled test issuer (tests/provider/issuer.mjs): keys and token defects the tests choose.
    pub fn controlled() -> Provider {
        Self::start_script("issuer.mjs", &[])
    }

    pub fn start_with(env: &[(&str, &str)]) -> Provider {
        Self::start_script("server.mjs", env)
    }

    fn start_script(script: &str, env: &[(&str, &str)]) -> Provider {
        // Node has been seen to hang at startup on a loaded machine (once in hundreds of starts):
        // give each attempt a deadline and try again rather than blocking the suite.
        let mut last = String::new();
        for _ in 0..3 {
            match Self::try_start(script, env, Duration::from_secs(30)) {
                Ok(p) => return p,
                Err(e) => last = e,
            }
        }
        panic!("the test authorization server did not start: {last}");
    }

    fn try_start(
        script: &str,
        env: &[(&str, &str)],
        deadline: Duration,
    ) -> Result<Provider, String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("provider");
        assert!(
            dir.join("node_modules/oidc-provider").exists(),
            "tests/provider is not installed: run `npm ci` in tests/provider (scripts/test does)"
        );
        let mut child = Command::new("node")
            .arg(script)
            .current_dir(&dir)
            .env("PORT", "0")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node is installed");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(deadline).unwrap_or_default();
        match line.trim().strip_prefix("READY ") {
            Some(issuer) => Ok(Provider {
                child,
                issuer: issuer.to_owned(),
            }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("no READY line within {deadline:?} (got {line:?})"))
            }
        }
    }

    /// Token endpoint request counts by grant type (see tests/provider/README.md).
    pub fn stats(&self) -> serde_json::Value {
        http(
            reqwest::Method::GET,
            &format!("{}/__test/stats", self.issuer),
            &[],
            None,
        )
        .1
    }

    pub fn reset_stats(&self) {
        http(
            reqwest::Method::POST,
            &format!("{}/__test/reset", self.issuer),
            &[],
            None,
        );
    }

    /// POSTs JSON to one of the controlled issuer's `/__test/…` endpoints.
    pub fn control(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let url = format!("{}{path}", self.issuer);
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                let resp = reqwest::Client::new()
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .send()
                    .await
                    .expect("controlled issuer answers");
                serde_json::from_str::<serde_json::Value>(&resp.text().await.expect("body"))
                    .expect("JSON")
            })
        })
        .join()
        .expect("control thread")
    }

    pub fn refresh_requests(&self) -> u64 {
        self.stats()["token_requests"]["refresh_token"]
            .as_u64()
            .unwrap_or(0)
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A form POST (or GET) straight to the server, bypassing OAuth Desk. Returns status and JSON.
/// Runs on its own thread, so async tests may call it too.
pub fn http(
    method: reqwest::Method,
    url: &str,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> (u16, serde_json::Value) {
    std::thread::scope(|scope| {
        scope
            .spawn(|| http_blocking(method, url, form, basic))
            .join()
            .expect("http thread")
    })
}

fn http_blocking(
    method: reqwest::Method,
    url: &str,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> (u16, serde_json::Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let client = reqwest::Client::new();
        let mut req = client.request(method, url);
        if let Some((id, secret)) = basic {
            let enc =
                |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            req = req.basic_auth(enc(id), Some(enc(secret)));
        }
        if !form.is_empty() {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish();
            req = req
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
        }
        let resp = req.send().await.expect("provider reachable");
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    })
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
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
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
}

impl Default for Desk {
    fn default() -> Self {
        Self::new()
    }
}

pub fn wait_with_timeout(mut child: Child, limit: Duration) -> Output {
    let start = std::time::Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "process did not finish within {limit:?}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `haystack` contains `needle` as bytes.
pub fn contains_bytes(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
}
