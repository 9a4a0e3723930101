//! Pushed authorization requests (RFC 9126): the authorization request's parameters go to the
//! server in an authenticated POST first; the browser then gets only `client_id` and the
//! `request_uri` the server answered with, so nothing of the request can be read or altered
//! on its way through the browser.

use crate::client_auth::ClientAuth;
use crate::endpoint;
use crate::error::Result;
use crate::http::HttpClient;
use crate::transcript::Transcript;
use url::Url;

/// What the PAR endpoint answered (RFC 9126 §2.2).
#[derive(Debug, Clone)]
pub struct PushedRequest {
    pub request_uri: String,
    pub expires_in: Option<i64>,
    /// The URL to open: the authorization endpoint with `client_id` and `request_uri` only.
    pub url: Url,
}

/// Pushes the parameters of `authorization_url` (built as for a plain redirect) to
/// `par_endpoint` with client authentication, and returns the short URL to open at
/// `authorization_endpoint`.
pub async fn push(
    http: &HttpClient,
    transcript: &Transcript,
    par_endpoint: &Url,
    auth: &ClientAuth,
    authorization_endpoint: &Url,
    authorization_url: &Url,
) -> Result<PushedRequest> {
    let own: Vec<(String, String)> = authorization_endpoint.query_pairs().into_owned().collect();
    let params: Vec<(String, String)> = authorization_url
        .query_pairs()
        .into_owned()
        .filter(|p| p.0 != "client_id" && !own.contains(p))
        .collect();
    // RFC 9126 §2.1: client_id identifies the client even when it authenticates with Basic.
    let auth = auth.clone().with_client_id_in_body();
    let (resp, object) = endpoint::post_form(
        http,
        transcript,
        "pushed authorization request",
        par_endpoint,
        &auth,
        params,
    )
    .await?;
    let body = object.members;
    let request_uri = body
        .get("request_uri")
        .and_then(|v| v.as_str())
        .ok_or_else(|| resp.invalid("no request_uri in the PAR response (RFC 9126 §2.2)"))?
        .to_owned();
    let expires_in = body.get("expires_in").and_then(|v| v.as_i64());
    let mut url = authorization_endpoint.clone();
    url.query_pairs_mut()
        .append_pair("client_id", &auth.client_id)
        .append_pair("request_uri", &request_uri);
    Ok(PushedRequest {
        request_uri,
        expires_in,
        url,
    })
}
