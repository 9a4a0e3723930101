//! A test HTTP gate for the credential-helper tests (`tests/tests/handoff_*.rs`): accepts a
//! request only with HTTP Basic credentials whose password is an access token the test
//! authorization server introspects as active (RFC 7662, `POST /token/introspection` as the
//! confidential `service` client), and hands accepted requests to a backend — the real
//! `git http-backend` as a CGI ([`git_cgi`]) or a minimal container registry ([`registry`]).
//! Every request without such credentials gets `401` with `WWW-Authenticate: Basic`, which is
//! what makes git and docker ask their credential helper.
//!
//! HTTP/1.1 by hand on tokio (one request per connection, `Connection: close`), on a thread of
//! its own with its own runtime, so sync tests can use it; dropped, it stops.

pub mod git_cgi;
pub mod registry;

use base64::Engine;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What accepted requests are handed to.
#[derive(Clone)]
pub enum Backend {
    /// `git http-backend` serving the bare repositories under this directory.
    Git { project_root: PathBuf },
    /// A registry serving one image, `demo:latest` (see [`registry`]).
    Registry,
}

/// What the gate saw.
#[derive(Default, Debug, Clone)]
pub struct GateLog {
    /// The tokens of accepted requests, in order (with repeats).
    pub accepted: Vec<String>,
    /// The usernames sent with accepted tokens.
    pub usernames: Vec<String>,
    /// Requests refused: no credentials, or a token that is not active.
    pub refused: u32,
    /// Requests refused although they carried credentials (an inactive token).
    pub refused_with_credentials: u32,
}

pub struct TokenGate {
    /// `http://127.0.0.1:<port>`
    pub url: String,
    /// `127.0.0.1:<port>` (what git sends as `host`, what docker names the registry).
    pub host: String,
    log: Arc<Mutex<GateLog>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Shared by the connections.
struct Gate {
    introspection: String,
    backend: Backend,
    log: Arc<Mutex<GateLog>>,
    http: reqwest::Client,
}

/// One parsed request.
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One response.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 64 * 1024 * 1024;

impl TokenGate {
    /// Starts the gate in front of `backend`, checking tokens at the server `issuer`.
    pub fn start(issuer: &str, backend: Backend) -> TokenGate {
        let log = Arc::new(Mutex::new(GateLog::default()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let gate = Gate {
            introspection: format!("{issuer}/token/introspection"),
            backend,
            log: log.clone(),
            http: reqwest::Client::new(),
        };
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("gate runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
                let port = listener.local_addr().expect("addr").port();
                let _ = ready_tx.send(port);
                let gate = Arc::new(gate);
                tokio::pin!(stopped);
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let gate = gate.clone();
                            tokio::spawn(async move { gate.serve(stream).await });
                        }
                    }
                }
            });
        });
        let port = ready_rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the gate starts");
        TokenGate {
            url: format!("http://127.0.0.1:{port}"),
            host: format!("127.0.0.1:{port}"),
            log,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn log(&self) -> GateLog {
        self.log.lock().expect("gate log").clone()
    }

    /// The token of the last accepted request.
    pub fn last_token(&self) -> Option<String> {
        self.log().accepted.last().cloned()
    }
}

impl Drop for TokenGate {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Gate {
    async fn serve(&self, mut stream: TcpStream) {
        let Some(request) = read_request(&mut stream).await else {
            return;
        };
        let response = match self.authorize(&request).await {
            Some(user) => match &self.backend {
                Backend::Git { project_root } => {
                    git_cgi::serve(project_root, &request, &user).await
                }
                Backend::Registry => registry::serve(&request),
            },
            None => Response {
                status: 401,
                headers: vec![
                    (
                        "WWW-Authenticate".into(),
                        "Basic realm=\"oauthdesk-test\"".into(),
                    ),
                    (
                        "Docker-Distribution-API-Version".into(),
                        "registry/2.0".into(),
                    ),
                    ("Content-Type".into(), "text/plain".into()),
                ],
                body: b"an active access token is required\n".to_vec(),
            },
        };
        let head_only = request.method == "HEAD";
        let _ = write_response(&mut stream, response, head_only).await;
    }

    /// The username of an accepted request (Basic auth with an active token as the password).
    async fn authorize(&self, request: &Request) -> Option<String> {
        let credentials = request
            .header("authorization")
            .and_then(|v| v.strip_prefix("Basic "))
            .and_then(|b| {
                base64::engine::general_purpose::STANDARD
                    .decode(b.trim())
                    .ok()
            })
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.split_once(':').map(|(u, p)| (u.to_owned(), p.to_owned())));
        let Some((user, token)) = credentials else {
            self.log.lock().expect("gate log").refused += 1;
            return None;
        };
        let active = self.introspect(&token).await;
        let mut log = self.log.lock().expect("gate log");
        if active {
            log.accepted.push(token);
            log.usernames.push(user.clone());
            Some(user)
        } else {
            log.refused += 1;
            log.refused_with_credentials += 1;
            None
        }
    }

    async fn introspect(&self, token: &str) -> bool {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("token", token)
            .finish();
        let Ok(resp) = self
            .http
            .post(&self.introspection)
            .basic_auth("service", Some("service-secret"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
        else {
            return false;
        };
        let text = resp.text().await.unwrap_or_default();
        serde_json::from_str::<serde_json::Value>(&text)
            .map(|v| v["active"] == serde_json::Value::Bool(true))
            .unwrap_or(false)
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.first() == Some(&0x16) {
            // A TLS ClientHello: answer in plain HTTP, as a plain server does, so the client
            // learns this is no TLS port (docker then tries http for a loopback registry).
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
                .await;
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut rest = buf[head_end + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    if find("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        stream
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .await
            .ok()?;
    }
    let body = if find("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        read_chunked(stream, &mut rest).await?
    } else {
        let len: usize = find("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if len > MAX_BODY {
            return None;
        }
        while rest.len() < len {
            let mut chunk = vec![0u8; 65536];
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            rest.extend_from_slice(&chunk[..n]);
        }
        rest.truncate(len);
        rest
    };
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    Some(Request {
        method,
        path,
        query,
        headers,
        body,
    })
}

/// A chunked body (RFC 9112 §7.1), `pending` holding what was already read after the head.
async fn read_chunked(stream: &mut TcpStream, pending: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = pending.windows(2).position(|w| w == b"\r\n") {
                break i;
            }
            fill(stream, pending).await?;
        };
        let size_text = String::from_utf8_lossy(&pending[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        pending.drain(..line_end + 2);
        if size == 0 {
            return Some(body);
        }
        if body.len() + size > MAX_BODY {
            return None;
        }
        while pending.len() < size + 2 {
            fill(stream, pending).await?;
        }
        body.extend_from_slice(&pending[..size]);
        pending.drain(..size + 2);
    }
}

async fn fill(stream: &mut TcpStream, pending: &mut Vec<u8>) -> Option<()> {
    let mut chunk = vec![0u8; 65536];
    let n = stream.read(&mut chunk).await.ok()?;
    if n == 0 {
        return None;
    }
    pending.extend_from_slice(&chunk[..n]);
    Some(())
}

async fn write_response(
    stream: &mut TcpStream,
    response: Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (n, v) in &response.headers {
        if !n.eq_ignore_ascii_case("content-length") {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    stream.write_all(head.as_bytes()).await?;
    if !head_only {
        stream.write_all(&response.body).await?;
    }
    stream.shutdown().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}
