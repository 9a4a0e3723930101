//! The client notification endpoint of CIBA ping mode (CIBA §10.2): a listener on the client's
//! registered `backchannel_client_notification_endpoint` (a loopback address with a fixed port,
//! like a fixed redirect port; https with a certificate the server trusts, or http), which
//! takes the server's `POST` with `Authorization: Bearer <client_notification_token>` and
//! `{"auth_req_id": …}`, checks both in constant time and answers `204 No Content`.
//!
//! A notification with a wrong bearer token is answered 401 and ignored (whoever sent it does not
//! know the token of this request); one with the right token but another `auth_req_id` is
//! answered 400 and ignored too. Each notification is recorded in the transcript, redacted.
//! Requests are bounded (head and body sizes, a read deadline per connection, a few
//! connections at a time), and nothing a sender writes can panic the listener.

use crate::error::{ProtocolError, Result};
use crate::secret::{AuthReqId, ClientNotificationToken};
use crate::transcript::{
    Exchange, RecordedRequest, RecordedResponse, Transcript, redact_body, redact_header,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::Instant;
use url::Url;

/// Longest notification head, and separately body, accepted.
pub const MAX_NOTIFICATION: usize = 16 * 1024;
/// How long one connection may take to send its request.
const READ_DEADLINE: Duration = Duration::from_secs(10);

/// The notification endpoint's TLS identity: a certificate chain (PEM, public) and its key
/// (PEM, a secret the caller holds only in memory).
pub struct NotifyTls<'a> {
    pub cert_pem: &'a str,
    pub key_pem: &'a crate::secret::TlsClientKey,
}

/// A bound notification endpoint, ready to wait for one request's notification.
pub struct NotificationListener {
    listener: TcpListener,
    endpoint: Url,
    tls: Option<tokio_rustls::TlsAcceptor>,
}

/// What a notification endpoint must be: a loopback http(s) URL with an explicit port.
pub fn check_endpoint(endpoint: &str) -> Result<(Url, SocketAddr)> {
    let bad = |why: &str| {
        ProtocolError::Backchannel(format!(
            "the notification endpoint {endpoint:?} {why} (the listener serves a loopback address on a fixed port, registered at the server as backchannel_client_notification_endpoint)"
        ))
    };
    let url = Url::parse(endpoint).map_err(|_| bad("is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("is neither https nor http"));
    }
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
        Some(url::Host::Domain("localhost")) => std::net::IpAddr::from([127, 0, 0, 1]),
        _ => return Err(bad("is not on a loopback address")),
    };
    if !ip.is_loopback() {
        return Err(bad("is not on a loopback address"));
    }
    let port = url.port().ok_or_else(|| bad("has no port"))?;
    Ok((url, SocketAddr::new(ip, port)))
}

impl NotificationListener {
    /// Binds the endpoint; an https endpoint needs `tls`.
    pub async fn bind(endpoint: &str, tls: Option<NotifyTls<'_>>) -> Result<Self> {
        let (url, addr) = check_endpoint(endpoint)?;
        let tls = match (url.scheme(), tls) {
            ("https", Some(t)) => Some(acceptor(&t)?),
            ("https", None) => {
                return Err(ProtocolError::Backchannel(
                    "the notification endpoint is https, but no TLS certificate and key are set for it".into(),
                ));
            }
            _ => None,
        };
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| ProtocolError::ListenerBind {
                addr: addr.to_string(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            listener,
            endpoint: url,
            tls,
        })
    }

    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// Waits until the notification for `auth_req_id` arrives with `token`, or `deadline`.
    pub async fn wait(
        self,
        token: &ClientNotificationToken,
        auth_req_id: &AuthReqId,
        deadline: Instant,
        transcript: &Transcript,
    ) -> Result<()> {
        let expect = Expect {
            token,
            auth_req_id,
            path: self.endpoint.path(),
        };
        loop {
            let accepted = tokio::time::timeout_at(deadline, self.listener.accept()).await;
            let Ok(accepted) = accepted else {
                return Err(ProtocolError::BackchannelExpired);
            };
            let Ok((stream, _)) = accepted else { continue };
            let done = match &self.tls {
                Some(acceptor) => {
                    let handshake =
                        tokio::time::timeout(READ_DEADLINE, acceptor.accept(stream)).await;
                    match handshake {
                        Ok(Ok(tls)) => serve(tls, &expect, transcript).await,
                        _ => false,
                    }
                }
                None => serve(stream, &expect, transcript).await,
            };
            if done {
                return Ok(());
            }
        }
    }
}

/// Whether the TLS identity can serve (the chain reads, the key reads and fits it), and the
/// chain as it may be stored: its certificates only, rebuilt from their DER, so a private key
/// pasted with the certificates (one combined PEM) never goes where the certificate goes.
pub fn check_tls(tls: &NotifyTls<'_>) -> Result<String> {
    acceptor(tls)?;
    Ok(CertificateDer::pem_slice_iter(tls.cert_pem.as_bytes())
        .filter_map(std::result::Result::ok)
        .map(|der| crate::mtls::pem_block("CERTIFICATE", &der))
        .collect())
}

