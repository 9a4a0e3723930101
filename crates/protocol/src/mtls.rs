//! Mutual TLS (RFC 8705): a client's TLS identity (certificate chain and private key),
//! imported from PEM or PKCS#12, the certificate's SHA-256 thumbprint (`x5t#S256`, §3.1), its
//! subject in words, the `mtls_endpoint_aliases` rule (§5) and the verdict on a token's
//! certificate binding (§3).
//!
//! The certificate chain is public (SQLite may hold it); the private key is a
//! [`TlsClientKey`] that prints as `TlsClientKey([redacted])` and goes only to the keychain and
//! to the TLS stack.

use crate::TlsClientKey;
use crate::discovery::ServerMetadata;
use crate::error::{ProtocolError, Result};
use crate::verify::Check;
use base64::Engine;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde::{Deserialize, Serialize};
use sha2::Digest;

/// Largest PEM or PKCS#12 input accepted.
pub const MAX_IDENTITY_BYTES: usize = 256 * 1024;
/// Most certificates in one chain.
const MAX_CHAIN: usize = 10;

/// What a client certificate says, in words: public, safe to store and show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct CertificateInfo {
    /// The subject DN (RFC 4514 form, e.g. `CN=desk-client, O=Example`), control characters
    /// escaped.
    pub subject: String,
    pub issuer: String,
    /// `x5t#S256`: base64url SHA-256 of the certificate's DER (RFC 8705 §3.1).
    pub thumbprint: String,
    /// Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
    /// Subject and issuer are the same name (`self_signed_tls_client_auth`, RFC 8705 §2.2).
    pub self_signed: bool,
    /// Certificates in the chain, the client's own first.
    pub chain_length: u32,
}

/// A client's TLS identity: the certificate chain (PEM) and its private key.
#[derive(Clone)]
pub struct TlsIdentity {
    chain_pem: String,
    key: TlsClientKey,
    info: CertificateInfo,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("subject", &self.info.subject)
            .field("thumbprint", &self.info.thumbprint)
            .field("key", &self.key)
            .finish()
    }
}

fn refuse(reason: impl Into<String>) -> ProtocolError {
    ProtocolError::ClientCertificate(reason.into())
}

