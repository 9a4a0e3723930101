//! Token revocation (RFC 7009 §2). Success is HTTP 200 with any body (§2.2); an unknown or
//! already-invalid token also answers 200, so "revoked" means "the server no longer honours it".

use crate::client_auth::ClientAuth;
use crate::endpoint::{self, Proof, error_from, parse_object};
use crate::error::Result;
use crate::http::HttpClient;
use crate::secret::HintedToken;
use crate::transcript::Transcript;
use url::Url;

/// Revokes `token`, sending its `token_type_hint` (RFC 7009 §2.1).
pub async fn revoke(
    http: &HttpClient,
    transcript: &Transcript,
    endpoint: &Url,
    auth: &ClientAuth,
    token: HintedToken<'_>,
) -> Result<()> {
    let hint = token.hint();
    let params = vec![
        ("token".to_owned(), token.expose().to_owned()),
        ("token_type_hint".to_owned(), hint.to_owned()),
    ];
    let step = format!("revocation ({hint})");
    let resp =
        endpoint::send_form(http, transcript, &step, endpoint, auth, params, Proof::None).await?;
    if resp.is_success() {
        return Ok(());
    }
    Err(error_from(
        &resp,
        parse_object(&resp).ok().as_ref().map(|o| &o.members),
    ))
}
