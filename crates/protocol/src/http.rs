//! The one HTTP client every request goes through: redirects off (an OAuth endpoint that
//! redirects is a finding, not something to follow with credentials attached), connect and
//! total timeouts, a response-size cap, and a redacted record of each exchange. The proxy and
//! extra trusted roots come from [`NetworkConfig`] (see `network`).

use crate::error::{ProtocolError, Result};
use crate::network::{NetworkConfig, ProxyConfig, shown_proxy, tls_failure};
use crate::transcript::{self, Exchange, RecordedRequest, RecordedResponse, Transcript};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use url::Url;

/// Largest response body read, in bytes.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub body_limit: usize,
    pub network: NetworkConfig,
    /// The client's TLS certificate and key (RFC 8705), presented when a server asks for one.
    pub client_identity: Option<crate::mtls::TlsIdentity>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            body_limit: DEFAULT_BODY_LIMIT,
            network: NetworkConfig::default(),
            client_identity: None,
        }
    }
}

/// A cheap-to-clone HTTP client. The underlying clients are built on first use: one for plain
/// http (loopback only, so no TLS roots are loaded — reading the system's CA store costs more
/// than a whole local token request) and one for https with the platform verifier plus the
/// configured extra roots. Both use the configured proxy.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: std::sync::Arc<Clients>,
    config: HttpConfig,
}

#[derive(Debug, Default)]
struct Clients {
    plain: std::sync::OnceLock<reqwest::Client>,
    tls: std::sync::OnceLock<reqwest::Client>,
}

/// A request about to be sent. Its `Debug` redacts exactly as the transcript does.
#[derive(Clone)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: Url,
    pub headers: Vec<(String, String)>,
    /// Body as sent (form-encoded or JSON).
    pub body: Option<String>,
}

impl HttpRequest {
    pub fn get(url: Url) -> Self {
        Self {
            method: "GET",
            url,
            headers: vec![("accept".into(), "application/json".into())],
            body: None,
        }
    }

    pub fn post_form(url: Url, params: &[(String, String)]) -> Self {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        Self {
            method: "POST",
            url,
            headers: vec![
                (
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
                ("accept".into(), "application/json".into()),
            ],
            body: Some(body),
        }
    }

    pub fn header(mut self, name: &str, value: String) -> Self {
        self.headers.push((name.to_owned(), value));
        self
    }
}

/// A response as received. Its `Debug` redacts exactly as the transcript does.
#[derive(Clone)]
pub struct HttpResponse {
    pub url: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &transcript::redact_url(self.url.as_str()))
            .field("headers", &redacted_headers(&self.headers))
            .field("body", &self.body.as_deref().map(transcript::redact_body))
            .finish()
    }
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("url", &transcript::redact_url(&self.url))
            .field("status", &self.status)
            .field("headers", &redacted_headers(&self.headers))
            .field("body", &transcript::redact_body(&self.text()))
            .finish()
    }
}