impl TlsIdentity {
    /// From PEM text: the certificate (chain) and the key, in one text or two. The key must be
    /// unencrypted PKCS#8, PKCS#1 (RSA) or SEC1 (EC), and must match the first certificate.
    pub fn from_pem(cert_text: &str, key_text: Option<&str>) -> Result<Self> {
        if cert_text.len() > MAX_IDENTITY_BYTES
            || key_text.is_some_and(|k| k.len() > MAX_IDENTITY_BYTES)
        {
            return Err(refuse(format!(
                "the PEM text is larger than {} KiB",
                MAX_IDENTITY_BYTES / 1024
            )));
        }
        let key_source = key_text.unwrap_or(cert_text);
        if key_source.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(refuse(
                "the private key is encrypted; decrypt it first (`openssl pkey -in key.pem -out plain.pem`) or import a PKCS#12 file with its password",
            ));
        }
        let certs = CertificateDer::pem_slice_iter(cert_text.as_bytes())
            .take(MAX_CHAIN + 1)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| {
                refuse(format!(
                    "the certificate PEM does not parse: {}",
                    pem_words(&e)
                ))
            })?;
        if certs.is_empty() {
            return Err(refuse(
                "no certificate found: expected a -----BEGIN CERTIFICATE----- block",
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(key_source.as_bytes()).map_err(|e| match e {
            pem::Error::NoItemsFound => refuse(if key_text.is_some() {
                "the key file holds no private key (expected -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)"
            } else {
                "no private key found beside the certificate; give the key too (a second file, or both blocks in one)"
            }),
            other => refuse(format!("the private key PEM does not parse: {}", pem_words(&other))),
        })?;
        let ders: Vec<Vec<u8>> = certs.iter().map(|c| c.as_ref().to_vec()).collect();
        Self::from_parts(&ders, key)
    }

    /// From a PKCS#12 (`.p12`/`.pfx`) file and its password.
    pub fn from_pkcs12(data: &[u8], password: &str) -> Result<Self> {
        if data.len() > MAX_IDENTITY_BYTES {
            return Err(refuse(format!(
                "the PKCS#12 file is larger than {} KiB",
                MAX_IDENTITY_BYTES / 1024
            )));
        }
        let store = p12_keystore::KeyStore::from_pkcs12(
            data,
            password,
            p12_keystore::Pkcs12ImportPolicy::Strict,
        )
        .map_err(|e| match e {
            p12_keystore::error::Error::MacError(_) => {
                refuse("the PKCS#12 password is wrong (the file's integrity check failed with it)")
            }
            other => refuse(format!(
                "the file is not a PKCS#12 archive OAuth Desk can read: {other}"
            )),
        })?;
        let (_, chain) = store.private_key_chain().ok_or_else(|| {
            refuse("the PKCS#12 file holds no private key together with its certificate")
        })?;
        let ders: Vec<Vec<u8>> = chain.certs().iter().map(|c| c.as_der().to_vec()).collect();
        if ders.is_empty() {
            return Err(refuse("the PKCS#12 file's key has no certificate"));
        }
        let key = PrivateKeyDer::Pkcs8(chain.key().as_der().to_vec().into());
        Self::from_parts(&ders, key)
    }

    /// The stored form: chain PEM (SQLite) and key PEM (keychain), as written by
    /// [`TlsIdentity::chain_pem`] and [`TlsIdentity::key`].
    pub fn from_stored(chain_pem: &str, key: &TlsClientKey) -> Result<Self> {
        Self::from_pem(chain_pem, Some(key.expose()))
    }

    fn from_parts(ders: &[Vec<u8>], key: PrivateKeyDer<'static>) -> Result<Self> {
        if ders.len() > MAX_CHAIN {
            return Err(refuse(format!(
                "more than {MAX_CHAIN} certificates in the chain"
            )));
        }
        let info = describe_chain(ders)?;
        let signing = rustls::crypto::aws_lc_rs::sign::any_supported_type(&key).map_err(|e| {
            refuse(format!(
                "the private key is not an RSA, ECDSA or Ed25519 key the TLS stack can use: {e}"
            ))
        })?;
        let (_, leaf) = x509_parser::parse_x509_certificate(&ders[0])
            .map_err(|e| refuse(format!("the certificate does not parse: {e}")))?;
        match signing.public_key() {
            Some(spki) if spki.as_ref() == leaf.tbs_certificate.subject_pki.raw => {}
            Some(_) => {
                return Err(refuse(format!(
                    "the private key does not belong to the certificate {} (their public keys differ); give the key the certificate was issued for",
                    info.subject
                )));
            }
            None => return Err(refuse("the private key's public half cannot be derived")),
        }
        let (label, key_der): (&str, &[u8]) = match &key {
            PrivateKeyDer::Pkcs1(k) => ("RSA PRIVATE KEY", k.secret_pkcs1_der()),
            PrivateKeyDer::Sec1(k) => ("EC PRIVATE KEY", k.secret_sec1_der()),
            PrivateKeyDer::Pkcs8(k) => ("PRIVATE KEY", k.secret_pkcs8_der()),
            _ => return Err(refuse("an unknown private key encoding")),
        };
        let chain_pem = ders
            .iter()
            .map(|d| pem_block("CERTIFICATE", d))
            .collect::<String>();
        Ok(Self {
            chain_pem,
            key: TlsClientKey::new(pem_block(label, key_der)),
            info,
        })
    }

    /// The certificate chain as PEM: public, what SQLite stores.
    pub fn chain_pem(&self) -> &str {
        &self.chain_pem
    }

    /// The private key as PEM: for the keychain only.
    pub fn key(&self) -> &TlsClientKey {
        &self.key
    }

    pub fn info(&self) -> &CertificateInfo {
        &self.info
    }

    /// The identity for reqwest (key and chain in one PEM buffer).
    pub(crate) fn reqwest_identity(&self) -> Result<reqwest::Identity> {
        let mut buf = String::with_capacity(self.key.expose().len() + self.chain_pem.len());
        buf.push_str(self.key.expose());
        buf.push_str(&self.chain_pem);
        reqwest::Identity::from_pem(buf.as_bytes())
            .map_err(|e| refuse(format!("the TLS stack refused the identity: {e}")))
    }

    /// The transcript's note for a request sent with this certificate (never the key).
    pub fn note(&self) -> String {
        format!(
            "TLS client certificate {} (x5t#S256 {})",
            self.info.subject, self.info.thumbprint
        )
    }
}

/// What a stored chain (PEM, public) says about its first certificate.
pub fn certificate_info(chain_pem: &str) -> Result<CertificateInfo> {
    let ders = CertificateDer::pem_slice_iter(chain_pem.as_bytes())
        .take(MAX_CHAIN + 1)
        .map(|c| c.map(|c| c.as_ref().to_vec()))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| {
            refuse(format!(
                "the certificate PEM does not parse: {}",
                pem_words(&e)
            ))
        })?;
    describe_chain(&ders)
}

fn describe_chain(ders: &[Vec<u8>]) -> Result<CertificateInfo> {
    let first = ders.first().ok_or_else(|| refuse("no certificate"))?;
    let (_, cert) = x509_parser::parse_x509_certificate(first)
        .map_err(|e| refuse(format!("the certificate is not valid X.509: {e}")))?;
    let words = |name: &x509_parser::x509::X509Name<'_>| {
        let text: String = name.to_string().chars().take(512).collect();
        crate::text::escape_controls(&text, false)
    };
    Ok(CertificateInfo {
        subject: words(cert.subject()),
        issuer: words(cert.issuer()),
        thumbprint: thumbprint(first),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
        chain_length: u32::try_from(ders.len()).unwrap_or(u32::MAX),
    })
}

