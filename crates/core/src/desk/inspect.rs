//! Token truth for grants and pasted tokens: signatures verified against the issuer's JWKS
//! (cached, refetched once on an unknown `kid`), ID token checks (OIDC Core §3.1.3.7), JWT
//! access token checks (RFC 9068), introspection for opaque tokens, and requested-vs-granted
//! scopes. The same findings feed `oauthdesk inspect`/`decode` and the GUI's inspector.

use super::{Desk, GrantRef};
use crate::error::{CoreError, Result};
use crate::model::{Client, GrantType, GrantView};
use crate::store;
use crate::store::grants::AuthRequestFacts;
use oauthdesk_protocol::discovery::{self, ServerMetadata};
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::verify::{
    self, AccessTokenContext, Check, CheckStatus, IdTokenContext, KeySet,
};
use oauthdesk_protocol::{Secret, jose};
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

/// Requested versus granted scopes of a grant, from every source there is.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScopeComparison {
    pub requested: Vec<String>,
    /// The token response's `scope`; `null` when the server omitted it.
    pub response: Option<Vec<String>>,
    /// Says what an omitted `scope` means (RFC 6749 §5.1) or where `granted` came from.
    pub note: String,
    pub access_token_claim: Option<Vec<String>>,
    pub introspection: Option<Vec<String>>,
    /// The best-known granted set: introspection, else the response, else the token's claim,
    /// else the requested set (RFC 6749 §5.1).
    pub granted: Vec<String>,
    pub not_granted: Vec<String>,
    pub not_requested: Vec<String>,
}

impl ScopeComparison {
    pub fn of(
        requested: &str,
        response: Option<&str>,
        access_token_claim: Option<Vec<String>>,
        introspection: Option<Vec<String>>,
    ) -> Self {
        let requested = split_scopes(requested);
        let response = response.map(split_scopes);
        let (granted, note) = if let Some(i) = &introspection {
            (
                i.clone(),
                "granted scopes as the server reports them now (introspection, RFC 7662)"
                    .to_owned(),
            )
        } else if let Some(r) = &response {
            (
                r.clone(),
                "granted scopes from the token response's `scope`".to_owned(),
            )
        } else if let Some(c) = &access_token_claim {
            (c.clone(), "the token response omitted `scope` (RFC 6749 §5.1: same as requested); granted scopes read from the access token's claim".to_owned())
        } else {
            (requested.clone(), "the token response omitted `scope`: per RFC 6749 §5.1 the granted scopes are exactly the requested ones".to_owned())
        };
        let not_granted = requested
            .iter()
            .filter(|s| !granted.contains(s))
            .cloned()
            .collect();
        let not_requested = granted
            .iter()
            .filter(|s| !requested.contains(s))
            .cloned()
            .collect();
        Self {
            requested,
            response,
            note,
            access_token_claim,
            introspection,
            granted,
            not_granted,
            not_requested,
        }
    }
}

pub fn split_scopes(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in s.split([' ', ',']).filter(|x| !x.is_empty()) {
        if !out.iter().any(|o| o == x) {
            out.push(x.to_owned());
        }
    }
    out
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
}

/// How to verify a pasted token. Keys come from, in order: `keys` (a pasted JWK, JWKS or PEM),
/// the `issuer`'s JWKS, the `client`'s issuer, or the token's own `iss` through discovery.
#[derive(Debug, Clone, Default, Deserialize, TS)]
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
}

#[derive(Debug, Clone, Copy, Default)]
pub struct InspectOptions {
    /// Ask the introspection endpoint about an opaque access token.
    pub introspect: bool,
}

/// A cached JWKS older than this is fetched again, so a key the issuer withdrew (compromised,
/// retired) stops verifying within a day even without a `kid` miss.
const JWKS_MAX_AGE_SECS: i64 = 24 * 3600;

/// Where a token's keys are looked up.
struct KeyPlan<'a> {
    issuer: Option<String>,
    metadata: Option<&'a ServerMetadata>,
    insecure: bool,
    pasted: Option<KeySet>,
    secret: Option<Secret>,
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

    /// Inspects a stored grant's tokens. Needs the keychain (the tokens are read, never shown).
    pub async fn inspect(&self, grant: GrantRef<'_>, opts: InspectOptions) -> Result<Inspection> {
        let (client, rec) = self.resolve(grant, false).await?;
        let tokens = self.load_tokens(&rec).await?;
        let skew = self.skew(None).await;
        let now = self.now();
        let transcript = Transcript::default();
        let secret = match &client.secret_ref {
            Some(k) => self.secret_get(k).await?,
            None => None,
        };
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
                self.dpop_key(&client, false)
                    .await?
                    .map(|k| oauthdesk_protocol::keys::thumbprint(&k.public_jwk))
            } else {
                None
            };
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
        let secret = match client.as_ref().and_then(|c| c.secret_ref.clone()) {
            Some(k) => self.secret_get(&k).await?,
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
            let mut f = TokenFindings::new("token", "opaque");
            f.checked_as = Some(
                "an opaque token: only its issuer can say what it means (introspection, RFC 7662)"
                    .into(),
            );
            return Ok(TokenVerification {
                findings: f,
                keys: None,
                failed: 0,
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
        let d = jose::decode(token).expect("caller decoded it");
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
                f.checks.push(c);
            }
        }
        f.header = Some(d.header);
        f.claims = d.claims;
        f
    }

    #[allow(clippy::too_many_arguments)]
    async fn check_id_token(
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
    async fn check_access_token(
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

    /// The signature check, with the issuer's JWKS (cached; refetched once when the `kid` is unknown).
    async fn signature(&self, token: &str, plan: &KeyPlan<'_>, transcript: &Transcript) -> Check {
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
    ) -> std::result::Result<(KeySet, bool), String> {
        let jwks_uri = match metadata.and_then(|m| m.jwks_uri.clone()) {
            Some(u) => u,
            None => {
                discovery::check_transport_security(issuer, insecure).map_err(|e| e.to_string())?;
                let (m, _) = discovery::discover(self.http(), transcript, issuer)
                    .await
                    .map_err(|e| e.to_string())?;
                m.jwks_uri
                    .ok_or_else(|| format!("{issuer}'s metadata has no jwks_uri"))?
            }
        };
        if !force
            && let Ok(Some((json, fetched_at))) =
                store::workbench::cached_jwks(&self.db, &jwks_uri).await
            && self.now() - fetched_at < JWKS_MAX_AGE_SECS
        {
            let v: Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
            return KeySet::from_jwks_value(&v, &format!("the JWKS of {issuer} (cached)"))
                .map(|k| (k, true));
        }
        discovery::check_transport_security(&jwks_uri, insecure).map_err(|e| e.to_string())?;
        let v = discovery::fetch_jwks(self.http(), transcript, &jwks_uri)
            .await
            .map_err(|e| e.to_string())?;
        let _ = store::workbench::cache_jwks(&self.db, &jwks_uri, &v.to_string(), self.now()).await;
        KeySet::from_jwks_value(&v, &format!("the JWKS of {issuer}")).map(|k| (k, false))
    }

    /// Validates an ID token received by a login, before anything is stored. Returns the checks;
    /// the caller refuses the login when one fails.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn validate_login_id_token(
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
        let secret = match &client.secret_ref {
            Some(k) => self.secret_get(k).await.ok().flatten(),
            None => None,
        };
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
