//! What the desktop workbench adds on top of the grants: inspecting a grant's tokens (decoded,
//! never raw), the explicit reveal, forgetting a grant, decoding any pasted token, calling an
//! API with a grant's token, saved requests, and settings.

use super::keychain_write::SecretChange;
use super::{Desk, GrantRef};
use crate::error::{CoreError, Result};
use crate::model::GrantView;
use crate::store;
use oauthdesk_protocol::discovery::check_transport_security;
use oauthdesk_protocol::http::HttpRequest;
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::{AccessToken, IdToken, RefreshToken, jose};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A JWT's decoded parts. The signature is shown as its length only: it is not secret, but it
/// is also of no use to read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct JwtParts {
    pub header: serde_json::Value,
    /// `null` for JWE: the payload is encrypted.
    pub claims: Option<serde_json::Value>,
    pub encrypted: bool,
    pub signature_length: usize,
}

impl JwtParts {
    fn of(token: &str) -> Option<Self> {
        let d = jose::decode(token)?;
        let signature_length = token.rsplit('.').next().map(str::len).unwrap_or(0);
        Some(Self {
            header: d.header,
            claims: d.claims,
            encrypted: d.encrypted,
            signature_length,
        })
    }
}

/// One token of a grant as the inspector shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TokenInfo {
    pub present: bool,
    /// `eyJhbG…(812 chars)`: enough to recognise, not to use.
    pub preview: Option<String>,
    /// Decoded when the token is a JWT; `null` for opaque tokens.
    pub jwt: Option<JwtParts>,
}

