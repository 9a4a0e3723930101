//! Token introspection (RFC 7662 §2). The response is returned as JSON; `active` is the only
//! REQUIRED member (§2.2), and a response without it is an error, not "inactive".

use crate::client_auth::ClientAuth;
use crate::endpoint;
use crate::error::Result;
use crate::http::HttpClient;
use crate::secret::HintedToken;
use crate::transcript::Transcript;
use url::Url;

/// Asks the server about `token`, sending its `token_type_hint` (RFC 7662 §2.1).
pub async fn introspect(
    http: &HttpClient,
    transcript: &Transcript,
    endpoint: &Url,
    auth: &ClientAuth,
    token: HintedToken<'_>,
) -> Result<serde_json::Value> {
    let params = vec![
        ("token".to_owned(), token.expose().to_owned()),
        ("token_type_hint".to_owned(), token.hint().to_owned()),
    ];
    let (resp, object) =
        endpoint::post_form(http, transcript, "introspection", endpoint, auth, params).await?;
    if !object.members.get("active").is_some_and(|a| a.is_boolean()) {
        return Err(
            resp.invalid("introspection response has no boolean `active` member (RFC 7662 §2.2)")
        );
    }
    Ok(serde_json::Value::Object(object.members))
}
