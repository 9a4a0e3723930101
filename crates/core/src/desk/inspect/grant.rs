//! Inspecting a stored grant: its ID token (OIDC Core §3.1.3.7) and access token (RFC 9068)
//! checked as the login left them, an opaque access token introspected on request (RFC 7662
//! §2.2), the DPoP binding `cnf.jkt` against the client's key (RFC 9449 §6), and the scopes.
//! For a stored token an expiry is a warning, and an `at_hash` mismatch after a refresh is
//! not applicable (ARCHITECTURE.md, "Token truth").

use super::{InspectOptions, Inspection, KeyPlan, ScopeComparison, TokenFindings, issuer_of};
use super::{soften_for_stored, split_scopes};
use crate::desk::{Desk, GrantRef};
use crate::error::Result;
use crate::model::GrantType;
use oauthdesk_protocol::jose;
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::verify::{self, Check};
use serde_json::Value;

impl Desk {
    /// Inspects a stored grant's tokens. Needs the keychain (the tokens are read, never shown).
    pub async fn inspect(&self, grant: GrantRef<'_>, opts: InspectOptions) -> Result<Inspection> {
        let (client, rec) = self.resolve(grant, false).await?;
        let tokens = self.load_tokens(&rec).await?;
        let skew = self.skew(None).await;
        let now = self.now();
        let transcript = Transcript::default();
        let secret = self.hmac_secret(&client).await?;
        let plan = KeyPlan {
            issuer: issuer_of(&client),
            metadata: client.metadata.as_ref(),
            insecure: client.insecure,
            pasted: None,
            secret,
        };
        let mut id = TokenFindings::new("id_token", "absent");
        if let Some(t) = &tokens.id_token {
            let access = tokens.access_token.as_ref().map(|a| a.expose());
            id = self
                .check_id_token(
                    &client,
                    &rec.request,
                    t.expose(),
                    access,
                    None,
                    rec.view.grant_type == GrantType::Implicit,
                    &plan,
                    &transcript,
                    now,
                    skew,
                )
                .await;
            for c in &mut id.checks {
                soften_for_stored(
                    c,
                    "it was checked when the login received it; ID tokens are validated once, on receipt",
                );
                if c.name == "at_hash"
                    && c.code.as_deref() == Some("at_hash_mismatch")
                    && rec.view.refresh_count > 0
                {
                    *c = Check::not_applicable(
                        "at_hash",
                        &c.spec,
                        "the access token was refreshed after this ID token was issued, so at_hash describes an earlier access token",
                    );
                }
            }
        }
        let mut at = TokenFindings::new("access_token", "absent");
        let mut at_scopes = None;
        if let Some(t) = &tokens.access_token {
            at = self
                .check_access_token(
                    &client,
                    &rec.request,
                    t.expose(),
                    &plan,
                    &transcript,
                    now,
                    skew,
                )
                .await;
            for c in &mut at.checks {
                soften_for_stored(c, "refresh the grant for a new one");
            }
            at_scopes = at.claims.as_ref().and_then(verify::token_scopes);
            if at.format == "opaque" && opts.introspect && client.endpoints.introspection.is_some()
            {
                match self.introspect(GrantRef::Id(&rec.view.id), false).await {
                    Ok(v) => {
                        let active = v.get("active").and_then(Value::as_bool);
                        at.checks.push(match active {
                            Some(true) => Check::pass("active", "RFC 7662 §2.2", "the server says the token is active"),
                            Some(false) => Check::warn("active", "inactive", "RFC 7662 §2.2", "the server says the token is not active (expired, revoked or unknown)"),
                            None => Check::fail("active", "active_missing", "RFC 7662 §2.2", "the introspection response has no `active` member"),
                        });
                        at.introspection = Some(v);
                    }
                    Err(e) => at.checks.push(Check::warn(
                        "active",
                        "introspection_failed",
                        "RFC 7662 §2.1",
                        format!("introspection failed: {e}"),
                    )),
                }
            } else if at.format == "opaque" {
                at.checks.push(Check::not_applicable(
                    "active",
                    "RFC 7662",
                    if client.endpoints.introspection.is_some() {
                        "an opaque token; introspection not requested"
                    } else {
                        "an opaque token and the server offers no introspection endpoint"
                    },
                ));
            }
        }
        // DPoP (RFC 9449 §6): the token's `cnf.jkt` must be our key's thumbprint.
        if at.format != "absent" {
            let cnf = at
                .claims
                .as_ref()
                .and_then(|c| c.pointer("/cnf/jkt"))
                .or_else(|| {
                    at.introspection
                        .as_ref()
                        .and_then(|i| i.pointer("/cnf/jkt"))
                })
                .and_then(Value::as_str)
                .map(str::to_owned);
            let ours = if client.dpop {
                self.dpop_key(&client, false).await?
            } else {
                None
            }
            .map(|k| oauthdesk_protocol::keys::thumbprint(&k.public_jwk))
            .transpose()?;
            match (cnf, ours, rec.view.token_type.eq_ignore_ascii_case("dpop")) {
                (Some(got), Some(want), _) if got == want => at.checks.push(Check::pass(
                    "cnf.jkt",
                    "RFC 9449 §6",
                    format!("bound to this client's DPoP key ({got})"),
                )),
                (Some(got), Some(want), _) => at.checks.push(Check::fail(
                    "cnf.jkt",
                    "jkt_mismatch",
                    "RFC 9449 §6",
                    format!("bound to key {got}, but this client's DPoP key is {want}"),
                )),
                (Some(got), None, _) => at.checks.push(Check::warn(
                    "cnf.jkt",
                    "unknown_key",
                    "RFC 9449 §6",
                    format!("bound to key {got}, which this client does not hold"),
                )),
                (None, _, true) => at.checks.push(Check::not_applicable(
                    "cnf.jkt",
                    "RFC 9449 §6",
                    "a DPoP token; its binding is not visible (opaque, not introspected)",
                )),
                (None, Some(_), false) => at.checks.push(Check::warn(
                    "cnf.jkt",
                    "not_bound",
                    "RFC 9449 §5",
                    "DPoP is on for this client, but the server issued an unbound token",
                )),
                (None, None, false) => {}
            }
        }
        // mTLS (RFC 8705 §3): the token's `cnf.x5t#S256` against this client's certificate.
        if at.format != "absent" {
            let bound = crate::desk::mtls::binding_check(&client, &at);
            at.checks.extend(bound);
        }
        let mut rt = TokenFindings::new(
            "refresh_token",
            if tokens.refresh_token.is_some() {
                "opaque"
            } else {
                "absent"
            },
        );
        if let Some(t) = &tokens.refresh_token
            && let Some(d) = jose::decode(t.expose())
        {
            rt.format = if d.encrypted {
                "jwe".into()
            } else {
                "jws".into()
            };
            rt.header = Some(d.header);
            rt.checked_as =
                Some("refresh token (meant for the authorization server only; not checked)".into());
        }
        let intro_scopes = at
            .introspection
            .as_ref()
            .and_then(|v| v.get("scope"))
            .and_then(Value::as_str)
            .map(split_scopes);
        let scopes = ScopeComparison::of(
            &rec.view.scopes_requested,
            rec.view.scopes_granted.as_deref(),
            at_scopes,
            intro_scopes,
        );
        self.save_transcript(&client.id, Some(&rec.view.id), "inspect", &transcript)
            .await;
        let tokens = vec![id, at, rt];
        let failed = tokens.iter().map(TokenFindings::failed).sum::<usize>() as u32;
        Ok(Inspection {
            grant: rec.view,
            issuer: plan.issuer,
            tokens,
            scopes,
            failed,
        })
    }
}