fn redacted_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| (n.clone(), transcript::redact_header(n, v)))
        .collect()
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON, or an error naming what came instead.
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_slice(&self.body).map_err(|e| {
            self.invalid(format!(
                "body is not JSON ({e}); it starts with {:?}",
                self.excerpt()
            ))
        })
    }

    /// The start of the body, redacted and with control characters escaped: it goes into
    /// error messages that terminals and the GUI show.
    pub fn excerpt(&self) -> String {
        let text = crate::text::escape_controls(&transcript::redact_body(&self.text()), false);
        let mut s: String = text.chars().take(120).collect();
        if text.chars().count() > 120 {
            s.push('…');
        }
        s
    }

    pub fn invalid(&self, reason: impl Into<String>) -> ProtocolError {
        ProtocolError::InvalidResponse {
            url: self.url.clone(),
            status: self.status,
            reason: reason.into(),
        }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl HttpClient {
    pub fn new(config: HttpConfig) -> Self {
        Self {
            inner: Default::default(),
            config,
        }
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    fn client_for(&self, url: &Url) -> Result<&reqwest::Client> {
        let tls = url.scheme() == "https";
        let cell = if tls {
            &self.inner.tls
        } else {
            &self.inner.plain
        };
        if let Some(client) = cell.get() {
            return Ok(client);
        }
        let built = self.build(tls)?;
        Ok(cell.get_or_init(|| built))
    }

    fn build(&self, tls: bool) -> Result<reqwest::Client> {
        let network = &self.config.network;
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.config.connect_timeout.min(self.config.timeout))
            .timeout(self.config.timeout)
            .user_agent(concat!("OAuthDesk/", env!("CARGO_PKG_VERSION")));
        let tls_proxy = match &network.proxy {
            ProxyConfig::System => false,
            ProxyConfig::Direct => {
                builder = builder.no_proxy();
                false
            }
            ProxyConfig::Explicit { url, .. } => {
                let (full, no_proxy) = network
                    .proxy_url_with_password()
                    .ok_or_else(|| ProtocolError::ProxyUrl("no proxy URL".into()))?;
                let proxy = reqwest::Proxy::all(full.as_str())
                    .map_err(|e| ProtocolError::ProxyUrl(describe(&e.without_url())))?
                    .no_proxy(reqwest::NoProxy::from_string(no_proxy));
                builder = builder.proxy(proxy);
                url.scheme() == "https"
            }
        };
        if tls || tls_proxy {
            let roots = network
                .extra_roots
                .iter()
                .map(|c| reqwest::Certificate::from_der(c.der()))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| ProtocolError::CaPem(describe(&e)))?;
            builder = builder.tls_certs_merge(roots);
            if let Some(identity) = &self.config.client_identity {
                builder = builder.identity(identity.reqwest_identity()?);
            }
        } else {
            // Never used for TLS: an empty root store instead of the system's.
            builder = builder.tls_certs_only(std::iter::empty());
        }
        builder
            .build()
            .map_err(|e| ProtocolError::CaPem(describe(&e)))
    }

    /// Sends a request and records it (redacted) in `transcript` under `step`.
    pub async fn send(
        &self,
        step: &str,
        req: HttpRequest,
        transcript: &Transcript,
    ) -> Result<HttpResponse> {
        let started = Instant::now();
        let started_at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let recorded = RecordedRequest {
            method: req.method.to_owned(),
            url: transcript::redact_url(req.url.as_str()),
            headers: redacted_headers(&req.headers),
            body: req.body.as_deref().map(transcript::redact_body),
        };
        let outcome = self.execute(&req).await;
        let (response, note) = match &outcome {
            Ok(resp) => (
                Some(RecordedResponse {
                    status: resp.status,
                    headers: redacted_headers(&resp.headers),
                    body: transcript::redact_body(&resp.text()),
                }),
                None,
            ),
            Err(e) => (None, Some(e.to_string())),
        };
        // RFC 8705: the certificate this request offered, never its key.
        let note = match (&self.config.client_identity, req.url.scheme() == "https") {
            (Some(identity), true) => Some(match note {
                Some(n) => format!("{}; {n}", identity.note()),
                None => identity.note(),
            }),
            _ => note,
        };
        transcript.push(Exchange {
            step: step.to_owned(),
            started_at_ms,
            duration_ms: started.elapsed().as_millis() as u64,
            request: recorded,
            response,
            note,
        });
        outcome
    }

    async fn execute(&self, req: &HttpRequest) -> Result<HttpResponse> {
        // Errors and responses carry the URL as the transcript shows it.
        let url = transcript::redact_url(req.url.as_str());
        let method = reqwest::Method::from_bytes(req.method.as_bytes())
            .expect("static method names are valid");
        let mut builder = self.client_for(&req.url)?.request(method, req.url.clone());
        for (name, value) in &req.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let map_err = |e: reqwest::Error| {
            // reqwest's message names the URL raw: a query may hold a code or a token.
            let e = e.without_url();
            if e.is_timeout() {
                ProtocolError::Timeout {
                    url: url.clone(),
                    seconds: self.config.timeout.as_secs(),
                }
            } else if let Some(reason) = tls_failure(&e) {
                ProtocolError::Tls {
                    url: url.clone(),
                    reason,
                }
            } else if let (true, ProxyConfig::Explicit { url: proxy, .. }) =
                (e.is_connect(), &self.config.network.proxy)
            {
                let mut reason = describe(&e);
                if let ProxyConfig::Explicit {
                    password: Some(p), ..
                } = &self.config.network.proxy
                    && !p.expose().is_empty()
                {
                    reason = reason.replace(p.expose(), "[redacted]");
                }
                ProtocolError::Proxy {
                    url: url.clone(),
                    proxy: shown_proxy(proxy),
                    reason,
                }
            } else {
                ProtocolError::Transport {
                    url: url.clone(),
                    reason: describe(&e),
                    source: e,
                }
            }
        };
        let mut resp = builder.send().await.map_err(map_err)?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let limit = self.config.body_limit;
        if resp.content_length().is_some_and(|n| n as usize > limit) {
            return Err(ProtocolError::TooLarge { url, limit });
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(map_err)? {
            if body.len() + chunk.len() > limit {
                return Err(ProtocolError::TooLarge { url, limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            url,
            status,
            headers,
            body,
        })
    }
}

/// reqwest's Display hides the cause ("error sending request"); walk the chain for the reason.
fn describe(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}
