//! Verifying a pasted token: its keys from a pasted JWK, JWKS or PEM, the given issuer, a
//! registered client's issuer, or the token's own `iss` through discovery (OIDC Discovery §4);
//! then checked as what it looks like: an RFC 9068 access token, an ID token (OIDC Core
//! §3.1.3.7), or a generic JWT (RFC 7519 §4.1). Unlike a stored token, an expired one fails.

use super::{KeyPlan, TokenFindings, TokenVerification, VerifyOptions, issuer_of};
use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::model::Client;
use crate::store::grants::AuthRequestFacts;
use oauthdesk_protocol::jose;
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::verify::{self, AccessTokenContext, Check, KeySet};
use serde_json::Value;

impl Desk {
    /// Verifies and checks any pasted token.
    pub async fn verify_token(
        &self,
        token: &str,
        opts: VerifyOptions,
    ) -> Result<TokenVerification> {
        let token = token.trim();
        if token.is_empty() {
            return Err(CoreError::InvalidInput("no token given".into()));
        }
        let skew = self.skew(opts.skew_secs).await;
        let now = self.now();
        let transcript = Transcript::default();
        let client = match &opts.client {
            Some(name) => Some(self.client(name).await?),
            None => None,
        };
        let secret = match &client {
            Some(c) => self.hmac_secret(c).await?,
            None => None,
        };
        let pasted = match &opts.keys {
            Some(k) if !k.trim().is_empty() => Some(
                KeySet::parse(k, "the given key")
                    .map_err(|e| CoreError::InvalidInput(format!("key: {e}")))?,
            ),
            _ => None,
        };
        let decoded = jose::decode(token);
        let claimed_iss = decoded
            .as_ref()
            .and_then(|d| d.claims.as_ref())
            .and_then(|c| c.get("iss"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let issuer = opts
            .issuer
            .clone()
            .filter(|i| !i.trim().is_empty())
            .or_else(|| client.as_ref().and_then(issuer_of));
        let key_issuer = issuer.clone().or_else(|| {
            if pasted.is_none() {
                claimed_iss.clone()
            } else {
                None
            }
        });
        let metadata = client
            .as_ref()
            .and_then(|c| c.metadata.as_ref())
            .filter(|m| Some(&m.issuer) == key_issuer.as_ref());
        let plan = KeyPlan {
            issuer: key_issuer,
            metadata,
            insecure: client.as_ref().is_some_and(|c| c.insecure),
            pasted,
            secret,
        };
        let keys_note = match (&plan.pasted, &plan.issuer) {
            (Some(k), _) => Some(k.origin.clone()),
            (None, Some(i)) if issuer.is_none() => Some(format!(
                "the JWKS of {i} (the token's own iss, found through discovery)"
            )),
            (None, Some(i)) => Some(format!("the JWKS of {i}")),
            (None, None) => None,
        };
        let Some(d) = decoded else {
            let asked = opts.issuer.is_some()
                || opts.keys.is_some()
                || opts.client.is_some()
                || opts.nonce.is_some();
            let f = not_a_jwt(token, asked);
            let failed = f.failed() as u32;
            return Ok(TokenVerification {
                findings: f,
                keys: None,
                failed,
            });
        };
        let claims = d.claims.clone().unwrap_or(Value::Null);
        let looks_like_id = !verify::is_rfc9068(&d.header)
            && ["nonce", "at_hash", "c_hash", "auth_time", "azp"]
                .iter()
                .any(|k| claims.get(k).is_some());
        let facts = AuthRequestFacts {
            nonce: opts.nonce.clone(),
            ..Default::default()
        };
        let mut findings = if d.encrypted {
            let mut f = TokenFindings::new("token", "jwe");
            f.header = Some(d.header.clone());
            f.checks
                .push(self.signature(token, &plan, &transcript).await);
            f
        } else if verify::is_rfc9068(&d.header) {
            match &client {
                Some(c) => {
                    self.check_access_token(c, &facts, token, &plan, &transcript, now, skew)
                        .await
                }
                None => {
                    let mut f = TokenFindings::new("token", "jws");
                    f.checked_as = Some("JWT access token (RFC 9068)".into());
                    f.header = Some(d.header.clone());
                    f.claims = d.claims.clone();
                    f.checks
                        .push(self.signature(token, &plan, &transcript).await);
                    let ctx = AccessTokenContext {
                        issuer: issuer.as_deref(),
                        client_id: None,
                        resource: None,
                        now,
                        skew,
                    };
                    f.checks
                        .extend(verify::access_token_checks(&d.header, &claims, &ctx));
                    f
                }
            }
        } else if looks_like_id || opts.nonce.is_some() {
            let fallback = Client::bare(issuer.clone());
            let c = client.as_ref().unwrap_or(&fallback);
            self.check_id_token(
                c,
                &facts,
                token,
                None,
                None,
                false,
                &plan,
                &transcript,
                now,
                skew,
            )
            .await
        } else {
            self.generic(token, &plan, &transcript, now, skew, "a JWT (not an ID token or RFC 9068 access token: signature, issuer and times checked)").await
        };
        findings.token = "token".into();
        let failed = findings.failed() as u32;
        Ok(TokenVerification {
            findings,
            keys: keys_note,
            failed,
        })
    }

    async fn generic(
        &self,
        token: &str,
        plan: &KeyPlan<'_>,
        transcript: &Transcript,
        now: i64,
        skew: i64,
        what: &str,
    ) -> TokenFindings {
        let Some(d) = jose::decode(token) else {
            return not_a_jwt(token, true);
        };
        let mut f = TokenFindings::new("token", "jws");
        f.checked_as = Some(what.into());
        f.checks.push(self.signature(token, plan, transcript).await);
        let claims = d.claims.clone().unwrap_or(Value::Null);
        if let (Some(want), Some(iss)) = (&plan.issuer, claims.get("iss").and_then(Value::as_str)) {
            f.checks.push(if iss == want {
                Check::pass("iss", "RFC 7519 §4.1.1", format!("issuer is {iss}"))
            } else {
                Check::fail(
                    "iss",
                    "iss_mismatch",
                    "RFC 7519 §4.1.1",
                    format!("issuer is {iss}, expected {want}"),
                )
            });
        }
        for c in verify::access_token_checks(
            &d.header,
            &claims,
            &AccessTokenContext {
                issuer: None,
                client_id: None,
                resource: None,
                now,
                skew,
            },
        ) {
            if matches!(c.name.as_str(), "exp" | "iat" | "nbf") {
                // RFC 7519 §4.1.4/§4.1.5 are MUSTs for any JWT: a pasted token that is expired
                // or not yet valid fails, whatever it is.
                let mut c = c;
                if matches!(
                    c.code.as_deref(),
                    Some("expired" | "not_yet_valid" | "iat_future")
                ) {
                    c.status = verify::CheckStatus::Fail;
                }
                c.spec = match c.name.as_str() {
                    "exp" => "RFC 7519 §4.1.4",
                    "nbf" => "RFC 7519 §4.1.5",
                    _ => "RFC 7519 §4.1.6",
                }
                .into();
                f.checks.push(c);
            }
        }
        f.header = Some(d.header);
        f.claims = d.claims;
        f
    }
}

/// The findings for a token that does not decode as a JWT. Dots in JWT positions make it a
/// malformed JWT (RFC 7519 §7.2 fails), which is a failure; anything else is opaque, and then
/// nothing could be checked, which fails only when a check was asked for.
fn not_a_jwt(token: &str, verification_asked: bool) -> TokenFindings {
    let segments = token.split('.').count();
    let looks_like_jwt = matches!(segments, 3 | 5)
        && token.split('.').take(2).all(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        });
    if looks_like_jwt {
        let mut f = TokenFindings::new("token", "malformed");
        f.checked_as = Some(format!(
            "a JWT ({segments} dot-separated parts) that does not decode"
        ));
        f.checks.push(Check::fail(
            "format",
            "malformed_jwt",
            "RFC 7519 §7.2",
            "the header or payload is not base64url-encoded JSON: this is a damaged or forged JWT, not an opaque token",
        ));
        return f;
    }
    let mut f = TokenFindings::new("token", "opaque");
    f.checked_as = Some(
        "an opaque token: only its issuer can say what it means (introspection, RFC 7662)".into(),
    );
    let reason = "an opaque token carries no signature or claims here: nothing could be checked";
    f.checks.push(if verification_asked {
        Check::fail("signature", "nothing_to_verify", "RFC 7662 §1", reason)
    } else {
        Check::not_applicable("signature", "RFC 7662 §1", reason)
    });
    f
}

#[cfg(test)]
mod tests {
    use crate::desk::{Desk, DeskConfig, VerifyOptions};
    use crate::secrets::MemoryStore;
    use oauthdesk_protocol::ClientSecret;
    use oauthdesk_protocol::keys::{Signer, sign_jwt};
    use std::sync::Arc;

