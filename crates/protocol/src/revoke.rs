//! Token revocation (RFC 7009 §2). Success is HTTP 200 with any body (§2.2); an unknown or
//! already-invalid token also answers 200, so "revoked" means "the server no longer honours it".

use crate::client_auth::ClientAuth;
use crate::error::Result;
use crate::grant::{error_from, parse_object};
use crate::http::{HttpClient, HttpRequest};
use crate::secret::Secret;
use crate::transcript::Transcript;
use url::Url;

/// `token_type_hint`: `access_token` or `refresh_token` (RFC 7009 §2.1).
pub async fn revoke(
    http: &HttpClient,
    transcript: &Transcript,
    endpoint: &Url,
    auth: &ClientAuth,
    token: &Secret,
    hint: &str,
) -> Result<()> {
    let mut params = vec![
        ("token".to_owned(), token.expose().to_owned()),
        ("token_type_hint".to_owned(), hint.to_owned()),
    ];
    let mut headers = Vec::new();
    auth.apply(endpoint, &mut headers, &mut params)?;
    let mut req = HttpRequest::post_form(endpoint.clone(), &params);
    req.headers.extend(headers);
    let resp = http
        .send(&format!("revocation ({hint})"), req, transcript)
        .await?;
    if resp.is_success() {
        return Ok(());
    }
    Err(error_from(
        &resp,
        parse_object(&resp).ok().as_ref().map(|(o, _)| o),
    ))
}
