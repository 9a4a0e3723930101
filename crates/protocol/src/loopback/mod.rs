//! The loopback redirect listener of RFC 8252 §7.3: binds the loopback interface on an
//! ephemeral port (or the client's fixed one), checks `state` (RFC 6749 §10.12) and `iss`
//! (RFC 9207 §2.4), turns `error=` into an OAuth error, answers the browser with a short page,
//! and gives up after a timeout. Dropping the future cancels it and closes the port.
//!
//! For the implicit grant the parameters arrive in the fragment, which browsers never send:
//! the first GET is answered with a page whose script POSTs the fragment back to this listener.
//!
//! Connections are served concurrently, inside the `wait` future itself (no spawned tasks, so
//! dropping it closes the port and every connection at once). Each has [`REQUEST_DEADLINE`]
//! for its whole request and [`MAX_REQUEST`] bytes for head and body; at most
//! [`MAX_CONNECTIONS`] are read at a time, a new one closing the oldest. Browsers' idle
//! preconnect sockets, slow senders and noise thus cannot hold up the callback: the first
//! request on the callback path that parses decides, as soon as it is complete.

mod request;

pub use request::{MAX_REQUEST, ParseError, Request, parse_request};

use crate::error::{OAuthError, ProtocolError, Result};
use request::{Head, check_start, head_end, parse_head};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

/// Time a connection has for its whole request, head and body, from its accept.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// Connections read at once; accepting one more closes the oldest.
pub const MAX_CONNECTIONS: usize = 32;
/// Bound on writing an answer (a page of about 1 KiB, which the socket buffer takes at once).
const WRITE_DEADLINE: Duration = Duration::from_secs(5);
/// After refusing a request, unread input is drained this long (at most) so the client reads
/// the answer rather than a connection reset.
const LINGER: Duration = Duration::from_secs(1);
/// Pause after a failed accept (out of file descriptors, say), so it does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// Until the head is complete only its first bytes are checked for noise, keeping the work per
/// connection linear; the whole head is checked once complete.
const EARLY_CHECK: usize = 1024;

/// What the callback is checked against.
#[derive(Debug, Clone)]
pub struct CallbackExpectation {
    pub state: String,
    /// The issuer to compare `iss` with, when known.
    pub issuer: Option<String>,
    /// The server advertised `authorization_response_iss_parameter_supported`: `iss` is then required.
    pub iss_required: bool,
    /// Implicit: parameters come in the fragment.
    pub fragment: bool,
    /// A post-logout redirect (OIDC RP-Initiated Logout §3): `state` only, no code or token.
    pub logout: bool,
}

/// The callback's parameters, after every check passed.
#[derive(Debug, Clone)]
pub struct Callback {
    pub params: Vec<(String, String)>,
    /// `iss` was present and matched (RFC 9207).
    pub iss_checked: bool,
}

