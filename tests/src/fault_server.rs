//! A fault-injection HTTP/1.1 server for the fault suite (`tests/tests/faults_*.rs`): a tokio
//! listener on `127.0.0.1:0` with a hand-written HTTP/1.1 reader and writer, so an answer can be
//! anything a broken or hostile server sends — a closed connection, silence, a 5xx page, cut-off
//! JSON, a body past the client's cap, a redirect. Each test builds its own route table (path →
//! [`Fault`]), may change a route between steps ([`FaultServer::route`]), and counts the requests
//! each route received ([`FaultServer::hits`]).
//!
//! The server runs on a thread of its own with its own runtime, so sync tests (the CLI) and async
//! tests (`Desk` in-process) use it alike; dropping the [`FaultServer`] stops it and closes every
//! connection it still holds (the hanging ones too).

pub mod cli;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a route answers.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Read the request, then close the connection without a byte of answer ("empty reply").
    Refuse,
    /// Read the request and never answer; the connection stays open until the server is dropped.
    Hang,
    /// Send the head (with a `Content-Length` of `declared`) and `sent`, then stall forever.
    StallBody { declared: usize, sent: String },
    /// A complete answer.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// `Content-Length: declared` but only `body` is sent before the connection closes.
    ShortBody {
        content_type: String,
        body: String,
        declared: usize,
    },
    /// A body of `len` bytes: blanks, then `tail` (say, a valid token response, which a client
    /// without a cap would accept). With `declared`, a `Content-Length` says so up front, else
    /// the body simply runs until the connection closes.
    Huge {
        len: usize,
        declared: bool,
        tail: String,
    },
    /// The n-th request to the route gets the n-th answer; the last one repeats.
    Sequence(Vec<Fault>),
}

