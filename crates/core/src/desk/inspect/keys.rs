//! Keys for the signature check (RFC 7515 §5.2): a pasted key set as given, or the issuer's
//! JWKS (RFC 7517 §5) from `jwks_uri` (RFC 8414 §2, found by discovery when the client has no
//! metadata), cached in SQLite for a day and fetched again once on an unknown `kid` (OIDC Core
//! §10.1.1, key rotation); a client secret joins for HMAC-signed tokens (OIDC Core §10.1).

use super::KeyPlan;
use crate::desk::Desk;
use crate::error::Result;
use crate::store;
use oauthdesk_protocol::discovery::{self, ServerMetadata};
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::verify::{self, Check, CheckStatus, KeySet};
use oauthdesk_protocol::{ProtocolError, jose};
use serde_json::Value;

/// A cached JWKS older than this is fetched again, so a key the issuer withdrew (compromised,
/// retired) stops verifying within a day even without a `kid` miss.
const JWKS_MAX_AGE_SECS: i64 = 24 * 3600;

impl Desk {
    /// The signature check, with the issuer's JWKS (cached; refetched once when the `kid` is unknown).
    pub(super) async fn signature(
        &self,
        token: &str,
        plan: &KeyPlan<'_>,
        transcript: &Transcript,
    ) -> Check {
        let mut keys = KeySet::default();
        let hmac = jose::decode(token)
            .and_then(|d| {
                d.header
                    .get("alg")
                    .and_then(Value::as_str)
                    .map(|a| a.starts_with("HS"))
            })
            .unwrap_or(false);
        if let Some(p) = plan.pasted.as_ref() {
            return self.verify_pasted(token, p, plan, hmac);
        }
        let mut from_cache = false;
        if let Some(issuer) = &plan.issuer {
            match self
                .issuer_keys(issuer, plan.metadata, plan.insecure, transcript, false)
                .await
            {
                Ok((k, cached)) => {
                    keys.merge(k);
                    from_cache = cached;
                }
                Err(e) if !(hmac && plan.secret.is_some()) => {
                    return Check::fail(
                        "signature",
                        "keys_unavailable",
                        "RFC 7517 §5",
                        format!("the issuer's keys could not be fetched: {e}"),
                    );
                }
                Err(_) => {}
            }
        }
        if hmac && let Some(s) = &plan.secret {
            keys.merge(KeySet::from_client_secret(s, "the client secret"));
        }
        if keys.keys.is_empty() && keys.skipped.is_empty() {
            return Check::fail(
                "signature",
                "keys_unavailable",
                "RFC 7517 §5",
                "no keys to verify with: give an issuer, a JWKS/PEM, or a client (for HMAC-signed tokens)",
            );
        }
        let first = verify::verify_signature(token, &keys);
        if !first.unknown_kid || plan.issuer.is_none() {
            return first.check;
        }
        // RFC 7517 §5 / OIDC Core §10.1.1: the issuer may have rotated its keys; fetch once more.
        let issuer = plan.issuer.as_deref().unwrap_or_default();
        match self
            .issuer_keys(issuer, plan.metadata, plan.insecure, transcript, true)
            .await
        {
            Ok((mut fresh, _)) => {
                if hmac && let Some(s) = &plan.secret {
                    fresh.merge(KeySet::from_client_secret(s, "the client secret"));
                }
                let mut second = verify::verify_signature(token, &fresh).check;
                if second.code.as_deref() == Some("unknown_kid") {
                    second.reason.push_str(if from_cache {
                        " (the cached JWKS was fetched again: still absent)"
                    } else {
                        " (the JWKS was fetched twice: still absent)"
                    });
                } else if second.status == CheckStatus::Pass {
                    second
                        .reason
                        .push_str(" (a new key: the JWKS was refetched after key rotation)");
                }
                second
            }
            Err(e) => {
                let mut c = first.check;
                c.reason
                    .push_str(&format!("; refetching the JWKS failed: {e}"));
                c
            }
        }
    }

    fn verify_pasted(&self, token: &str, pasted: &KeySet, plan: &KeyPlan<'_>, hmac: bool) -> Check {
        // A pasted key is used as given; for an HMAC token a client's secret is tried next.
        let mut out = verify::verify_signature(token, pasted).check;
        if out.status != CheckStatus::Pass
            && hmac
            && let Some(s) = &plan.secret
        {
            let with_secret = KeySet::from_client_secret(s, "the client secret");
            let second = verify::verify_signature(token, &with_secret).check;
            if second.status == CheckStatus::Pass {
                out = second;
            }
        }
        out
    }

    /// The issuer's JWKS: from the cache unless `force`, else fetched (and cached). Returns the
    /// keys and whether they came from the cache.
    async fn issuer_keys(
        &self,
        issuer: &str,
        metadata: Option<&ServerMetadata>,
        insecure: bool,
        transcript: &Transcript,
        force: bool,
    ) -> Result<(KeySet, bool)> {
        let jwks_uri = match metadata.and_then(|m| m.jwks_uri.clone()) {
            Some(u) => u,
            None => {
                discovery::check_transport_security(issuer, insecure)?;
                let (m, _) =
                    discovery::discover(&self.http_for_issuer(issuer).await?, transcript, issuer)
                        .await?;
                m.jwks_uri.ok_or_else(|| ProtocolError::MissingJwksUri {
                    issuer: issuer.to_owned(),
                })?
            }
        };
        if !force
            && let Ok(Some((json, fetched_at))) =
                store::jwks_cache::cached_jwks(&self.db, &jwks_uri).await
            && self.now() - fetched_at < JWKS_MAX_AGE_SECS
        {
            let v: Value = serde_json::from_str(&json).map_err(ProtocolError::KeyJson)?;
            let keys = KeySet::from_jwks_value(&v, &format!("the JWKS of {issuer} (cached)"))?;
            return Ok((keys, true));
        }
        discovery::check_transport_security(&jwks_uri, insecure)?;
        let v = discovery::fetch_jwks(&self.http_for_issuer(issuer).await?, transcript, &jwks_uri)
            .await?;
        let _ =
            store::jwks_cache::cache_jwks(&self.db, &jwks_uri, &v.to_string(), self.now()).await;
        Ok((
            KeySet::from_jwks_value(&v, &format!("the JWKS of {issuer}"))?,
            false,
        ))
    }
}