/// `x5t#S256`: base64url (no padding) of the SHA-256 of the certificate's DER (RFC 8705 §3.1).
pub fn thumbprint(der: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(der))
}

pub(crate) fn pem_block(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

pub(crate) fn pem_words(e: &pem::Error) -> String {
    match e {
        pem::Error::MissingSectionEnd { .. } => "a BEGIN line has no END line".into(),
        pem::Error::IllegalSectionStart { .. } => "a BEGIN line is malformed".into(),
        pem::Error::Base64Decode(_) => "a block is not valid base64".into(),
        pem::Error::NoItemsFound => "nothing found".into(),
        other => format!("{other:?}").chars().take(120).collect(),
    }
}

/// The metadata members that RFC 8705 §5 lets a server alias for mTLS clients. The
/// authorization endpoint is not one: the browser, not the client, talks to it.
pub const ALIASABLE: [&str; 8] = [
    "token_endpoint",
    "revocation_endpoint",
    "introspection_endpoint",
    "device_authorization_endpoint",
    "registration_endpoint",
    "userinfo_endpoint",
    "pushed_authorization_request_endpoint",
    "backchannel_authentication_endpoint",
];

/// RFC 8705 §5: a client that authenticates with a certificate or wants certificate-bound
/// tokens uses `mtls_endpoint_aliases[member]` instead of `member` — when the server names an
/// alias and `configured` is the server's own endpoint (an endpoint the user set explicitly
/// wins). Returns the URL to use.
pub fn aliased<'a>(meta: &'a ServerMetadata, member: &str, configured: &'a str) -> &'a str {
    if !ALIASABLE.contains(&member) {
        return configured;
    }
    let Some(alias) = meta.mtls_endpoint_aliases.get(member) else {
        return configured;
    };
    let regular = match member {
        "token_endpoint" => meta.token_endpoint.as_deref(),
        "revocation_endpoint" => meta.revocation_endpoint.as_deref(),
        "introspection_endpoint" => meta.introspection_endpoint.as_deref(),
        "device_authorization_endpoint" => meta.device_authorization_endpoint.as_deref(),
        "registration_endpoint" => meta.registration_endpoint.as_deref(),
        "userinfo_endpoint" => meta.userinfo_endpoint.as_deref(),
        "pushed_authorization_request_endpoint" => {
            meta.pushed_authorization_request_endpoint.as_deref()
        }
        "backchannel_authentication_endpoint" => {
            meta.backchannel_authentication_endpoint.as_deref()
        }
        _ => None,
    };
    // No regular endpoint at all: the alias is the only one there is (RFC 8705 §5 allows it).
    if regular.is_none_or(|r| r == configured) {
        alias
    } else {
        configured
    }
}

/// The certificate-binding check of an access token (RFC 8705 §3): `cnf` is the token's (or
/// its introspection's) `cnf` member, `ours` the client certificate's thumbprint, `server_binds`
/// the metadata's `tls_client_certificate_bound_access_tokens`, `visible` whether the token's
/// claims could be read at all (JWT, or introspected). `None`: nothing to say.
pub fn binding_check(
    cnf: Option<&serde_json::Value>,
    ours: Option<&str>,
    server_binds: bool,
    visible: bool,
) -> Option<Check> {
    const NAME: &str = "cnf.x5t#S256";
    const SPEC: &str = "RFC 8705 §3.1";
    let bound = cnf
        .and_then(|c| c.get("x5t#S256"))
        .and_then(serde_json::Value::as_str);
    Some(match (bound, ours) {
        (Some(got), Some(want)) if got == want => Check::pass(
            NAME,
            SPEC,
            format!(
                "bound to this client's certificate (x5t#S256 {want}): present it with the token"
            ),
        ),
        (Some(got), Some(want)) => Check::fail(
            NAME,
            "x5t_mismatch",
            SPEC,
            format!(
                "bound to ANOTHER certificate (x5t#S256 {}), not this client's ({want}): a resource server will refuse it with this client's certificate",
                crate::text::escape_controls(got, false)
            ),
        ),
        (Some(got), None) => Check::warn(
            NAME,
            "unknown_certificate",
            SPEC,
            format!(
                "bound to the certificate x5t#S256 {}, and this client holds no certificate: the token is usable only with that certificate",
                crate::text::escape_controls(got, false)
            ),
        ),
        (None, Some(_)) if !visible => Check::not_applicable(
            NAME,
            SPEC,
            "an opaque token; its binding is not visible (introspect it to see `cnf`)",
        ),
        (None, Some(_)) if server_binds => Check::warn(
            NAME,
            "not_bound",
            "RFC 8705 §3",
            "not bound to a certificate, though the server says it binds tokens (tls_client_certificate_bound_access_tokens) and this client presented one",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