impl Fault {
    pub fn respond(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Fault {
        let mut headers = Vec::new();
        if !content_type.is_empty() {
            headers.push(("Content-Type".into(), content_type.into()));
        }
        Fault::Respond {
            status,
            headers,
            body: body.into(),
        }
    }

    /// `body` as written (so hostile numbers such as `1e30` reach the client verbatim), served as
    /// `application/json`.
    pub fn json_text(status: u16, body: &str) -> Fault {
        Self::respond(status, "application/json", body)
    }

    pub fn json(status: u16, body: &serde_json::Value) -> Fault {
        Self::json_text(status, &body.to_string())
    }

    /// An HTML page (a proxy's or load balancer's error page).
    pub fn html(status: u16, title: &str) -> Fault {
        let page = format!(
            "<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
        );
        Self::respond(status, "text/html; charset=utf-8", page)
    }

    /// 200, `application/json`, and a body that is not JSON at all.
    pub fn invalid_json() -> Fault {
        Self::json_text(200, "this is not JSON {")
    }

    /// `full` cut after `keep` bytes, with a `Content-Length` that matches the cut (a complete
    /// HTTP message whose JSON is incomplete).
    pub fn truncated_json(full: &str, keep: usize) -> Fault {
        Self::json_text(200, &full[..keep.min(full.len())])
    }

    /// A JSON body served under another content type.
    pub fn wrong_content_type(status: u16, content_type: &str, body: &serde_json::Value) -> Fault {
        Self::respond(status, content_type, body.to_string())
    }

    /// `302 Found` to `location` (which the client must never follow).
    pub fn redirect(location: &str) -> Fault {
        Fault::Respond {
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }

    /// `status` with an empty body and no content type (real servers refuse a refresh this way).
    pub fn empty(status: u16) -> Fault {
        Self::respond(status, "", Vec::new())
    }
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A form parameter of the body.
    pub fn form(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.body.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Fault>,
    requests: Vec<Request>,
}

/// A running fault server; stopped on drop.
pub struct FaultServer {
    base: String,
    state: Arc<Mutex<State>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FaultServer {
    /// Starts a server with no routes (every path answers 404 until routed).
    pub fn start() -> FaultServer {
        let state = Arc::new(Mutex::new(State::default()));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("fault server runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind 127.0.0.1:0");
                addr_tx
                    .send(listener.local_addr().expect("local addr"))
                    .expect("report the address");
                tokio::select! {
                    _ = stop => {}
                    _ = accept_loop(listener, shared) => {}
                }
            });
            // Dropping the runtime drops every connection task, the hanging ones included.
            drop(rt);
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the fault server binds within 10 s");
        FaultServer {
            base: format!("http://{addr}"),
            state,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// Starts a server with these routes.
    pub fn with_routes(routes: impl IntoIterator<Item = (&'static str, Fault)>) -> FaultServer {
        let server = Self::start();
        for (path, fault) in routes {
            server.route(path, fault);
        }
        server
    }

    /// `http://127.0.0.1:<port>`, no trailing slash: also the issuer of a served discovery document.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sets (or replaces) what `path` answers, whatever the method.
    pub fn route(&self, path: &str, fault: Fault) {
        self.lock().routes.insert(path.to_owned(), fault);
    }

    /// How many requests `path` has received.
    pub fn hits(&self, path: &str) -> usize {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.path == path)
            .count()
    }

    /// The requests `path` received, oldest first.
    pub fn requests(&self, path: &str) -> Vec<Request> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// Every request received, oldest first.
    pub fn all_requests(&self) -> Vec<Request> {
        self.lock().requests.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A loopback URL nothing listens on (connection refused): bound, then released.
pub fn closed_port_url(path: &str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    drop(listener);
    format!("http://{addr}{path}")
}

async fn accept_loop(listener: TcpListener, state: Arc<Mutex<State>>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(serve(stream, state.clone()));
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let fault = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        let seen = s.requests.iter().filter(|r| r.path == request.path).count();
        let fault = s.routes.get(&request.path).cloned();
        s.requests.push(request);
        match fault {
            Some(Fault::Sequence(list)) => {
                list.get(seen.min(list.len().saturating_sub(1))).cloned()
            }
            other => other,
        }
    };
    let fault = match fault {
        None | Some(Fault::Sequence(_)) => Fault::json_text(404, r#"{"error":"no_route"}"#),
        Some(f) => f,
    };
    match fault {
        // A sequence inside a sequence is not resolved further: it answers nothing.
        Fault::Refuse | Fault::Sequence(_) => {}
        Fault::Hang => std::future::pending::<()>().await,
        Fault::StallBody { declared, sent } => {
            let head = head(200, &[("Content-Type", "application/json")], Some(declared));
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(sent.as_bytes()).await;
            let _ = stream.flush().await;
            std::future::pending::<()>().await
        }
        Fault::Respond {
            status,
            headers,
            body,
        } => {
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let _ = stream
                .write_all(head(status, &headers, Some(body.len())).as_bytes())
                .await;
            let _ = stream.write_all(&body).await;
        }
        Fault::ShortBody {
            content_type,
            body,
            declared,
        } => {
            let head = head(200, &[("Content-Type", &content_type)], Some(declared));
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body.as_bytes()).await;
        }
        Fault::Huge {
            len,
            declared,
            tail,
        } => {
            let head = head(
                200,
                &[("Content-Type", "application/json")],
                declared.then_some(len),
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            let mut left = len.saturating_sub(tail.len());
            while left > 0 {
                let n = left.min(chunk.len());
                // The client stops reading at its cap and closes: the write fails, which is fine.
                if stream.write_all(&chunk[..n]).await.is_err() {
                    return;
                }
                left -= n;
            }
            let _ = stream.write_all(tail.as_bytes()).await;
        }
    }
    let _ = stream.shutdown().await;
}

fn head(status: u16, headers: &[(&str, &str)], length: Option<usize>) -> String {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    if let Some(len) = length {
        out.push_str(&format!("Content-Length: {len}\r\n"));
    }
    out.push_str("Connection: close\r\n\r\n");
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 256 * 1024 {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target, None),
    };
    Some(Request {
        method,
        path,
        query,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}
