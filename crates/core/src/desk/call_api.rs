//! Call API: a request with a grant's access token (RFC 6750 §2.1, or DPoP with a proof, RFC
//! 9449 §7), refreshed when needed, and the requests saved per client. A refused call comes
//! back explained, with the step-up that would satisfy the API when there is one
//! (`step_up.rs`). The request and response carry whatever the user typed and the API
//! answered, so their `Debug` redacts like the transcript.

use super::step_up::explain;
use super::step_up::invalid_token::{self, MetadataLookup};
use super::step_up::{CallChallenge, StepUpPlan};
use super::{Desk, GrantRef};
use crate::error::{CoreError, Result};
use crate::model::Client;
use crate::store;
use oauthdesk_protocol::discovery::check_transport_security;
use oauthdesk_protocol::http::HttpRequest;
use oauthdesk_protocol::resource::{self, MetadataSource};
use oauthdesk_protocol::transcript::{self, Transcript};
use oauthdesk_protocol::{ProtocolError, jose};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Deserialize, TS)]
pub struct ApiRequest {
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Clone, Serialize, TS)]
pub struct ApiResponse {
    /// The grant whose token was sent.
    pub grant_id: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body re-indented when it is JSON.
    pub pretty_json: Option<String>,
    pub duration_ms: u64,
    /// A refusal (401, 403, or any failure with a Bearer/DPoP challenge) explained in words.
    pub challenge: Option<CallChallenge>,
    /// The new login that would satisfy the API, when one could.
    pub step_up: Option<StepUpPlan>,
}

#[derive(Clone, Serialize, Deserialize, TS)]
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

/// Headers as the transcript shows them: credentials redacted, scheme kept.
fn redacted(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| (n.clone(), transcript::redact_header(n, v)))
        .collect()
}

impl std::fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("url", &transcript::redact_url(&self.url))
            .field("headers", &redacted(&self.headers))
            .field("body", &self.body.as_deref().map(transcript::redact_body))
            .finish()
    }
}

impl std::fmt::Debug for ApiResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("headers", &redacted(&self.headers))
            .field("body", &transcript::redact_body(&self.body))
            .field("duration_ms", &self.duration_ms)
            .field("challenge", &self.challenge)
            .field("step_up", &self.step_up)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for SavedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SavedRequest")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("method", &self.method)
            .field("url", &transcript::redact_url(&self.url))
            .field("headers", &redacted(&self.headers))
            .field("body", &transcript::redact_body(&self.body))
            .finish()
    }
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

impl Desk {
    /// Sends a request with the grant's access token (refreshed first when expired). An error
    /// never quotes a secret variable value filled into the request.
    pub async fn call_api(&self, grant: GrantRef<'_>, req: ApiRequest) -> Result<ApiResponse> {
        self.call_api_unmasked(grant, req)
            .await
            .map_err(|e| self.masked_error(e))
    }

