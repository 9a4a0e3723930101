//! Handing a fresh access token to another tool (git, docker, kubectl, a command's environment,
//! curl, an AI agent's headers helper): the token as [`Desk::token`] gives it (refreshed once
//! across processes), plus a `handoff` history event and the grant's "last used by". Nothing
//! here writes a token anywhere but to the caller.

use super::Desk;
use super::LoginOptions;
use super::tokens::GrantRef;
use crate::error::{CoreError, Result};
use crate::model::{GrantType, GrantView};
use crate::store;
use oauthdesk_protocol::AccessToken;

/// How long the handoff's bookkeeping (last used by, the history event) may wait for the
/// database: another process holding SQLite's write lock costs the record, not the token.
const BOOKKEEPING_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Which tool a token is handed to, for the history event ("token handed to git for
/// github.com") and "last used by".
#[derive(Debug, Clone)]
pub struct Handoff {
    /// "git" | "docker" | "kubectl" | "exec" | "curl" | "header" | "token"
    pub tool: &'static str,
    /// A host, a command name, …
    pub target: Option<String>,
}

impl Handoff {
    pub fn new(tool: &'static str, target: Option<String>) -> Self {
        Handoff { tool, target }
    }

    /// "git for github.com", or "kubectl". Control characters of the target (a host or a
    /// command name from the caller) are escaped, and it is cut at 200 characters.
    pub fn who(&self) -> String {
        match self
            .target
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(t) => {
                let t: String = t.chars().take(200).collect();
                format!(
                    "{} for {}",
                    self.tool,
                    oauthdesk_protocol::text::escape_controls(&t, false)
                )
            }
            None => self.tool.to_owned(),
        }
    }
}

/// A fresh token ready to hand over.
pub struct HandedToken {
    pub token: AccessToken,
    /// "Bearer" | "DPoP" (or the server's other `token_type` as it came)
    pub scheme: String,
    pub view: GrantView,
    /// Unix seconds.
    pub expires_at: Option<i64>,
}

impl HandedToken {
    /// The `Authorization` header's value: `Bearer <token>` or `DPoP <token>`.
    pub fn authorization(&self) -> String {
        format!("{} {}", self.scheme, self.token.expose())
    }

    pub fn is_dpop(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("dpop")
    }
}

impl std::fmt::Debug for HandedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandedToken")
            .field("token", &"[redacted]")
            .field("scheme", &self.scheme)
            .field("grant", &self.view.id)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Desk {
    /// [`Desk::token`] for the client's current grant, plus the history event and the grant's
    /// last-used-by; never writes the token anywhere.
    pub async fn hand_off(
        &self,
        name: &str,
        handoff: Handoff,
        min_ttl: i64,
    ) -> Result<HandedToken> {
        // Every read first: a bookkeeping write that timed out (another process holds SQLite's
        // write lock) keeps the one connection of a CLI process busy for the busy timeout.
        let client = self.client(name).await?;
        let who = handoff.who();
        let (token, view) = self
            .token_for(GrantRef::Current(name), min_ttl, Some(&who))
            .await?;
        let scheme = if view.token_type.eq_ignore_ascii_case("dpop") {
            match self.dpop_key(&client, false).await? {
                Some(_) => "DPoP".to_owned(),
                None => {
                    return Err(CoreError::InvalidInput(format!(
                        "{name}: the access token is DPoP-bound but the client's DPoP key is not in the keychain; log in again"
                    )));
                }
            }
        } else if view.token_type.eq_ignore_ascii_case("bearer") {
            "Bearer".to_owned()
        } else {
            view.token_type.clone()
        };
        let detail = format!("token handed to {who}");
        let record = self.event(&client.id, Some(&view.id), "handoff", &detail);
        let _ = tokio::time::timeout(BOOKKEEPING_WAIT, record).await;
        Ok(HandedToken {
            token,
            scheme,
            expires_at: view.expires_at,
            view,
        })
    }

    /// The tool said the token was refused (git `erase`, docker `erase`): the next hand_off
    /// refreshes even if the token has not expired. The refresh token is kept.
    pub async fn mark_token_rejected(&self, name: &str, handoff: Handoff) -> Result<()> {
        let (client, rec) = self.resolve_stored(GrantRef::Current(name), false).await?;
        store::grants::set_token_rejected(&self.db, &rec.view.id, Some(self.now())).await?;
        self.event(
            &client.id,
            Some(&rec.view.id),
            "handoff_rejected",
            &format!(
                "{} reported the access token refused; the next handoff refreshes it",
                handoff.who()
            ),
        )
        .await;
        Ok(())
    }

    /// A DPoP proof (RFC 9449 §4) for this method and URL bound to the token (`ath`, §4.2),
    /// when the grant is DPoP-bound; `None` for Bearer.
    pub async fn dpop_proof_for(
        &self,
        name: &str,
        token: &HandedToken,
        method: &str,
        url: &str,
    ) -> Result<Option<String>> {
        if !token.is_dpop() {
            return Ok(None);
        }
        let method = method.trim();
        // RFC 9110 §9.1: a method is a token (tchar); proofs name it as sent, upper case here.
        if method.is_empty()
            || method.len() > 32
            || !method
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
        {
            return Err(CoreError::InvalidInput(format!(
                "{:?} is not an HTTP method",
                oauthdesk_protocol::text::escape_controls(method, false)
            )));
        }
        let url = parse_http_url(url)?;
        let client = self.client(name).await?;
        let key = self.dpop_key(&client, false).await?.ok_or_else(|| {
            CoreError::InvalidInput(format!(
                "{name}: the client's DPoP key is not in the keychain; log in again"
            ))
        })?;
        let method = method.to_ascii_uppercase();
        let nonce = self
            .resource_nonce(&client, &key, &method, &url, token)
            .await;
        let proof = oauthdesk_protocol::dpop::proof(
            &key,
            &method,
            &url,
            nonce.as_deref(),
            Some(token.token.expose()),
        )?;
        Ok(Some(proof))
    }

    /// The nonce the resource server wants in proofs (RFC 9449 §9), learnt the way §9 has a
    /// client learn it: a request whose 401 carries `use_dpop_nonce` and `DPoP-Nonce`. Only a
    /// safe method (GET, HEAD, RFC 9110 §9.2.1) is sent ahead like this; for others, and when
    /// the server demands no nonce, `None`. The probe's transcript is saved ("dpop nonce").
    async fn resource_nonce(
        &self,
        client: &crate::model::Client,
        key: &oauthdesk_protocol::keys::KeyPair,
        method: &str,
        url: &url::Url,
        token: &HandedToken,
    ) -> Option<String> {
        let method: &'static str = match method {
            "GET" => "GET",
            "HEAD" => "HEAD",
            _ => return None,
        };
        let proof =
            oauthdesk_protocol::dpop::proof(key, method, url, None, Some(token.token.expose()))
                .ok()?;
        let req = oauthdesk_protocol::http::HttpRequest {
            method,
            url: url.clone(),
            headers: vec![
                ("authorization".into(), token.authorization()),
                ("dpop".into(), proof),
            ],
            body: None,
        };
        let transcript = oauthdesk_protocol::transcript::Transcript::default();
        let http = self.http_for(client).await.ok()?;
        let resp = http.send("dpop nonce probe", req, &transcript).await.ok();
        let save =
            self.save_transcript(&client.id, Some(&token.view.id), "dpop nonce", &transcript);
        let _ = tokio::time::timeout(BOOKKEEPING_WAIT, save).await;
        oauthdesk_protocol::dpop::nonce_challenge(&resp?)
    }
}