impl Callback {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

pub struct LoopbackListener {
    listener: TcpListener,
    redirect_uri: Url,
    /// [`REQUEST_DEADLINE`]; shorter in tests.
    request_deadline: Duration,
}

impl LoopbackListener {
    /// Binds the host of `redirect_template` (127.0.0.1, localhost → 127.0.0.1, or [::1]) on its
    /// port, or an ephemeral one when it has none; the returned redirect URI carries the real port.
    pub async fn bind(redirect_template: &str) -> Result<Self> {
        let mut uri = Url::parse(redirect_template).map_err(|e| ProtocolError::InvalidUrl {
            url: redirect_template.into(),
            reason: e.to_string(),
        })?;
        let ip = match uri.host() {
            Some(url::Host::Ipv4(ip)) if ip.is_loopback() => std::net::IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) if ip.is_loopback() => std::net::IpAddr::V6(ip),
            Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => {
                std::net::IpAddr::from([127, 0, 0, 1])
            }
            _ => return Err(ProtocolError::InvalidUrl {
                url: redirect_template.into(),
                reason:
                    "a loopback redirect URI must use 127.0.0.1, [::1] or localhost (RFC 8252 §7.3)"
                        .into(),
            }),
        };
        if uri.scheme() != "http" {
            return Err(ProtocolError::InvalidUrl {
                url: redirect_template.into(),
                reason: "loopback redirect URIs use http (RFC 8252 §7.3)".into(),
            });
        }
        let addr = std::net::SocketAddr::new(ip, uri.port().unwrap_or(0));
        let listener = TcpListener::bind(addr).await.map_err(|e| ProtocolError::ListenerBind {
            addr: addr.to_string(),
            reason: if e.kind() == std::io::ErrorKind::AddrInUse {
                "the port is in use by another program; close it or choose another port for this client".into()
            } else {
                e.to_string()
            },
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| ProtocolError::ListenerBind {
                addr: addr.to_string(),
                reason: e.to_string(),
            })?
            .port();
        uri.set_port(Some(port)).expect("http URLs take a port");
        Ok(Self {
            listener,
            redirect_uri: uri,
            request_deadline: REQUEST_DEADLINE,
        })
    }

    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// Waits for the callback. Requests to other paths get a 404 and are ignored, as are
    /// requests that do not parse (400, or 413/431 when too large) and connections that do not
    /// deliver a whole request within [`REQUEST_DEADLINE`] (closed without an answer).
    pub async fn wait(self, expect: &CallbackExpectation, timeout: Duration) -> Result<Callback> {
        match tokio::time::timeout(timeout, self.serve(expect)).await {
            Ok(result) => result,
            Err(_) => Err(ProtocolError::CallbackTimeout(timeout.as_secs())),
        }
    }

    async fn serve(&self, expect: &CallbackExpectation) -> Result<Callback> {
        let path = self.redirect_uri.path();
        let mut connections = Connections::new(MAX_CONNECTIONS);
        let mut backoff: Option<Pin<Box<tokio::time::Sleep>>> = None;
        loop {
            let event = poll_fn(|cx| {
                // Connections first: each finishes once, so accepting waits for at most
                // MAX_CONNECTIONS of them, while a flood of connects cannot hold up a callback
                // that has been read.
                if let Poll::Ready(done) = connections.poll_next(cx) {
                    return Poll::Ready(Event::Done(done));
                }
                if let Some(pause) = backoff.as_mut() {
                    if pause.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    backoff = None;
                }
                self.listener.poll_accept(cx).map(Event::Accepted)
            })
            .await;
            let (mut stream, request) = match event {
                Event::Accepted(Ok((stream, _))) => {
                    connections.push(connection(
                        stream,
                        path,
                        expect.fragment,
                        self.request_deadline,
                    ));
                    continue;
                }
                Event::Accepted(Err(_)) => {
                    backoff = Some(Box::pin(tokio::time::sleep(ACCEPT_BACKOFF)));
                    continue;
                }
                Event::Done(None) => continue,
                Event::Done(Some(callback)) => callback,
            };
            let outcome = check(&request.params, expect);
            match &outcome {
                Ok(_) => respond(&mut stream, 200, "Signed in", "OAuth Desk received the authorization response. You can close this window and return to OAuth Desk.").await,
                Err(ProtocolError::OAuth(e)) => {
                    let text = format!("The server answered with {}{}. You can close this window; OAuth Desk shows the details.", e.error, e.error_description.as_deref().map(|d| format!(": {d}")).unwrap_or_default());
                    respond(&mut stream, 200, "Authorization failed", &text).await
                }
                Err(e) => respond(&mut stream, 400, "Authorization rejected", &format!("{e}. You can close this window.")).await,
            }
            return outcome;
        }
    }
}

enum Event<T> {
    Accepted(std::io::Result<(TcpStream, std::net::SocketAddr)>),
    Done(T),
}

/// The connections being read, oldest first, polled by the future that owns them (so dropping
/// it drops them all). Holds at most `cap`: pushing one more drops the oldest, so a callback
/// always gets in however many idle sockets a browser (or anything else) has open.
struct Connections<F> {
    live: Vec<Pin<Box<F>>>,
    cap: usize,
}

impl<F: Future> Connections<F> {
    fn new(cap: usize) -> Self {
        Self {
            live: Vec::with_capacity(cap),
            cap,
        }
    }