fn acceptor(tls: &NotifyTls<'_>) -> Result<tokio_rustls::TlsAcceptor> {
    let bad = |why: String| {
        ProtocolError::Backchannel(format!(
            "the notification endpoint's TLS identity cannot be used: {why}"
        ))
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(tls.cert_pem.as_bytes())
            .collect::<std::result::Result<_, _>>()
            // In words only: a PEM error can quote the input line, key bytes included.
            .map_err(|e| {
                bad(format!(
                    "the certificate PEM is unreadable ({})",
                    crate::mtls::pem_words(&e)
                ))
            })?;
    if certs.is_empty() {
        return Err(bad("no certificate in the PEM".into()));
    }
    let key = PrivateKeyDer::from_pem_slice(tls.key_pem.expose().as_bytes())
        .map_err(|_| bad("the private key PEM is unreadable".into()))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| bad(format!("the key does not fit the certificate ({e})")))?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

struct Expect<'a> {
    token: &'a ClientNotificationToken,
    auth_req_id: &'a AuthReqId,
    path: &'a str,
}

/// One notification request: what it said and what it was answered.
struct Notification {
    method: String,
    path: String,
    authorization: Option<String>,
    body: Vec<u8>,
}

/// Serves one connection; `true` when it carried the expected notification.
async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    expect: &Expect<'_>,
    transcript: &Transcript,
) -> bool {
    let started = std::time::SystemTime::now();
    let read = tokio::time::timeout(READ_DEADLINE, read_notification(&mut stream)).await;
    let Ok(Ok(n)) = read else {
        let _ = respond(&mut stream, 400, "").await;
        return false;
    };
    let (status, note, done) = judge(&n, expect);
    let _ = respond(&mut stream, status, if status == 204 { "" } else { note }).await;
    record(transcript, &n, status, note, started);
    done
}

/// The answer to a notification: status, what happened in words, whether it is the one.
fn judge(n: &Notification, expect: &Expect<'_>) -> (u16, &'static str, bool) {
    if n.method != "POST" || n.path != expect.path {
        return (
            404,
            "not the notification endpoint (CIBA §10.2 notifications are POSTs to it)",
            false,
        );
    }
    let bearer = n
        .authorization
        .as_deref()
        .and_then(|a| a.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| ClientNotificationToken::new(t.trim()));
    if bearer.as_ref() != Some(expect.token) {
        return (
            401,
            "ignored: the bearer token is not this request's client_notification_token (CIBA §10.2)",
            false,
        );
    }
    let id = serde_json::from_slice::<serde_json::Value>(&n.body)
        .ok()
        .and_then(|v| v.get("auth_req_id")?.as_str().map(AuthReqId::new));
    if id.as_ref() != Some(expect.auth_req_id) {
        return (
            400,
            "ignored: the body's auth_req_id is not this request's (CIBA §10.2)",
            false,
        );
    }
    (
        204,
        "the server says the user answered (CIBA §10.2 ping)",
        true,
    )
}

fn record(
    transcript: &Transcript,
    n: &Notification,
    status: u16,
    note: &str,
    started: std::time::SystemTime,
) {
    let ms = started
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let headers = n
        .authorization
        .iter()
        .map(|a| {
            (
                "authorization".to_owned(),
                redact_header("authorization", a),
            )
        })
        .collect();
    transcript.push(Exchange {
        step: "ciba ping notification (received)".into(),
        started_at_ms: ms,
        duration_ms: 0,
        request: RecordedRequest {
            method: crate::text::escape_controls(&n.method, false),
            url: crate::text::escape_controls(&n.path, false),
            headers,
            body: Some(redact_body(&String::from_utf8_lossy(&n.body))),
        },
        response: Some(RecordedResponse {
            status,
            headers: vec![],
            body: String::new(),
        }),
        note: Some(note.to_owned()),
    });
}

async fn respond<S: AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    text: &str,
) -> std::io::Result<()> {
    let reason = match status {
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        _ => "Not Found",
    };
    let extra = if status == 401 {
        "WWW-Authenticate: Bearer error=\"invalid_token\"\r\n"
    } else {
        ""
    };
    // RFC 9110 §15.3.5: a 204 has no content, so no Content-Length either.
    let head = if status == 204 {
        "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".to_owned()
    } else {
        format!(
            "HTTP/1.1 {status} {reason}\r\n{extra}Content-Length: {}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n",
            text.len()
        )
    };
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(text.as_bytes()).await?;
    stream.shutdown().await
}

/// Reads one bounded HTTP/1.1 request: the head up to its blank line, then `content-length`
/// bytes.
async fn read_notification<S: AsyncRead + Unpin>(stream: &mut S) -> std::io::Result<Notification> {
    let invalid = |why: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_owned());
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_NOTIFICATION {
            return Err(invalid("head too large"));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(invalid("closed before the head ended"));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next().unwrap_or("").split(' ');
    let method = start.next().unwrap_or("").to_owned();
    let target = start.next().unwrap_or("");
    let path = target.split('?').next().unwrap_or("").to_owned();
    let mut authorization = None;
    let mut length = 0usize;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("authorization") {
            authorization = Some(value.to_owned());
        } else if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().map_err(|_| invalid("bad content-length"))?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(invalid("transfer codings are not supported"));
        }
    }
    if length > MAX_NOTIFICATION {
        return Err(invalid("body too large"));
    }
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(invalid("closed before the body ended"));
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Ok(Notification {
        method,
        path,
        authorization,
        body,
    })
}

#[cfg(test)]
mod tests;