    const KEY: &str = "a-shared-secret-of-thirty-two-bytes!";

    async fn verify(claims: serde_json::Value) -> (u32, Vec<(String, Option<String>)>) {
        let home = tempfile::tempdir().expect("a temp dir");
        let desk = Desk::open(DeskConfig::with_secrets(
            home.path().to_path_buf(),
            Arc::new(MemoryStore::default()),
        ))
        .await
        .expect("the desk opens");
        let secret = ClientSecret::new(KEY);
        let header = jsonwebtoken::Header {
            typ: Some("JWT".into()),
            ..Default::default()
        };
        let token =
            sign_jwt(&Signer::Secret(&secret), header, &claims).expect("the token is signed");
        use base64::Engine;
        let k = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(KEY);
        let v = desk
            .verify_token(
                &token,
                VerifyOptions {
                    keys: Some(format!(r#"{{"kty":"oct","k":"{k}"}}"#)),
                    ..Default::default()
                },
            )
            .await
            .expect("verification runs");
        let checks = v
            .findings
            .checks
            .iter()
            .map(|c| (c.name.clone(), c.code.clone()))
            .collect();
        (v.failed, checks)
    }

    #[tokio::test]
    async fn a_pasted_jwt_that_is_expired_or_not_yet_valid_fails() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("the clock is after 1970")
            .as_secs() as i64;
        let (failed, _) =
            verify(serde_json::json!({"iss": "x", "exp": now + 600, "iat": now})).await;
        assert_eq!(
            failed, 0,
            "a valid, correctly signed JWT passes every check"
        );
        let (failed, checks) =
            verify(serde_json::json!({"iss": "x", "exp": now - 3600, "iat": now - 7200})).await;
        assert_eq!(
            failed, 1,
            "an expired JWT fails (RFC 7519 §4.1.4): {checks:?}"
        );
        assert!(
            checks.contains(&("exp".into(), Some("expired".into()))),
            "the failure is named expired: {checks:?}"
        );
        let (failed, checks) = verify(
            serde_json::json!({"iss": "x", "exp": now + 7200, "iat": now, "nbf": now + 3600}),
        )
        .await;
        assert_eq!(
            failed, 1,
            "a JWT not yet valid fails (RFC 7519 §4.1.5): {checks:?}"
        );
    }
}