    async fn call_api_unmasked(&self, grant: GrantRef<'_>, req: ApiRequest) -> Result<ApiResponse> {
        let (client, rec) = self.resolve(grant, true).await?;
        // `{{variables}}` in the URL, headers and body, from the active environment.
        let (req, _) = self.request_in_use(req).await?;
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
            url: url.clone(),
            headers,
            body,
        };
        let transcript = Transcript::default();
        let started = std::time::Instant::now();
        let result = match &dpop {
            // RFC 9449 §7: a DPoP-bound token goes with a proof for this very request.
            Some(key) => {
                oauthdesk_protocol::dpop::send(
                    &self.http_for(&client).await?,
                    &transcript,
                    "api call",
                    http_req,
                    key,
                    Some(token.expose()),
                )
                .await
            }
            None => {
                self.http_for(&client)
                    .await?
                    .send("api call", http_req, &transcript)
                    .await
            }
        };
        let duration_ms = started.elapsed().as_millis() as u64;
        // For an `invalid_token` whose challenge names the API's metadata: the resource it names
        // (RFC 9728 §2), to tell a token for another resource. Recorded with the call.
        let metadata = match result
            .as_ref()
            .ok()
            .and_then(|resp| explain::metadata_to_fetch(resp.status, &resp.headers, &scheme))
        {
            Some(named) => Some(self.api_metadata(&client, &url, &named, &transcript).await),
            None => None,
        };
        self.save_transcript(&client.id, Some(&view.id), "api call", &transcript)
            .await;
        let resp = result?;
        let body = resp.text();
        let pretty_json = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok());
        let mut out = ApiResponse {
            grant_id: view.id.clone(),
            status: resp.status,
            headers: resp.headers,
            body,
            pretty_json,
            duration_ms,
            challenge: None,
            step_up: None,
        };
        if explain::needs_explaining(out.status, &out.headers) {
            // The grant as it is now: another process may have revoked it meanwhile.
            let grant_now = match store::grants::by_id(&self.db, &view.id).await {
                Ok(Some(r)) => r.view,
                _ => view.clone(),
            };
            let claims = jose::decode(token.expose()).and_then(|d| d.claims);
            let facts = explain::Facts {
                status: out.status,
                headers: &out.headers,
                now: self.now(),
                grant: &grant_now,
                requested_resource: rec.request.resource.as_deref(),
                claims: claims.as_ref(),
                sent_scheme: &scheme,
                metadata: metadata.as_ref(),
            };
            if let Some((mut challenge, plan)) = explain::explain(&facts) {
                super::mtls::explain_refusal(&client, claims.as_ref(), &mut challenge);
                out.challenge = Some(challenge);
                out.step_up = plan;
            }
        }
        Ok(out)
    }

    /// The API's protected resource metadata named by its challenge, and the resource it names
    /// when that is the URL called or a prefix of it (RFC 9728 §3.3).
    async fn api_metadata(
        &self,
        client: &Client,
        called: &url::Url,
        named: &str,
        transcript: &Transcript,
    ) -> MetadataLookup {
        let shown = |s: &str| oauthdesk_protocol::text::escape_controls(s, false);
        let url = match check_transport_security(named, client.insecure) {
            Ok(u) => u,
            Err(e) => {
                return MetadataLookup::Unusable(format!(
                    "the challenge's resource_metadata {} cannot be fetched: {} (RFC 9728 §5.1)",
                    shown(named),
                    shown(&e.to_string())
                ));
            }
        };
        let http = match self.http_for(client).await {
            Ok(h) => h,
            Err(e) => return MetadataLookup::Unusable(shown(&e.to_string())),
        };
        let expected = invalid_token::resources_for(called);
        match resource::fetch(
            &http,
            transcript,
            &url,
            MetadataSource::Challenge,
            &expected,
        )
        .await
        {
            Ok(found) => MetadataLookup::Found {
                url: found.url,
                resource: found.metadata.resource,
            },
            Err(ProtocolError::ResourceMismatch { named: other, .. }) => {
                MetadataLookup::Unusable(format!(
                    "the API's metadata at {} names the resource {}, which is neither the URL \
                     called nor a prefix of it: it was not used (RFC 9728 §3.3)",
                    shown(url.as_str()),
                    shown(&other)
                ))
            }
            Err(e) => MetadataLookup::Unusable(format!(
                "the API's metadata at {} could not be read: {}",
                shown(url.as_str()),
                shown(&e.to_string())
            )),
        }
    }

    pub async fn saved_requests(&self, client: &str) -> Result<Vec<SavedRequest>> {
        let c = self.client(client).await?;
        store::saved_requests::saved_requests(&self.db, &c.id).await
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
        store::saved_requests::upsert_request(&self.db, &c.id, &req, self.now()).await?;
        Ok(req)
    }

    pub async fn delete_saved_request(&self, id: &str) -> Result<()> {
        store::saved_requests::delete_request(&self.db, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_what_the_user_typed_and_the_api_answered() {
        let req = ApiRequest {
            method: "POST".into(),
            url: "https://api.example/x?access_token=SECRET-q".into(),
            headers: vec![("Authorization".into(), "Bearer SECRET-h".into())],
            body: Some(r#"{"refresh_token":"SECRET-b"}"#.into()),
        };
        let shown = format!("{req:?}");
        assert!(
            !shown.contains("SECRET"),
            "a request's Debug redacts query, header and body secrets: {shown}"
        );
        let resp = ApiResponse {
            grant_id: "g".into(),
            status: 200,
            headers: vec![("set-cookie".into(), "session=SECRET-c".into())],
            body: r#"{"access_token":"SECRET-r"}"#.into(),
            pretty_json: Some(r#"{"access_token":"SECRET-r"}"#.into()),
            duration_ms: 1,
            challenge: None,
            step_up: None,
        };
        let shown = format!("{resp:?}");
        assert!(
            !shown.contains("SECRET-r"),
            "a response's Debug redacts a token in its body: {shown}"
        );
    }
}
