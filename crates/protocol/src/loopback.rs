//! The loopback redirect listener of RFC 8252 §7.3: binds the loopback interface on an
//! ephemeral port (or the client's fixed one), checks `state` (RFC 6749 §10.12) and `iss`
//! (RFC 9207 §2.4), turns `error=` into an OAuth error, answers the browser with a short page,
//! and gives up after a timeout. Dropping the future cancels it and closes the port.
//!
//! For the implicit grant the parameters arrive in the fragment, which browsers never send:
//! the first GET is answered with a page whose script POSTs the fragment back to this listener.

use crate::error::{OAuthError, ProtocolError, Result};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

const MAX_REQUEST: usize = 64 * 1024;

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
        })
    }

    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// Waits for the callback. Requests to other paths get a 404 and are ignored.
    pub async fn wait(self, expect: &CallbackExpectation, timeout: Duration) -> Result<Callback> {
        match tokio::time::timeout(timeout, self.serve(expect)).await {
            Ok(result) => result,
            Err(_) => Err(ProtocolError::CallbackTimeout(timeout.as_secs())),
        }
    }

    async fn serve(&self, expect: &CallbackExpectation) -> Result<Callback> {
        loop {
            let Ok((mut stream, _)) = self.listener.accept().await else {
                continue;
            };
            let Some(request) = read_request(&mut stream).await else {
                continue;
            };
            if request.path != self.redirect_uri.path() {
                respond(
                    &mut stream,
                    404,
                    "Not found",
                    "This is OAuth Desk's login listener; it only answers its callback path.",
                )
                .await;
                continue;
            }
            if request.params.is_empty() && expect.fragment && request.method == "GET" {
                respond_html(&mut stream, 200, FRAGMENT_PAGE).await;
                continue;
            }
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

struct Request {
    method: String,
    path: String,
    params: Vec<(String, String)>,
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_REQUEST {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let length = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_REQUEST);
    while buf.len() < head_end + length {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let source = if method == "POST" {
        &buf[head_end..(head_end + length).min(buf.len())]
    } else {
        query.as_bytes()
    };
    let params = url::form_urlencoded::parse(source).into_owned().collect();
    Some(Request {
        method,
        path: path.to_owned(),
        params,
    })
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
        _ => "Not Found",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\ncache-control: no-store\r\nreferrer-policy: no-referrer\r\nconnection: close\r\n\r\n",
        page.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(page.as_bytes()).await;
    let _ = stream.shutdown().await;
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
        assert!(ok.iss_checked && ok.get("code") == Some("c"));
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
        assert!(matches!(
            check(&p(&[("state", "s1")]), &exp()),
            Err(ProtocolError::CallbackIncomplete)
        ));
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
        assert_eq!(cb.get("code"), Some("abc"));
        let page = browser.await.unwrap();
        assert!(
            page.starts_with("HTTP/1.1 200") && page.contains("You can close this window"),
            "browser told what happened: {page}"
        );
        let idle = LoopbackListener::bind("http://127.0.0.1/callback")
            .await
            .unwrap();
        assert!(matches!(
            idle.wait(&exp(), Duration::from_millis(50)).await,
            Err(ProtocolError::CallbackTimeout(_))
        ));
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
}