    fn push(&mut self, connection: F) {
        if self.live.len() >= self.cap {
            self.live.remove(0);
        }
        self.live.push(Box::pin(connection));
    }

    /// The output of a connection that finished; pending while none has (or there are none).
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<F::Output> {
        for i in 0..self.live.len() {
            if let Poll::Ready(out) = self.live[i].as_mut().poll(cx) {
                self.live.remove(i);
                return Poll::Ready(out);
            }
        }
        Poll::Pending
    }
}

/// Reads one connection's request within `deadline` and answers all but a callback: requests
/// that do not parse, other paths, and the implicit grant's first GET (its fragment page).
/// A request on the callback path comes back with its stream, for `serve` to check and answer.
async fn connection(
    mut stream: TcpStream,
    path: &str,
    fragment: bool,
    deadline: Duration,
) -> Option<(TcpStream, Request)> {
    let request = match tokio::time::timeout(deadline, read_request(&mut stream)).await {
        Ok(Ok(request)) => request,
        Ok(Err(Refusal::Invalid(e))) => {
            let title = match e {
                ParseError::HeadTooLarge | ParseError::BodyTooLarge => "Request too large",
                _ => "Bad request",
            };
            let text = format!(
                "This is OAuth Desk's login listener; it could not read this request: {e}."
            );
            respond(&mut stream, e.status(), title, &text).await;
            linger(&mut stream).await;
            return None;
        }
        // Closed, failed, or too slow: nothing to answer.
        Ok(Err(Refusal::Closed)) | Err(_) => return None,
    };
    if request.path != path {
        respond(
            &mut stream,
            404,
            "Not found",
            "This is OAuth Desk's login listener; it only answers its callback path.",
        )
        .await;
        return None;
    }
    if request.params.is_empty() && fragment && request.method == "GET" {
        respond_html(&mut stream, 200, FRAGMENT_PAGE).await;
        return None;
    }
    Some((stream, request))
}

enum Refusal {
    /// The peer closed or the read failed before a whole request came.
    Closed,
    Invalid(ParseError),
}

impl From<ParseError> for Refusal {
    fn from(e: ParseError) -> Self {
        Self::Invalid(e)
    }
}

/// Reads a request with [`parse_request`]'s rules, but incrementally: the head's end is searched
/// for in the new bytes only, and noise is refused from its first bytes.
async fn read_request(stream: &mut TcpStream) -> std::result::Result<Request, Refusal> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let mut head: Option<(Head, usize)> = None;
    loop {
        let n = stream.read(&mut chunk).await.map_err(|_| Refusal::Closed)?;
        if n == 0 {
            return Err(Refusal::Closed);
        }
        let scanned = buf.len();
        buf.extend_from_slice(&chunk[..n]);
        let (parsed, end) = match head.take() {
            Some(known) => known,
            None => match head_end(&buf, scanned) {
                Some(end) => (parse_head(&buf[..end])?, end),
                None => {
                    if scanned < EARLY_CHECK {
                        check_start(&buf[..buf.len().min(EARLY_CHECK)])?;
                    }
                    if buf.len() >= MAX_REQUEST {
                        return Err(ParseError::HeadTooLarge.into());
                    }
                    continue;
                }
            },
        };
        let body_end = end + parsed.content_length;
        if buf.len() >= body_end {
            return Ok(parsed.into_request(&buf[end..body_end]));
        }
        head = Some((parsed, end));
    }
}

/// Drains what the client still sends (up to a bound), after an answer and a shutdown, so that
/// closing with unread input does not reset the connection before the client reads the answer.
async fn linger(stream: &mut TcpStream) {
    let mut sink = [0u8; 4096];
    let drain = async {
        let mut total = 0;
        while total < 4 * MAX_REQUEST {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => total += n,
            }
        }
    };
    let _ = tokio::time::timeout(LINGER, drain).await;
}

