//! The test authorization servers (`tests/provider`): the real oidc-provider (`server.mjs`) and
//! the controlled issuer (`issuer.mjs`), each on a random port, and plain HTTP straight to them.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The controlled issuer's static client (tests/provider/issuer.mjs).
pub const CONTROLLED_CLIENT_ID: &str = "controlled-client";
/// The secret of [`CONTROLLED_CLIENT_ID`] (it also verifies the issuer's HS* ID tokens).
pub const CONTROLLED_CLIENT_SECRET: &str = "controlled-secret-0123456789abcdef0123456789";

/// Why one attempt to start a test server failed.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The server did not print `READY <issuer>` in time (node hung, or crashed at startup).
    #[error("no READY line within {deadline:?} (got {line:?})")]
    NotReady { deadline: Duration, line: String },
}

/// A running test authorization server; killed on drop.
pub struct Provider {
    child: Child,
    pub issuer: String,
}

impl Provider {
    pub fn start() -> Provider {
        Self::start_with(&[])
    }

    /// The controlled test issuer (tests/provider/issuer.mjs): keys and token defects the tests choose.
    pub fn controlled() -> Provider {
        Self::start_script("issuer.mjs", &[])
    }

    /// With extra environment, e.g. `ISSUER_PATH=/tenant/a`, `DISCOVERY=rfc8414` (see tests/provider/README.md).
    pub fn start_with(env: &[(&str, &str)]) -> Provider {
        Self::start_script("server.mjs", env)
    }

    fn start_script(script: &str, env: &[(&str, &str)]) -> Provider {
        let (child, issuer) = start_node(
            "provider",
            "oidc-provider",
            script,
            env,
            "the test authorization server",
        );
        Provider { child, issuer }
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

    /// A token minted by the controlled issuer (`/__test/mint`, `body` chooses alg, case, nonce).
    #[track_caller]
    pub fn mint(&self, body: serde_json::Value) -> String {
        let answer = self.control("/__test/mint", body);
        let Some(token) = answer["token"].as_str() else {
            panic!("the controlled issuer minted no token: {answer}");
        };
        token.to_owned()
    }

    /// How often the controlled issuer's JWKS has been fetched.
    #[track_caller]
    pub fn jwks_fetches(&self) -> u64 {
        let stats = self.stats();
        let Some(n) = stats["jwks_fetches"].as_u64() else {
            panic!("the controlled issuer counts JWKS fetches: {stats}");
        };
        n
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

/// The first line a child writes on its piped stdout (its READY line), or "" if none comes
/// within `deadline`.
pub(crate) fn first_line(child: &mut std::process::Child, deadline: Duration) -> String {
    let Some(stdout) = child.stdout.take() else {
        return String::new();
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    rx.recv_timeout(deadline).unwrap_or_default()
}

/// Starts `node SCRIPT` in `tests/DIR` (which must have `node_modules/PACKAGE`) with `PORT=0`
/// and `env`, and waits for its one stdout line `READY <url>`: the child and the URL. Node has
/// been seen to hang at startup on a loaded machine (once in hundreds of starts): each attempt
/// gets a deadline, and there are three.
pub fn start_node(
    dir: &str,
    package: &str,
    script: &str,
    env: &[(&str, &str)],
    what: &str,
) -> (Child, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    assert!(
        dir.join("node_modules").join(package).exists(),
        "{} is not installed: run `npm ci` there (scripts/test does)",
        dir.display()
    );
    let deadline = Duration::from_secs(30);
    let mut last = None;
    for _ in 0..3 {
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
        let line = first_line(&mut child, deadline);
        if let Some(url) = line.trim().strip_prefix("READY ") {
            return (child, url.to_owned());
        }
        let _ = child.kill();
        let _ = child.wait();
        last = Some(StartError::NotReady { deadline, line });
    }
    let last = last.map(|e| e.to_string()).unwrap_or_default();
    panic!("{what} did not start: {last}");
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

/// An RFC 9068 JWT access token (RS256) straight from the server at `issuer`: client credentials
/// of the static `service` client for the JWT resource `urn:oauthdesk:jwt-api`.
pub fn jwt_access_token(issuer: &str) -> String {
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", "api:read"),
        ("resource", "urn:oauthdesk:jwt-api"),
    ];
    let (status, body) = http(
        reqwest::Method::POST,
        &format!("{issuer}/token"),
        &form,
        Some(("service", "service-secret")),
    );
    assert_eq!(status, 200, "the server issues a JWT access token: {body}");
    let jwt = body["access_token"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        jwt.split('.').count(),
        3,
        "the access token is a JWS (three parts): {jwt}"
    );
    jwt
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
