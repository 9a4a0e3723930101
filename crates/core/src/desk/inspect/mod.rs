//! Token truth for grants and pasted tokens: signatures verified against the issuer's JWKS
//! (cached, refetched once on an unknown `kid`), ID token checks (OIDC Core §3.1.3.7), JWT
//! access token checks (RFC 9068), introspection for opaque tokens, and requested-vs-granted
//! scopes. The same findings feed `oauthdesk inspect`/`decode` and the GUI's inspector.
//!
//! This module owns the findings' types and the plan of where keys come from; the work is in
//! its parts: `grant` (a stored grant's tokens, with introspection, RFC 7662, and the DPoP
//! binding, RFC 9449 §6), `pasted` (any pasted token), `checks` (ID token and access token
//! checks, also the login's own validation), `keys` (the issuer's JWKS, RFC 7517 §5, and the
//! signature check) and `scopes` (requested versus granted, RFC 6749 §5.1).

mod checks;
mod grant;
mod keys;
mod pasted;
mod scopes;

pub use scopes::{ScopeComparison, scope_items, split_scopes};

use super::Desk;
use crate::error::Result;
use crate::model::{Client, GrantView};
use oauthdesk_protocol::ClientSecret;
use oauthdesk_protocol::discovery::ServerMetadata;
use oauthdesk_protocol::verify::{Check, CheckStatus, KeySet, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// The findings for one token.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TokenFindings {
    /// `id_token`, `access_token`, `refresh_token`, or `token` (pasted).
    pub token: String,
    /// `jws`, `jwe`, `opaque` or `absent`.
    pub format: String,
    /// What the token was checked as, and why (`ID token (OIDC Core §3.1.3.7)`, …).
    pub checked_as: Option<String>,
    pub header: Option<Value>,
    pub claims: Option<Value>,
    pub checks: Vec<Check>,
    /// The introspection response (RFC 7662) for an opaque token, when asked.
    pub introspection: Option<Value>,
}

impl TokenFindings {
    fn new(token: &str, format: &str) -> Self {
        Self {
            token: token.into(),
            format: format.into(),
            checked_as: None,
            header: None,
            claims: None,
            checks: vec![],
            introspection: None,
        }
    }
    pub fn failed(&self) -> usize {
        self.checks.iter().filter(|c| c.failed()).count()
    }
}

/// A grant's inspection: each token's checks and the scope comparison.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Inspection {
    pub grant: GrantView,
    pub issuer: Option<String>,
    pub tokens: Vec<TokenFindings>,
    pub scopes: ScopeComparison,
    /// Number of failed checks; 0 means every applicable check passed.
    pub failed: u32,
}

/// A pasted token's verification.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TokenVerification {
    pub findings: TokenFindings,
    /// Where the keys came from.
    pub keys: Option<String>,
    pub failed: u32,
    /// The one answer: valid (signature verified, times valid), invalid with the reason, or
    /// decoded but not verified.
    pub verdict: Verdict,
}

/// How to verify a pasted token. Keys come from, in order: `keys` (a pasted JWK, JWKS or PEM)
/// and `secret` (an HMAC key), the `issuer`'s JWKS, the `client`'s issuer, or the token's own
/// `iss` through discovery (unless `skip_token_issuer`).
#[derive(Clone, Default, Deserialize, TS)]
pub struct VerifyOptions {
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub keys: Option<String>,
    /// A registered client: its id is the expected audience, its secret the HMAC key.
    #[serde(default)]
    pub client: Option<String>,
    #[serde(default)]
    pub nonce: Option<String>,
    /// Overrides the clock-skew setting.
    #[serde(default)]
    pub skew_secs: Option<i64>,
    /// A shared secret for HS256/384/512 (RFC 7518 §3.2), verified locally, never stored.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub secret: Option<ClientSecret>,
    /// Without a key source, decode only ("not verified") instead of discovering the token's
    /// own `iss`: the Decode screen verifies live, and a claim is no key source.
    #[serde(default)]
    pub skip_token_issuer: bool,
}

/// `keys` is pasted text: meant to be public keys, but a private key pasted by mistake must
/// not reach a log, so only its length is shown.
impl std::fmt::Debug for VerifyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyOptions")
            .field("issuer", &self.issuer)
            .field(
                "keys",
                &self.keys.as_ref().map(|k| format!("({} chars)", k.len())),
            )
            .field("client", &self.client)
            .field("nonce", &self.nonce)
            .field("skew_secs", &self.skew_secs)
            .field("secret", &self.secret)
            .field("skip_token_issuer", &self.skip_token_issuer)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct InspectOptions {
    /// Ask the introspection endpoint about an opaque access token.
    pub introspect: bool,
}

/// Where a token's keys are looked up.
struct KeyPlan<'a> {
    issuer: Option<String>,
    metadata: Option<&'a ServerMetadata>,
    insecure: bool,
    pasted: Option<KeySet>,
    secret: Option<ClientSecret>,
}

impl Desk {
    async fn skew(&self, over: Option<i64>) -> i64 {
        match over {
            Some(s) => s.max(0),
            None => self
                .settings()
                .await
                .map(|s| s.clock_skew_secs.max(0))
                .unwrap_or(60),
        }
    }

    /// The client's keychain item as the HMAC key of HS* tokens (OIDC Core §10.1), if any.
    async fn hmac_secret(&self, client: &Client) -> Result<Option<ClientSecret>> {
        Ok(match &client.secret_ref {
            Some(k) => self
                .secret_get(k)
                .await?
                .map(|v| ClientSecret::new(v.expose())),
            None => None,
        })
    }
}

/// An expiry is no defect of a stored token: it is reported, as a warning, with what to do.
fn soften_for_stored(c: &mut Check, why: &str) {
    if c.status == CheckStatus::Fail && c.code.as_deref() == Some("expired") {
        c.status = CheckStatus::Warn;
        c.reason = format!("{}; {why}", c.reason);
    }
}

fn issuer_of(client: &Client) -> Option<String> {
    client
        .metadata
        .as_ref()
        .map(|m| m.issuer.clone())
        .or_else(|| client.issuer.clone())
}
