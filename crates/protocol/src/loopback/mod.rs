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
use tokio::io::AsyncReadExt;
#[cfg(test)]
use tokio::io::AsyncWriteExt;
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
    /// A JWT response mode (JARM): the parameters come signed in `response`, checked by the
    /// caller against the issuer's keys before [`check`] runs on its claims.
    pub jarm: bool,
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

/// Checks that a redirect URI can be served by the loopback listener (http on 127.0.0.1, [::1]
/// or localhost, RFC 8252 §7.3) and returns it with the address to bind.
pub fn check_redirect_template(redirect_template: &str) -> Result<(Url, std::net::IpAddr)> {
    let uri = Url::parse(redirect_template).map_err(|e| ProtocolError::InvalidUrl {
        url: redirect_template.into(),
        reason: e.to_string(),
    })?;
    let ip =
        match uri.host() {
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
    Ok((uri, ip))
}

/// A loopback redirect URI with a port free right now, to register as this client's fixed
/// redirect URI (`http://127.0.0.1:<port>/callback`).
pub fn free_loopback_redirect() -> Result<String> {
    let listener =
        std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|e| ProtocolError::ListenerBind {
            addr: "127.0.0.1:0".into(),
            reason: e.to_string(),
        })?;
    let port = listener
        .local_addr()
        .map_err(|e| ProtocolError::ListenerBind {
            addr: "127.0.0.1:0".into(),
            reason: e.to_string(),
        })?
        .port();
    Ok(format!("http://127.0.0.1:{port}/callback"))
}

impl LoopbackListener {
    /// Binds the host of `redirect_template` (127.0.0.1, localhost → 127.0.0.1, or [::1]) on its
    /// port, or an ephemeral one when it has none; the returned redirect URI carries the real port.
    pub async fn bind(redirect_template: &str) -> Result<Self> {
        let (mut uri, ip) = check_redirect_template(redirect_template)?;
        let addr = std::net::SocketAddr::new(ip, uri.port().unwrap_or(0));
        let listener = TcpListener::bind(addr).await.map_err(|e| ProtocolError::ListenerBind {
            addr: addr.to_string(),
            reason: if e.kind() == std::io::ErrorKind::AddrInUse {
                match uri.port() {
                    Some(port) => format!("port {port} of this client's fixed redirect URI {redirect_template} is in use by another program. The authorization server may compare the redirect URI as an exact string, so OAuth Desk cannot switch ports: close the program using port {port} (`ss -ltnp 'sport = :{port}'` shows it), or give the client another redirect URI and register it at the server"),
                    None => "the port is in use by another program; close it or choose another port for this client".into(),
                }
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
                Ok(_) => {
                    let (title, text) = received_page(expect);
                    respond(&mut stream, 200, title, text).await
                }
                Err(ProtocolError::OAuth(e)) => {
                    let text = format!(
                        "The server answered with {}{}. You can close this window; OAuth Desk shows the details.",
                        e.error,
                        e.error_description
                            .as_deref()
                            .map(|d| format!(": {d}"))
                            .unwrap_or_default()
                    );
                    respond(&mut stream, 200, "Authorization failed", &text).await
                }
                Err(e) => {
                    respond(
                        &mut stream,
                        400,
                        "Authorization rejected",
                        &format!("{e}. You can close this window."),
                    )
                    .await
                }
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
    if expect.jarm {
        return jarm::callback(params, expect);
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

mod jarm;
mod page;
#[cfg(test)]
use page::page_html;
use page::{FRAGMENT_PAGE, received_page, respond, respond_html};

#[cfg(test)]
mod tests_callback;
#[cfg(test)]
mod tests_connections;
#[cfg(test)]
mod tests_jarm;
