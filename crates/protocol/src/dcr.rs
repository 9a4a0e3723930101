//! Dynamic client registration (RFC 7591) and its management protocol (RFC 7592: read, update,
//! delete with the registration access token). The client secret and the registration access
//! token are [`Secret`]s; the transcript redacts both.

use crate::endpoint::{error_from, parse_object, read_object};
use crate::error::{ProtocolError, Result};
use crate::http::{HttpClient, HttpRequest, HttpResponse};
use crate::secret::{AccessToken, ClientSecret, RegistrationAccessToken};
use crate::transcript::Transcript;
use serde_json::{Map, Value};
use url::Url;

/// What the registration endpoint answered (RFC 7591 §3.2.1).
#[derive(Debug, Clone)]
pub struct Registration {
    pub client_id: String,
    pub client_secret: Option<ClientSecret>,
    pub registration_access_token: Option<RegistrationAccessToken>,
    pub registration_client_uri: Option<String>,
    /// The registered metadata with the secrets taken out.
    pub metadata: Map<String, Value>,
}

fn json_request(
    method: &'static str,
    url: Url,
    body: Option<&Value>,
    bearer: Option<&str>,
) -> HttpRequest {
    let mut req = HttpRequest::get(url);
    req.method = method;
    if let Some(b) = body {
        req.headers
            .push(("content-type".into(), "application/json".into()));
        req.body = Some(b.to_string());
    }
    if let Some(t) = bearer {
        req.headers
            .push(("authorization".into(), format!("Bearer {t}")));
    }
    req
}

fn registration_of(resp: &HttpResponse) -> Result<Registration> {
    let mut object = read_object(resp)?.members;
    let take = |o: &mut Map<String, Value>, k: &str| {
        o.remove(k).and_then(|v| v.as_str().map(str::to_owned))
    };
    let client_id = object
        .get("client_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            resp.invalid("no client_id in the registration response (RFC 7591 §3.2.1)")
        })?;
    let client_secret = take(&mut object, "client_secret").map(ClientSecret::new);
    let registration_access_token =
        take(&mut object, "registration_access_token").map(RegistrationAccessToken::new);
    let registration_client_uri = object
        .get("registration_client_uri")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(Registration {
        client_id,
        client_secret,
        registration_access_token,
        registration_client_uri,
        metadata: object,
    })
}

/// Registers a client with `metadata` (RFC 7591 §3.1), with an initial access token if the
/// server requires one.
pub async fn register(
    http: &HttpClient,
    transcript: &Transcript,
    endpoint: &Url,
    metadata: &Value,
    initial_access_token: Option<&AccessToken>,
) -> Result<Registration> {
    let resp = http
        .send(
            "client registration",
            json_request(
                "POST",
                endpoint.clone(),
                Some(metadata),
                initial_access_token.map(AccessToken::expose),
            ),
            transcript,
        )
        .await?;
    registration_of(&resp)
}

/// Reads the current registration (RFC 7592 §2.1).
pub async fn read(
    http: &HttpClient,
    transcript: &Transcript,
    uri: &Url,
    token: &RegistrationAccessToken,
) -> Result<Registration> {
    let resp = http
        .send(
            "client registration read",
            json_request("GET", uri.clone(), None, Some(token.expose())),
            transcript,
        )
        .await?;
    registration_of(&resp)
}

/// Replaces the registration's metadata (RFC 7592 §2.2: the full set, with `client_id`).
pub async fn update(
    http: &HttpClient,
    transcript: &Transcript,
    uri: &Url,
    token: &RegistrationAccessToken,
    metadata: &Value,
) -> Result<Registration> {
    let resp = http
        .send(
            "client registration update",
            json_request("PUT", uri.clone(), Some(metadata), Some(token.expose())),
            transcript,
        )
        .await?;
    registration_of(&resp)
}

/// Deletes the registration (RFC 7592 §2.3): 204 expected.
pub async fn delete(
    http: &HttpClient,
    transcript: &Transcript,
    uri: &Url,
    token: &RegistrationAccessToken,
) -> Result<()> {
    let resp = http
        .send(
            "client registration delete",
            json_request("DELETE", uri.clone(), None, Some(token.expose())),
            transcript,
        )
        .await?;
    if resp.is_success() {
        return Ok(());
    }
    let parsed = parse_object(&resp);
    Err(match parsed {
        Ok(o) => error_from(&resp, Some(&o.members)),
        Err(_) => ProtocolError::InvalidResponse {
            url: resp.url.clone(),
            status: resp.status,
            reason: format!(
                "the registration could not be deleted (HTTP {})",
                resp.status
            ),
        },
    })
}