/// The checks of RFC 6749 §4.1.2 / §10.12 and RFC 9207 §2.4, in that order: state first, so a
/// forged error cannot pass as the server's answer.
pub fn check(params: &[(String, String)], expect: &CallbackExpectation) -> Result<Callback> {
    let get = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    if params.is_empty() {
        return Err(ProtocolError::CallbackIncomplete);
    }
    if get("state") != Some(expect.state.as_str()) {
        return Err(ProtocolError::StateMismatch);
    }
    let mut iss_checked = false;
    match (get("iss"), &expect.issuer) {
        (Some(got), Some(expected)) if got != expected => {
            return Err(ProtocolError::IssuerMismatch {
                expected: expected.clone(),
                got: got.into(),
            });
        }
        (Some(_), Some(_)) => iss_checked = true,
        // Responses carrying an ID token identify the issuer by its `iss` claim (OIDC implicit and
        // hybrid flows; RFC 9207 §2.4 defers to it), which servers such as oidc-provider rely on.
        (None, Some(expected)) if get("id_token").is_some() => {
            match id_token_issuer(get("id_token").unwrap_or_default()) {
                Some(got) if &got == expected => iss_checked = true,
                got => {
                    return Err(ProtocolError::IssuerMismatch {
                        expected: expected.clone(),
                        got: got
                            .unwrap_or_else(|| "(an ID token without a readable iss claim)".into()),
                    });
                }
            }
        }
        (None, Some(expected)) if expect.iss_required => {
            return Err(ProtocolError::IssuerMismatch {
                expected: expected.clone(),
                got: "(none; the server advertises authorization_response_iss_parameter_supported)"
                    .into(),
            });
        }
        _ => {}
    }
    if let Some(error) = get("error") {
        return Err(ProtocolError::OAuth(OAuthError {
            error: error.into(),
            error_description: get("error_description").map(Into::into),
            error_uri: get("error_uri").map(Into::into),
            status: None,
        }));
    }
    if !expect.logout
        && get("code").is_none()
        && get("access_token").is_none()
        && get("id_token").is_none()
    {
        return Err(ProtocolError::CallbackIncomplete);
    }
    Ok(Callback {
        params: params.to_vec(),
        iss_checked,
    })
}

fn id_token_issuer(id_token: &str) -> Option<String> {
    crate::jose::decode(id_token)?
        .claims?
        .get("iss")?
        .as_str()
        .map(str::to_owned)
}

async fn respond(stream: &mut TcpStream, status: u16, title: &str, text: &str) {
    let page = format!(
        "<!doctype html><html><head><meta charset=utf-8><title>OAuth Desk — {t}</title><style>body{{font:16px system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}}@media(prefers-color-scheme:dark){{body{{background:#1b1d21;color:#eee}}}}</style></head><body><h1>{t}</h1><p>{x}</p></body></html>",
        t = escape(title),
        x = escape(text)
    );
    respond_html(stream, status, &page).await;
}