impl Desk {
    /// How to log in again for `name` so the new grant matches the last one: its grant type,
    /// scopes and resource (RFC 8707). `None` when that login needs the user's input beyond a
    /// browser (the password grant) or cannot be repeated (token exchange, implicit).
    pub async fn login_again_options(&self, name: &str) -> Result<Option<LoginOptions>> {
        let client = self.client(name).await?;
        let last = store::grants::list(&self.db, Some(&client.id))
            .await?
            .into_iter()
            .next();
        let Some(last) = last else {
            return Ok(Some(LoginOptions::new(GrantType::AuthorizationCode)));
        };
        let grant = last.view.grant_type;
        if !matches!(
            grant,
            GrantType::AuthorizationCode | GrantType::DeviceCode | GrantType::ClientCredentials
        ) {
            return Ok(None);
        }
        let mut opts = LoginOptions::new(grant);
        opts.scope = Some(last.view.scopes_requested.clone()).filter(|s| !s.trim().is_empty());
        if let Some(r) = last.request.resource {
            opts.extra_params.push(("resource".into(), r));
        }
        Ok(Some(opts))
    }
}

/// An absolute http(s) URL, the `htu` of a proof (RFC 9449 §4.2).
pub fn parse_http_url(url: &str) -> Result<url::Url> {
    // Redacted first: a URL given to `header --url`/`curl` may carry `?access_token=…`.
    let shown = || {
        oauthdesk_protocol::text::escape_controls(
            &oauthdesk_protocol::transcript::redact_url(url),
            false,
        )
    };
    let parsed = url::Url::parse(url.trim())
        .map_err(|e| CoreError::InvalidInput(format!("{:?} is not a URL: {e}", shown())))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(CoreError::InvalidInput(format!(
            "{:?} is not an http(s) URL",
            shown()
        )));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_names_the_tool_and_its_target_safely() {
        assert_eq!(
            Handoff::new("git", Some("github.com".into())).who(),
            "git for github.com",
            "the history detail and last-used-by name the tool and the host"
        );
        assert_eq!(
            Handoff::new("kubectl", None).who(),
            "kubectl",
            "no target: the tool alone"
        );
        assert_eq!(
            Handoff::new("exec", Some("  ".into())).who(),
            "exec",
            "a blank target is no target"
        );
        let hostile = Handoff::new(
            "exec",
            Some(format!("x\u{1b}]0;pwned\u{7}{}", "a".repeat(500))),
        );
        let who = hostile.who();
        assert!(
            !who.contains('\u{1b}') && !who.contains('\u{7}'),
            "a command name cannot carry terminal controls into the history: {who:?}"
        );
        assert!(who.len() < 300, "a long target is cut: {}", who.len());
    }

    #[test]
    fn proof_urls_must_be_absolute_http() {
        assert!(parse_http_url("https://api.example.com/me?x=1").is_ok());
        assert!(
            parse_http_url("ftp://example.com/").is_err(),
            "ftp is refused"
        );
        assert!(parse_http_url("/me").is_err(), "a relative URL is refused");
        assert!(
            parse_http_url("file:///etc/passwd").is_err(),
            "file is refused"
        );
    }
}
