//! Call API: a request with a grant's access token (RFC 6750 §2.1, or DPoP with a proof, RFC
//! 9449 §7), refreshed when needed, and the requests saved per client. The request and response
//! carry whatever the user typed and the API answered, so their `Debug` redacts like the
//! transcript.

use super::{Desk, GrantRef};
use crate::error::{CoreError, Result};
use crate::store;
use oauthdesk_protocol::discovery::check_transport_security;
use oauthdesk_protocol::http::HttpRequest;
use oauthdesk_protocol::transcript::{self, Transcript};
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
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body re-indented when it is JSON.
    pub pretty_json: Option<String>,
    pub duration_ms: u64,
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
        let (client, _) = self.resolve(grant, true).await?;
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
            status: 200,
            headers: vec![("set-cookie".into(), "session=SECRET-c".into())],
            body: r#"{"access_token":"SECRET-r"}"#.into(),
            pretty_json: Some(r#"{"access_token":"SECRET-r"}"#.into()),
            duration_ms: 1,
        };
        let shown = format!("{resp:?}");
        assert!(
            !shown.contains("SECRET-r"),
            "a response's Debug redacts a token in its body: {shown}"
        );
    }
}