async fn respond_html(stream: &mut TcpStream, status: u16, page: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        _ => "Not Found",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\ncache-control: no-store\r\nreferrer-policy: no-referrer\r\nconnection: close\r\n\r\n",
        page.len()
    );
    let write = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(page.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(WRITE_DEADLINE, write).await;
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Posts the fragment (which never reaches a server) back to this listener, then shows the answer.
const FRAGMENT_PAGE: &str = r#"<!doctype html><html><head><meta charset=utf-8><title>OAuth Desk</title></head><body><p id=m>Handing the response to OAuth Desk…</p><script>
var f = location.hash.slice(1);
history.replaceState(null, "", location.pathname);
fetch(location.pathname, {method: "POST", headers: {"content-type": "application/x-www-form-urlencoded"}, body: f})
  .then(function (r) { return r.text(); })
  .then(function (t) { document.open(); document.write(t); document.close(); })
  .catch(function () { document.getElementById("m").textContent = "Could not reach OAuth Desk; is it still waiting?"; });
</script></body></html>"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn exp() -> CallbackExpectation {
        CallbackExpectation {
            state: "s1".into(),
            issuer: Some("https://as.example".into()),
            iss_required: false,
            fragment: false,
            logout: false,
        }
    }

    fn p(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn state_then_iss_then_error_then_code() {
        assert!(
            matches!(
                check(&p(&[("code", "c"), ("state", "zz")]), &exp()),
                Err(ProtocolError::StateMismatch)
            ),
            "wrong state"
        );
        assert!(
            matches!(
                check(&p(&[("error", "access_denied"), ("state", "zz")]), &exp()),
                Err(ProtocolError::StateMismatch)
            ),
            "forged error"
        );
        assert!(
            matches!(
                check(
                    &p(&[("code", "c"), ("state", "s1"), ("iss", "https://evil")]),
                    &exp()
                ),
                Err(ProtocolError::IssuerMismatch { .. })
            ),
            "mix-up"
        );
        let denied = check(
            &p(&[
                ("error", "access_denied"),
                ("error_description", "no"),
                ("state", "s1"),
            ]),
            &exp(),
        )
        .unwrap_err();
        assert_eq!(
            denied.oauth().unwrap().error,
            "access_denied",
            "error= becomes an OAuth error"
        );
        let ok = check(
            &p(&[
                ("code", "c"),
                ("state", "s1"),
                ("iss", "https://as.example"),
            ]),
            &exp(),
        )
        .unwrap();
        assert!(
            ok.iss_checked && ok.get("code") == Some("c"),
            "a matching iss is accepted and recorded as checked (RFC 9207), and the code is read"
        );
        let strict = CallbackExpectation {
            iss_required: true,
            ..exp()
        };
        assert!(
            matches!(
                check(&p(&[("code", "c"), ("state", "s1")]), &strict),
                Err(ProtocolError::IssuerMismatch { .. })
            ),
            "iss required when advertised"
        );
        assert!(
            matches!(
                check(&p(&[("state", "s1")]), &exp()),
                Err(ProtocolError::CallbackIncomplete)
            ),
            "a callback with a state but neither code nor error is refused as incomplete"
        );
    }

    #[tokio::test]
    async fn listener_answers_the_browser_and_times_out() {
        let l = LoopbackListener::bind("http://127.0.0.1/callback")
            .await
            .unwrap();
        let uri = l.redirect_uri().clone();
        assert_ne!(uri.port(), Some(0), "ephemeral port filled in");
        let target = format!("{}?code=abc&state=s1", uri);
        let browser = tokio::spawn(async move {
            let mut s = TcpStream::connect(("127.0.0.1", uri.port().unwrap()))
                .await
                .unwrap();
            let path = &target[target.find("/callback").unwrap()..];
            s.write_all(format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes())
                .await
                .unwrap();
            let mut page = String::new();
            s.read_to_string(&mut page).await.unwrap();
            page
        });
        let cb = l
            .wait(
                &CallbackExpectation {
                    issuer: None,
                    ..exp()
                },
                Duration::from_secs(5),
            )
            .await
            .unwrap();
        assert_eq!(
            cb.get("code"),
            Some("abc"),
            "the code in the browser's request reaches the waiting flow"
        );
        let page = browser.await.unwrap();
        assert!(
            page.starts_with("HTTP/1.1 200") && page.contains("You can close this window"),
            "browser told what happened: {page}"
        );
        let idle = LoopbackListener::bind("http://127.0.0.1/callback")
            .await
            .unwrap();
        assert!(
            matches!(
                idle.wait(&exp(), Duration::from_millis(50)).await,
                Err(ProtocolError::CallbackTimeout(_))
            ),
            "without a browser the wait ends in a timeout"
        );
    }

    #[tokio::test]
    async fn busy_port_is_named() {
        let first = LoopbackListener::bind("http://127.0.0.1/callback")
            .await
            .unwrap();
        let port = first.redirect_uri().port().unwrap();
        let second = LoopbackListener::bind(&format!("http://127.0.0.1:{port}/callback")).await;
        assert!(
            matches!(&second, Err(ProtocolError::ListenerBind { reason, .. }) if reason.contains("in use")),
            "busy port explained"
        );
        assert!(
            LoopbackListener::bind("http://example.com/cb")
                .await
                .is_err(),
            "non-loopback refused"
        );
    }

    // The listener under load. Each test binds its own ephemeral port and waits in a task; the
    // times are measured from sending the callback to `wait` returning it.

    fn any_issuer() -> CallbackExpectation {
        CallbackExpectation {
            issuer: None,
            ..exp()
        }
    }

    type Waiting = tokio::task::JoinHandle<Result<Callback>>;

    async fn start(
        expect: CallbackExpectation,
        request_deadline: Option<Duration>,
    ) -> (u16, Waiting) {
        let mut l = LoopbackListener::bind("http://127.0.0.1/callback")
            .await
            .unwrap();
        if let Some(d) = request_deadline {
            l.request_deadline = d;
        }
        let port = l.redirect_uri().port().unwrap();
        let waiting = tokio::spawn(async move { l.wait(&expect, Duration::from_secs(20)).await });
        (port, waiting)
    }

    async fn connect(port: u16) -> TcpStream {
        TcpStream::connect(("127.0.0.1", port)).await.unwrap()
    }

    /// What the client reads until the listener closes (a reset ends it too).
    async fn read_all(s: &mut TcpStream) -> String {
        let mut got = Vec::new();
        let mut chunk = [0u8; 4096];
        while let Ok(n @ 1..) = s.read(&mut chunk).await {
            got.extend_from_slice(&chunk[..n]);
        }
        String::from_utf8_lossy(&got).into_owned()
    }

    async fn send(port: u16, bytes: &[u8]) -> String {
        let mut s = connect(port).await;
        // The listener may refuse before reading everything; its answer is what counts.
        let _ = s.write_all(bytes).await;
        read_all(&mut s).await
    }

    async fn get(port: u16, target: &str) -> String {
        send(
            port,
            format!("GET {target} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes(),
        )
        .await
    }

    /// Sends the real callback and returns how long the listener took to accept it.
    async fn deliver_callback(port: u16, waiting: Waiting, case: &str) -> Duration {
        let start = std::time::Instant::now();
        let page = get(port, "/callback?code=abc&state=s1").await;
        let cb = waiting
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{case}: the callback must be accepted, got {e}"));
        let took = start.elapsed();
        println!("{case}: callback accepted in {took:?}");
        assert!(
            page.starts_with("HTTP/1.1 200") && page.contains("Signed in"),
            "{case}: the browser is told it signed in: {page}"
        );
        assert_eq!(
            cb.get("code"),
            Some("abc"),
            "{case}: the outcome is the real callback's, not another connection's"
        );
        took
    }

    /// Whether the listener closed this connection within a second.
    async fn closed_soon(s: &mut TcpStream) -> bool {
        let mut b = [0u8; 1];
        matches!(
            tokio::time::timeout(Duration::from_secs(1), s.read(&mut b)).await,
            Ok(Ok(0) | Err(_))
        )
    }

    #[tokio::test]
    async fn idle_connection_does_not_delay_the_callback() {
        let (port, waiting) = start(any_issuer(), None).await;
        // Connected first, so accepted first: the old listener read it for 10 s.
        let _preconnect = connect(port).await;
        let took = deliver_callback(port, waiting, "idle preconnect socket").await;
        assert!(
            took < Duration::from_secs(1),
            "an idle preconnect socket must not delay the callback (took {took:?})"
        );
    }

    /// Connects and sends a valid-looking head that never ends, one byte per `every`; reports
    /// once it has sent a few bytes, and finally how long until the listener closed it.
    fn slow_loris(
        port: u16,
        every: Duration,
    ) -> (
        tokio::sync::oneshot::Receiver<()>,
        tokio::task::JoinHandle<Duration>,
    ) {
        let (started, started_rx) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let begin = std::time::Instant::now();
            let mut s = connect(port).await;
            let mut tick = tokio::time::interval(every);
            let bytes = b"GET /callback?code=loris&state=s1 HTTP/1.1\r\nx-pad: ";
            let mut bytes = bytes.iter().copied().chain(std::iter::repeat(b'a'));
            let mut started = Some(started);
            let mut sent = 0;
            let mut b = [0u8; 64];
            loop {
                tokio::select! {
                    r = s.read(&mut b) => {
                        if matches!(r, Ok(0) | Err(_)) {
                            return begin.elapsed();
                        }
                    }
                    _ = tick.tick() => {
                        if s.write_all(&[bytes.next().unwrap()]).await.is_err() {
                            return begin.elapsed();
                        }
                        sent += 1;
                        if sent == 3 {
                            let _ = started.take().map(|s| s.send(()));
                        }
                    }
                }
            }
        });
        (started_rx, task)
    }

    #[tokio::test]
    async fn slow_loris_does_not_hold_the_login() {
        let (port, waiting) = start(any_issuer(), None).await;
        let (started, loris) = slow_loris(port, Duration::from_millis(100));
        started.await.unwrap();
        let took = deliver_callback(port, waiting, "slow loris").await;
        loris.abort();
        assert!(
            took < Duration::from_secs(1),
            "a connection sending a byte every 100 ms must not hold the callback (took {took:?})"
        );
    }

    #[tokio::test]
    async fn slow_loris_is_cut_off_at_the_request_deadline() {
        let deadline = Duration::from_millis(300);
        let (port, waiting) = start(any_issuer(), Some(deadline)).await;
        let (_started, loris) = slow_loris(port, Duration::from_millis(50));
        let lived = tokio::time::timeout(Duration::from_secs(5), loris)
            .await
            .expect(
                "the listener must close a slow sender: the deadline is per request, not per read",
            )
            .unwrap();
        println!("slow loris closed after {lived:?} (deadline {deadline:?})");
        assert!(
            lived >= deadline - Duration::from_millis(50) && lived < Duration::from_secs(2),
            "the slow sender is closed at the request deadline, not before or long after ({lived:?})"
        );
        waiting.abort();
    }

    #[tokio::test]
    async fn garbage_gets_400_and_the_listener_keeps_working() {
        let (port, waiting) = start(any_issuer(), None).await;
        let cases: &[(&str, &[u8])] = &[
            ("TLS hello", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),
            ("binary noise", b"\x00\xff\x13\x37"),
            ("words", b"hello there\r\n\r\n"),
            (
                "a callback with a broken header",
                b"GET /callback?code=evil&state=s1 HTTP/1.1\r\nno colon here\r\n\r\n",
            ),
        ];
        for (case, bytes) in cases {
            let start = std::time::Instant::now();
            let answer = send(port, bytes).await;
            assert!(
                answer.starts_with("HTTP/1.1 400 "),
                "{case}: non-HTTP bytes are answered 400: {answer}"
            );
            assert!(
                start.elapsed() < Duration::from_secs(1),
                "{case}: noise is refused at once, not at the deadline ({:?})",
                start.elapsed()
            );
        }
        let other = get(port, "/favicon.ico").await;
        assert!(
            other.starts_with("HTTP/1.1 404 "),
            "other paths are still 404: {other}"
        );
        let took = deliver_callback(port, waiting, "after garbage").await;
        assert!(
            took < Duration::from_secs(1),
            "the listener keeps serving after noise (took {took:?})"
        );
    }

    #[tokio::test]
    async fn oversized_requests_are_refused_and_the_listener_keeps_working() {
        let (port, waiting) = start(any_issuer(), None).await;
        let mut head = b"GET /callback?code=big&state=s1 HTTP/1.1\r\nx-pad: ".to_vec();
        head.resize(MAX_REQUEST + 8 * 1024, b'a');
        let answer = send(port, &head).await;
        assert!(
            answer.starts_with("HTTP/1.1 431 "),
            "a head above {MAX_REQUEST} bytes is refused with 431: {answer:.80}"
        );
        let body = format!(
            "POST /callback HTTP/1.1\r\ncontent-length: {}\r\n\r\nstate=s1&code=big",
            MAX_REQUEST + 1
        );
        let answer = send(port, body.as_bytes()).await;
        assert!(
            answer.starts_with("HTTP/1.1 413 "),
            "a body above {MAX_REQUEST} bytes is refused with 413 before it is read: {answer:.80}"
        );
        let took = deliver_callback(port, waiting, "after oversized requests").await;
        assert!(
            took < Duration::from_secs(1),
            "the listener keeps serving after oversized requests (took {took:?})"
        );
    }

    #[tokio::test]
    async fn fifty_idle_connections_and_the_callback() {
        let (port, waiting) = start(any_issuer(), None).await;
        let mut idle = Vec::new();
        for _ in 0..50 {
            idle.push(connect(port).await);
        }
        assert!(
            closed_soon(&mut idle[0]).await,
            "beyond {MAX_CONNECTIONS} connections the oldest is closed, bounding what idle sockets hold"
        );
        let took = deliver_callback(port, waiting, "50 idle connections").await;
        assert!(
            took < Duration::from_secs(1),
            "50 idle connections must not delay the callback (took {took:?})"
        );
    }

    #[tokio::test]
    async fn implicit_fragment_page_then_post() {
        let (port, waiting) = start(
            CallbackExpectation {
                fragment: true,
                ..any_issuer()
            },
            None,
        )
        .await;
        let page = get(port, "/callback").await;
        assert!(
            page.starts_with("HTTP/1.1 200") && page.contains("method: \"POST\""),
            "the first GET gets the page that posts the fragment back: {page:.120}"
        );
        let form = "access_token=t&token_type=bearer&state=s1";
        let answer = send(
            port,
            format!(
                "POST /callback HTTP/1.1\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{form}",
                form.len()
            )
            .as_bytes(),
        )
        .await;
        assert!(
            answer.starts_with("HTTP/1.1 200") && answer.contains("Signed in"),
            "the posted fragment is the callback: {answer}"
        );
        let cb = waiting
            .await
            .unwrap()
            .expect("the posted fragment passes the checks");
        assert_eq!(
            cb.get("access_token"),
            Some("t"),
            "parameters come from the POST body"
        );
    }

    #[tokio::test]
    async fn dropping_the_wait_closes_the_port_and_its_connections() {
        let l = LoopbackListener::bind("http://127.0.0.1/callback")
            .await
            .unwrap();
        let port = l.redirect_uri().port().unwrap();
        let e = any_issuer();
        let mut idle = connect(port).await;
        {
            let wait = l.wait(&e, Duration::from_secs(20));
            tokio::pin!(wait);
            // Served after `idle` was accepted (in connect order), so `idle` is being read.
            tokio::select! {
                r = &mut wait => panic!("nothing should decide the wait: {r:?}"),
                page = get(port, "/elsewhere") => assert!(
                    page.starts_with("HTTP/1.1 404"),
                    "the listener is serving before it is dropped: {page}"
                ),
            }
        }
        assert!(
            closed_soon(&mut idle).await,
            "dropping the wait future closes the connections it was reading"
        );
        assert!(
            TcpStream::connect(("127.0.0.1", port)).await.is_err(),
            "dropping the wait future closes the port"
        );
    }

    #[test]
    fn the_wait_future_is_send() {
        fn send<T: Send>(_: &T) {}
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let l = rt
            .block_on(LoopbackListener::bind("http://127.0.0.1/callback"))
            .unwrap();
        let e = exp();
        let wait = l.wait(&e, Duration::from_millis(1));
        send(&wait);
    }
}
