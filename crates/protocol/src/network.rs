//! Network settings of the one HTTP client: the proxy (the system's, none, or an explicit one)
//! and extra trusted CA certificates (PEM) for internal authorization servers, with the
//! refusals and TLS failures said in words.
//!
//! - `system`: reqwest's default. `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (and
//!   their lower-case forms) from the environment; on macOS and Windows the OS's proxy settings
//!   too (reqwest's `system-proxy`). On Linux there is no system-wide proxy setting outside the
//!   environment, so `system` *is* the environment there.
//! - `none`: direct connections, whatever the environment says.
//! - `explicit`: every request through one proxy (`http`, `https`, `socks5` or `socks5h`), except
//!   hosts in its `NO_PROXY`-style list.
//!
//! Extra roots are added to the platform's roots (rustls-platform-verifier), never replace them.

use crate::Password;
use crate::error::{ProtocolError, Result};
use base64::Engine;
use url::Url;

/// Largest PEM text accepted (a bundle of hundreds of certificates is smaller).
pub const MAX_PEM_BYTES: usize = 1024 * 1024;
/// Most certificates in one bundle.
pub const MAX_CERTS: usize = 500;

/// Which proxy requests go through.
#[derive(Clone, Default)]
pub enum ProxyConfig {
    /// The environment (and the OS settings on macOS/Windows): reqwest's default.
    #[default]
    System,
    /// No proxy at all.
    Direct,
    /// One proxy for every request, except the hosts in `no_proxy` (comma-separated, as
    /// `NO_PROXY`). `url` carries no password; `password` (from the keychain) is added when the
    /// client is built.
    Explicit {
        url: Url,
        no_proxy: String,
        password: Option<Password>,
    },
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProxyConfig::System => f.write_str("System"),
            ProxyConfig::Direct => f.write_str("Direct"),
            ProxyConfig::Explicit { url, no_proxy, .. } => f
                .debug_struct("Explicit")
                .field("url", &shown_proxy(url))
                .field("no_proxy", no_proxy)
                .finish_non_exhaustive(),
        }
    }
}

/// A certificate that parsed as a trust anchor (X.509 DER).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedCert {
    der: Vec<u8>,
}

impl TrustedCert {
    pub fn der(&self) -> &[u8] {
        &self.der
    }
}

/// The proxy and the extra roots one HTTP client uses.
#[derive(Clone, Debug, Default)]
pub struct NetworkConfig {
    pub proxy: ProxyConfig,
    pub extra_roots: Vec<TrustedCert>,
}

impl NetworkConfig {
    /// The proxy URL to hand to reqwest, with the password put back in.
    pub(crate) fn proxy_url_with_password(&self) -> Option<(Url, &str)> {
        let ProxyConfig::Explicit {
            url,
            no_proxy,
            password,
        } = &self.proxy
        else {
            return None;
        };
        let mut full = url.clone();
        if let Some(p) = password {
            // Only fails for URLs that cannot have credentials; parse_proxy_url refused those.
            let _ = full.set_password(Some(p.expose()));
        }
        Some((full, no_proxy.as_str()))
    }
}

/// The proxy as it may be shown: scheme, host and port, never the credentials.
pub fn shown_proxy(url: &Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port_or_known_default() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    }
}

