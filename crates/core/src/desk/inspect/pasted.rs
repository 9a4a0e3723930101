//! Verifying a pasted token: its keys from a pasted JWK, JWKS or PEM, the given issuer, a
//! registered client's issuer, or the token's own `iss` through discovery (OIDC Discovery §4);
//! then checked as what it looks like: an RFC 9068 access token, an ID token (OIDC Core
//! §3.1.3.7), or a generic JWT (RFC 7519 §4.1). Unlike a stored token, an expired one fails.

use super::{KeyPlan, TokenFindings, TokenVerification, VerifyOptions, issuer_of};
use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::model::Client;
use crate::store::grants::AuthRequestFacts;
use oauthdesk_protocol::ClientSecret;
use oauthdesk_protocol::jose;
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::verify::{self, AccessTokenContext, Check, CheckStatus, KeySet};
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
        if token.len() > jose::MAX_TOKEN_BYTES {
            return Err(CoreError::InvalidInput(format!(
                "the token is {} KiB; tokens over {} KiB are not verified",
                token.len() / 1024,
                jose::MAX_TOKEN_BYTES / 1024
            )));
        }
        let skew = self.skew(opts.skew_secs).await;
        let now = self.now();
        let transcript = Transcript::default();
        let client = match &opts.client {
            Some(name) => Some(self.client_in_use(self.client(name).await?).await?.client),
            None => None,
        };
        let secret = match &client {
            Some(c) => self.hmac_secret(c).await?,
            None => None,
        };
        let mut pasted = match &opts.keys {
            Some(k) if !k.trim().is_empty() => Some(
                KeySet::parse(k, "the given key")
                    .map_err(|e| CoreError::InvalidInput(format!("key: {e}")))?,
            ),
            _ => None,
        };
        let given_secret = opts.secret.as_ref().filter(|s| !s.expose().is_empty());
        if let Some(s) = given_secret {
            // RFC 7518 §3.2: the HMAC key is the secret's octets, used locally and forgotten.
            let from_secret = KeySet::from_client_secret(s, "the given secret");
            match pasted.as_mut() {
                Some(p) => p.merge(from_secret),
                None => pasted = Some(from_secret),
            }
        }
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
            if pasted.is_none() && !opts.skip_token_issuer {
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
                || opts.secret.is_some()
                || opts.nonce.is_some();
            let f = not_a_jwt(token, asked);
            let failed = f.failed() as u32;
            return Ok(TokenVerification {
                verdict: verify::verdict(&f.format, &f.checks),
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
        let key_source = plan.pasted.is_some() || plan.issuer.is_some() || plan.secret.is_some();
        settle_signature(token, &mut findings, key_source);
        if d.unsigned() {
            findings.format = "unsigned".into();
        }
        if let Some(s) = given_secret {
            findings.checks.extend(secret_length(&d.header, s));
        }
        // mTLS (RFC 8705 §3): a JWT access token's certificate binding, against --client's.
        if let Some(c) = client.as_ref().filter(|_| verify::is_rfc9068(&d.header)) {
            let bound = crate::desk::mtls::binding_check(c, &findings);
            findings.checks.extend(bound);
        }
        let failed = findings.failed() as u32;
        Ok(TokenVerification {
            verdict: verify::verdict(&findings.format, &findings.checks),
            findings,
            keys: if key_source { keys_note } else { None },
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

/// What the header alone decides wins over any key lookup (`alg: none` is refused by name even
/// when an issuer's keys could not be fetched); without any key source the signature is
/// "not verified", not a failure.
fn settle_signature(token: &str, findings: &mut TokenFindings, key_source: bool) {
    let local = verify::verify_signature(token, &KeySet::default()).check;
    let decided = matches!(
        local.code.as_deref(),
        Some("alg_none" | "alg_missing" | "unsupported_alg" | "malformed")
    );
    for c in findings.checks.iter_mut().filter(|c| c.name == "signature") {
        if decided {
            *c = local.clone();
        } else if !key_source && c.code.as_deref() == Some("keys_unavailable") {
            *c = Check {
                status: CheckStatus::NotApplicable,
                code: Some(verify::NOT_VERIFIED.into()),
                ..Check::not_applicable(
                    "signature",
                    "RFC 7515 §5.2",
                    "not verified: no key given (a secret, a public key, an issuer or a client)",
                )
            };
        }
    }
}

/// RFC 7518 §3.2: an HMAC key MUST be at least as long as the hash (32, 48, 64 bytes).
fn secret_length(header: &Value, secret: &ClientSecret) -> Option<Check> {
    let need = match jose::alg(header)? {
        "HS256" => 32,
        "HS384" => 48,
        "HS512" => 64,
        _ => return None,
    };
    let have = secret.expose().len();
    (have < need).then(|| {
        Check::warn(
            "secret_length",
            "short_secret",
            "RFC 7518 §3.2",
            format!("the secret is {have} bytes; an HMAC key must be at least {need} bytes for this algorithm"),
        )
    })
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
#[path = "pasted_tests.rs"]
mod tests;