impl TokenInfo {
    fn of(token: Option<&str>) -> Self {
        Self {
            present: token.is_some(),
            preview: token.map(oauthdesk_protocol::secret::preview),
            jwt: token.and_then(JwtParts::of),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct GrantInspection {
    pub grant: GrantView,
    pub access_token: TokenInfo,
    pub refresh_token: TokenInfo,
    pub id_token: TokenInfo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Access,
    Refresh,
    Id,
}

/// A pasted token, decoded.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DecodedToken {
    /// `jws`, `jwe` or `opaque`.
    pub kind: String,
    pub jwt: Option<JwtParts>,
    /// The compact serialization's segments, as pasted (base64url).
    pub segments: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ApiRequest {
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body re-indented when it is JSON.
    pub pretty_json: Option<String>,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SavedRequest {
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, PartialEq)]
pub struct Settings {
    /// `system`, `light` or `dark`.
    pub theme: String,
    /// Clock-skew tolerance for expiry checks, in seconds.
    pub clock_skew_secs: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: "system".into(),
            clock_skew_secs: 60,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct KeychainStatus {
    pub available: bool,
    pub backend: String,
    pub problem: Option<String>,
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

impl Desk {
    pub async fn keychain(&self) -> KeychainStatus {
        let problem = self.keychain_status().await.err().map(|e| e.to_string());
        KeychainStatus {
            available: problem.is_none(),
            backend: self.keychain_description(),
            problem,
        }
    }

    pub async fn inspect_grant(&self, id: &str) -> Result<GrantInspection> {
        let (_, rec) = self.resolve(GrantRef::Id(id), false).await?;
        let tokens =
            if rec.view.has_access_token || rec.view.has_refresh_token || rec.view.has_id_token {
                self.load_tokens(&rec).await?
            } else {
                Default::default()
            };
        Ok(GrantInspection {
            access_token: TokenInfo::of(tokens.access_token.as_ref().map(AccessToken::expose)),
            refresh_token: TokenInfo::of(tokens.refresh_token.as_ref().map(RefreshToken::expose)),
            id_token: TokenInfo::of(tokens.id_token.as_ref().map(IdToken::expose)),
            grant: rec.view,
        })
    }

    /// The one way a raw token leaves the keychain for the UI: an explicit reveal or copy.
    /// The plain `String` is the point: whoever calls this has asked for the value.
    pub async fn reveal_token(&self, id: &str, which: TokenKind) -> Result<String> {
        let (_, rec) = self.resolve(GrantRef::Id(id), false).await?;
        let tokens = self.load_tokens(&rec).await?;
        let token = match which {
            TokenKind::Access => tokens.access_token.map(|t| t.expose().to_owned()),
            TokenKind::Refresh => tokens.refresh_token.map(|t| t.expose().to_owned()),
            TokenKind::Id => tokens.id_token.map(|t| t.expose().to_owned()),
        };
        token.ok_or_else(|| CoreError::InvalidInput("the grant holds no such token".into()))
    }

    /// Deletes a grant and its keychain item without contacting the server.
    pub async fn forget_grant(&self, id: &str) -> Result<()> {
        let (client, rec) = self.resolve(GrantRef::Id(id), false).await?;
        let owned_id = id.to_owned();
        self.write_together(
            vec![SecretChange::Delete(rec.secret_ref.clone())],
            move |db| async move { store::grants::delete(&db, &owned_id).await },
        )
        .await?;
        self.event(
            &client.id,
            Some(id),
            "forgotten",
            "removed locally; not revoked at the server",
        )
        .await;
        Ok(())
    }

    pub fn decode_token(&self, token: &str) -> Result<DecodedToken> {
        let token = token.trim().trim_start_matches("Bearer ").trim();
        if token.is_empty() {
            return Err(CoreError::InvalidInput("paste a token to decode".into()));
        }
        let segments: Vec<String> = token.split('.').map(str::to_owned).collect();
        let jwt = JwtParts::of(token);
        let kind = match &jwt {
            Some(j) if j.encrypted => "jwe",
            Some(_) => "jws",
            None => "opaque",
        };
        Ok(DecodedToken {
            kind: kind.into(),
            jwt,
            segments: if kind == "opaque" { vec![] } else { segments },
        })
    }

    /// Sends a request with the grant's access token (refreshed first when expired).
    pub async fn call_api(&self, grant: GrantRef<'_>, req: ApiRequest) -> Result<ApiResponse> {
        let (client, _) = self.resolve(grant, true).await?;
        let method = METHODS
            .iter()
            .find(|m| m.eq_ignore_ascii_case(req.method.trim()))
            .ok_or_else(|| {
                CoreError::InvalidInput(format!("unsupported method {:?}", req.method))
            })?;
        let url = check_transport_security(req.url.trim(), client.insecure)?;
        let (token, view) = self.token(grant, 0).await?;
        let mut headers: Vec<(String, String)> = req
            .headers
            .into_iter()
            .filter(|(k, _)| !k.trim().is_empty() && !k.eq_ignore_ascii_case("authorization"))
            .collect();
        let dpop = if view.token_type.eq_ignore_ascii_case("dpop") {
            self.dpop_key(&client, false).await?
        } else {
            None
        };
        let scheme = match (&dpop, view.token_type.eq_ignore_ascii_case("bearer")) {
            (Some(_), _) => "DPoP".to_owned(),
            (None, true) => "Bearer".to_owned(),
            (None, false) => view.token_type.clone(),
        };
        headers.push((
            "authorization".into(),
            format!("{scheme} {}", token.expose()),
        ));
        let body = req.body.filter(|b| !b.is_empty());
        let http_req = HttpRequest {
            method,
            url,
            headers,
            body,
        };
        let transcript = Transcript::default();
        let started = std::time::Instant::now();
        let result = match &dpop {
            // RFC 9449 §7: a DPoP-bound token goes with a proof for this very request.
            Some(key) => {
                oauthdesk_protocol::dpop::send(
                    self.http(),
                    &transcript,
                    "api call",
                    http_req,
                    key,
                    Some(token.expose()),
                )
                .await
            }
            None => self.http().send("api call", http_req, &transcript).await,
        };
        self.save_transcript(&client.id, Some(&view.id), "api call", &transcript)
            .await;
        let resp = result?;
        let body = resp.text();
        let pretty_json = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok());
        Ok(ApiResponse {
            status: resp.status,
            headers: resp.headers,
            body,
            pretty_json,
            duration_ms: started.elapsed().as_millis() as u64,
        })
    }

    pub async fn saved_requests(&self, client: &str) -> Result<Vec<SavedRequest>> {
        let c = self.client(client).await?;
        store::workbench::saved_requests(&self.db, &c.id).await
    }

    pub async fn save_request(&self, client: &str, mut req: SavedRequest) -> Result<SavedRequest> {
        let c = self.client(client).await?;
        if req.name.trim().is_empty() {
            return Err(CoreError::InvalidInput(
                "a saved request needs a name".into(),
            ));
        }
        if req
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        {
            return Err(CoreError::InvalidInput("saved requests never keep an Authorization header: the grant's token is added when sending".into()));
        }
        if req.id.is_empty() {
            req.id = uuid::Uuid::new_v4().to_string();
        }
        store::workbench::upsert_request(&self.db, &c.id, &req, self.now()).await?;
        Ok(req)
    }

    pub async fn delete_saved_request(&self, id: &str) -> Result<()> {
        store::workbench::delete_request(&self.db, id).await
    }

    pub async fn settings(&self) -> Result<Settings> {
        Ok(store::workbench::setting(&self.db, "app")
            .await?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    pub async fn set_settings(&self, s: Settings) -> Result<Settings> {
        if !["system", "light", "dark"].contains(&s.theme.as_str()) {
            return Err(CoreError::InvalidInput(format!(
                "unknown theme {:?}",
                s.theme
            )));
        }
        if !(0..=3600).contains(&s.clock_skew_secs) {
            return Err(CoreError::InvalidInput(
                "clock skew tolerance must be between 0 and 3600 seconds".into(),
            ));
        }
        store::workbench::set_setting(
            &self.db,
            "app",
            &serde_json::to_string(&s).unwrap_or_default(),
        )
        .await?;
        Ok(s)
    }

    /// Opens an http(s) URL in the system browser (the window itself never navigates: RFC 8252 §8.12).
    pub fn open_in_browser(&self, url: &str) -> Result<()> {
        let parsed = url::Url::parse(url)
            .map_err(|e| CoreError::InvalidInput(format!("{url:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(CoreError::InvalidInput(format!(
                "only http(s) URLs are opened, not {:?}",
                parsed.scheme()
            )));
        }
        self.config.launcher.open(parsed.as_str())
    }
}