/// A proxy URL: `http`, `https`, `socks5` or `socks5h`, with a host, and nothing after it.
pub fn parse_proxy_url(text: &str) -> Result<Url> {
    let refuse = |reason: String| ProtocolError::ProxyUrl(reason);
    let text = text.trim();
    if text.is_empty() {
        return Err(refuse("the proxy URL is empty".into()));
    }
    if text.len() > 2048 || text.chars().any(char::is_control) {
        return Err(refuse(
            "the proxy URL is longer than 2048 characters or holds control characters".into(),
        ));
    }
    let url = Url::parse(text).map_err(|e| {
        refuse(format!(
            "not a URL ({e}); write it as http://proxy.example:3128 or socks5://host:1080"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h") {
        return Err(refuse(format!(
            "the scheme {:?} is not a proxy scheme OAuth Desk speaks: use http, https, socks5 or socks5h",
            crate::text::escape_controls(url.scheme(), false)
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refuse("the proxy URL has no host".into()));
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err(refuse(
            "a proxy URL is scheme://[user[:password]@]host[:port], with no path or query".into(),
        ));
    }
    Ok(url)
}

/// Parses a PEM bundle of one or more CA certificates, saying which one fails and why.
/// Text outside the `BEGIN`/`END` lines (OpenSSL's `subject=` lines, comments) is ignored.
pub fn parse_pem_bundle(text: &str) -> Result<Vec<TrustedCert>> {
    let refuse = |reason: String| ProtocolError::CaPem(reason);
    if text.len() > MAX_PEM_BYTES {
        return Err(refuse(format!(
            "the PEM text is larger than {} KiB",
            MAX_PEM_BYTES / 1024
        )));
    }
    let mut certs = Vec::new();
    // (label, line it began on, base64 body)
    let mut block: Option<(String, usize, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if let Some(label) = armor(line, "BEGIN") {
            if let Some((_, start, _)) = &block {
                return Err(refuse(format!(
                    "line {line_no}: a BEGIN line inside the block that starts at line {start}, whose END line is missing"
                )));
            }
            block = Some((label, line_no, String::new()));
        } else if let Some(label) = armor(line, "END") {
            let Some((begin, start, body)) = block.take() else {
                return Err(refuse(format!(
                    "line {line_no}: an END line without its BEGIN line"
                )));
            };
            if label != begin {
                return Err(refuse(format!(
                    "line {line_no}: END {label} closes BEGIN {begin} (line {start})"
                )));
            }
            if begin != "CERTIFICATE" {
                return Err(refuse(if begin.contains("PRIVATE KEY") {
                    format!(
                        "the block at line {start} is a private key, not a certificate; a CA bundle holds only public CA certificates (and a private key should not be pasted here)"
                    )
                } else {
                    format!(
                        "the block at line {start} is a {begin}, not a CERTIFICATE; give the CA's certificate (-----BEGIN CERTIFICATE-----)"
                    )
                }));
            }
            let n = certs.len() + 1;
            let der = base64::engine::general_purpose::STANDARD
                .decode(body.as_bytes())
                .map_err(|e| {
                    refuse(format!(
                        "certificate {n} (line {start}) is not valid base64: {e}"
                    ))
                })?;
            let mut store = rustls::RootCertStore::empty();
            store
                .add(rustls::pki_types::CertificateDer::from(der.clone()))
                .map_err(|e| {
                    refuse(format!(
                        "certificate {n} (line {start}) is not a usable X.509 certificate: {}",
                        certificate_problem(&e)
                    ))
                })?;
            certs.push(TrustedCert { der });
            if certs.len() > MAX_CERTS {
                return Err(refuse(format!(
                    "more than {MAX_CERTS} certificates in one bundle"
                )));
            }
        } else if let Some((_, _, body)) = &mut block {
            // RFC 7468 §2: base64 lines; a header line (`Key: value`) has no place in a
            // certificate and fails the decode with the line's certificate named.
            body.push_str(line);
        }
    }
    if let Some((_, start, _)) = block {
        return Err(refuse(format!(
            "the block that starts at line {start} has no END line"
        )));
    }
    if certs.is_empty() {
        return Err(refuse(
            "no certificate found: expected one or more -----BEGIN CERTIFICATE----- blocks".into(),
        ));
    }
    Ok(certs)
}

/// The label of a `-----BEGIN LABEL-----` / `-----END LABEL-----` line (RFC 7468 §2).
fn armor(line: &str, which: &str) -> Option<String> {
    let label = line
        .strip_prefix("-----")?
        .strip_prefix(which)?
        .strip_prefix(' ')?
        .strip_suffix("-----")?;
    let label: String = label.chars().take(40).collect();
    Some(crate::text::escape_controls(&label, false))
}

/// A rustls certificate error in words.
fn certificate_problem(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(C::BadEncoding) => {
            "its DER does not parse as an X.509 certificate".into()
        }
        other => other.to_string(),
    }
}

/// What a TLS failure means, with what to do, when the error chain holds one from rustls.
pub(crate) fn tls_failure(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(tls_words(r));
        }
        // io::Error's `source()` skips the error it wraps: look inside it instead.
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            current = Some(inner as &(dyn std::error::Error + 'static));
            continue;
        }
        current = err.source();
    }
    None
}

fn tls_words(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    let add_ca = "add the CA in Settings → Network (or on the client), or with `oauthdesk settings --ca-file`";
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => {
                format!("certificate signed by an unknown authority — {add_ca}")
            }
            C::Expired | C::ExpiredContext { .. } => "the server's certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "the server's certificate is not valid yet (check the clock)".into()
            }
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "the server's certificate is not valid for this host name".into()
            }
            C::Revoked => "the server's certificate has been revoked".into(),
            C::BadSignature => "the server's certificate chain has a bad signature".into(),
            other => format!("the server's certificate was refused: {other:?} — {add_ca}"),
        },
        other => format!("the TLS handshake failed: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls_outside_the_supported_schemes_are_refused() {
        for ok in [
            "http://proxy.example:3128",
            "https://p.example",
            "socks5://127.0.0.1:1080",
            "socks5h://user:pw@h:1",
        ] {
            assert!(parse_proxy_url(ok).is_ok(), "{ok} is a proxy URL");
        }
        for (bad, says) in [
            ("ftp://proxy:21", "not a proxy scheme"),
            ("socks4://h:1080", "not a proxy scheme"),
            ("proxy.example:3128", "not a proxy scheme"),
            ("http://p.example/path", "no path"),
            ("", "empty"),
            ("not a url", "not a URL"),
        ] {
            let e = parse_proxy_url(bad).expect_err(bad).to_string();
            assert!(e.contains(says), "{bad:?} is refused saying {says:?}: {e}");
        }
    }

    #[test]
    fn shown_proxy_never_carries_credentials() {
        let url = parse_proxy_url("http://alice:s3cret@proxy.example:3128").unwrap();
        let shown = shown_proxy(&url);
        assert_eq!(
            shown, "http://proxy.example:3128",
            "credentials are dropped"
        );
        let config = NetworkConfig {
            proxy: ProxyConfig::Explicit {
                url,
                no_proxy: String::new(),
                password: Some(Password::new("s3cret")),
            },
            extra_roots: vec![],
        };
        assert!(
            !format!("{config:?}").contains("s3cret"),
            "Debug of the network config shows no password"
        );
    }

    #[test]
    fn pem_refusals_name_the_certificate_and_the_cause() {
        let e = parse_pem_bundle("hello").unwrap_err().to_string();
        assert!(e.contains("no certificate found"), "empty bundle: {e}");
        let e = parse_pem_bundle("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("certificate 1 (line 1) is not valid base64"),
            "bad base64 names the certificate: {e}"
        );
        let e = parse_pem_bundle("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("certificate 1 (line 1) is not a usable X.509 certificate"),
            "DER that is no certificate says so: {e}"
        );
        let e = parse_pem_bundle("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a private key"), "a key is not a CA: {e}");
        let e = parse_pem_bundle("-----BEGIN CERTIFICATE-----\nAAAA\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("has no END line"), "truncated PEM: {e}");
    }
}
