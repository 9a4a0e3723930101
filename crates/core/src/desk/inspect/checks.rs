//! The checks of one token as what it is: an ID token (OIDC Core §3.1.3.7, with the expected
//! `alg` from the client's registration or the server's metadata, OIDC Registration §2) or a
//! JWT access token (RFC 9068, advisory without its `typ`), and the login's own validation of
//! the ID token it receives, before anything is stored (OIDC Core §3.1.3.7 (6) for TLS).

use super::{KeyPlan, TokenFindings, issuer_of};
use crate::desk::Desk;
use crate::model::Client;
use crate::store::grants::AuthRequestFacts;
use oauthdesk_protocol::jose;
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::verify::{self, AccessTokenContext, Check, CheckStatus, IdTokenContext};

impl Desk {
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn check_id_token(
        &self,
        client: &Client,
        facts: &AuthRequestFacts,
        token: &str,
        access_token: Option<&str>,
        code: Option<&str>,
        implicit: bool,
        plan: &KeyPlan<'_>,
        transcript: &Transcript,
        now: i64,
        skew: i64,
    ) -> TokenFindings {
        let Some(d) = jose::decode(token) else {
            let mut f = TokenFindings::new("id_token", "opaque");
            f.checks.push(Check::fail(
                "format",
                "not_a_jwt",
                "OIDC Core §2",
                "the ID token is not a JWT",
            ));
            return f;
        };
        let mut f = TokenFindings::new("id_token", if d.encrypted { "jwe" } else { "jws" });
        f.checked_as = Some("ID token (OIDC Core §3.1.3.7)".into());
        f.header = Some(d.header.clone());
        f.claims = d.claims.clone();
        let sig = self.signature(token, plan, transcript).await;
        f.checks.push(sig);
        if let Some(claims) = &d.claims {
            let (expected, origin) = expected_algs(client);
            let ctx = IdTokenContext {
                issuer: plan.issuer.as_deref(),
                client_id: (!client.client_id.is_empty()).then_some(client.client_id.as_str()),
                nonce: facts.nonce.as_deref(),
                max_age: facts.max_age,
                access_token,
                at_hash_required: implicit && access_token.is_some(),
                code,
                expected_algs: expected,
                expected_algs_origin: origin,
                now,
                skew,
            };
            f.checks
                .extend(verify::id_token_checks(&d.header, claims, &ctx));
        }
        f
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) async fn check_access_token(
        &self,
        client: &Client,
        facts: &AuthRequestFacts,
        token: &str,
        plan: &KeyPlan<'_>,
        transcript: &Transcript,
        now: i64,
        skew: i64,
    ) -> TokenFindings {
        let Some(d) = jose::decode(token) else {
            let mut f = TokenFindings::new("access_token", "opaque");
            f.checked_as =
                Some("an opaque access token (its meaning is known to the server only)".into());
            return f;
        };
        let mut f = TokenFindings::new("access_token", if d.encrypted { "jwe" } else { "jws" });
        f.header = Some(d.header.clone());
        f.claims = d.claims.clone();
        let profile = verify::is_rfc9068(&d.header);
        f.checked_as = Some(if profile {
            "JWT access token (RFC 9068)".into()
        } else {
            "a provider-specific JWT access token (advisory checks)".into()
        });
        let mut sig = self.signature(token, plan, transcript).await;
        if !profile && sig.status == CheckStatus::Fail {
            sig.status = CheckStatus::Warn;
            sig.reason
                .push_str(" (this access token is not meant to be verified by the client)");
        }
        f.checks.push(sig);
        if let Some(claims) = &d.claims {
            let ctx = AccessTokenContext {
                issuer: plan.issuer.as_deref(),
                client_id: Some(client.client_id.as_str()).filter(|c| !c.is_empty()),
                resource: facts.resource.as_deref().or(facts.audience.as_deref()),
                now,
                skew,
            };
            f.checks
                .extend(verify::access_token_checks(&d.header, claims, &ctx));
        }
        f
    }

    /// Validates an ID token received by a login, before anything is stored. Returns the checks;
    /// the caller refuses the login when one fails.
    #[allow(clippy::too_many_arguments)]
    pub(in crate::desk) async fn validate_login_id_token(
        &self,
        client: &Client,
        facts: &AuthRequestFacts,
        id_token: &str,
        access_token: &str,
        code: Option<&str>,
        implicit: bool,
        transcript: &Transcript,
    ) -> Vec<Check> {
        let skew = self.skew(None).await;
        let secret = self.hmac_secret(client).await.ok().flatten();
        let plan = KeyPlan {
            issuer: issuer_of(client),
            metadata: client.metadata.as_ref(),
            insecure: client.insecure,
            pasted: None,
            secret,
        };
        let mut f = self
            .check_id_token(
                client,
                facts,
                id_token,
                Some(access_token),
                code,
                implicit,
                &plan,
                transcript,
                self.now(),
                skew,
            )
            .await;
        if !implicit {
            // OIDC Core §3.1.3.7 (6): an ID token received directly from the token endpoint over
            // TLS may rely on TLS instead of its signature; missing keys are then no reason to refuse.
            for c in &mut f.checks {
                if c.name == "signature" && c.code.as_deref() == Some("keys_unavailable") {
                    c.status = CheckStatus::NotApplicable;
                    c.reason.push_str(" — received directly from the token endpoint, so the TLS connection vouches for it (OIDC Core §3.1.3.7 (6))");
                }
            }
        }
        f.checks
    }
}

impl Desk {
    /// The signature check of an ID token that came with a refresh (OIDC Core §12.2).
    pub(in crate::desk) async fn refreshed_id_signature(
        &self,
        client: &Client,
        id_token: &str,
        transcript: &Transcript,
    ) -> Check {
        let secret = self.hmac_secret(client).await.ok().flatten();
        let plan = KeyPlan {
            issuer: issuer_of(client),
            metadata: client.metadata.as_ref(),
            insecure: client.insecure,
            pasted: None,
            secret,
        };
        self.signature(id_token, &plan, transcript).await
    }
}

fn expected_algs(client: &Client) -> (Vec<String>, &'static str) {
    if client.id.is_empty() {
        // A pasted token checked without a registered client: nothing was registered.
        return (vec![], "");
    }
    if let Some(a) = &client.id_token_alg {
        return (
            vec![a.clone()],
            "the client's registered id_token_signed_response_alg",
        );
    }
    match client
        .metadata
        .as_ref()
        .map(|m| &m.id_token_signing_alg_values_supported)
    {
        Some(list) if !list.is_empty() => (
            list.iter().filter(|a| *a != "none").cloned().collect(),
            "what the server advertises (id_token_signing_alg_values_supported)",
        ),
        _ => (
            vec!["RS256".into()],
            "the default id_token_signed_response_alg (OIDC Registration §2)",
        ),
    }
}
