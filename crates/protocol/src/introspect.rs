//! Token introspection (RFC 7662 §2). The response is returned as JSON; `active` is the only
//! REQUIRED member (§2.2), and a response without it is an error, not "inactive".

use crate::client_auth::ClientAuth;
use crate::error::Result;
use crate::grant::{error_from, parse_object};
use crate::http::{HttpClient, HttpRequest};
use crate::secret::Secret;
use crate::transcript::Transcript;
use url::Url;

pub async fn introspect(
    http: &HttpClient,
    transcript: &Transcript,
    endpoint: &Url,
    auth: &ClientAuth,
    token: &Secret,
    hint: &str,
) -> Result<serde_json::Value> {
    let mut params = vec![
        ("token".to_owned(), token.expose().to_owned()),
        ("token_type_hint".to_owned(), hint.to_owned()),
    ];
    let mut headers = Vec::new();
    auth.apply(endpoint, &mut headers, &mut params)?;
    let mut req = HttpRequest::post_form(endpoint.clone(), &params);
    req.headers.extend(headers);
    let resp = http.send("introspection", req, transcript).await?;
    let parsed = parse_object(&resp);
    if !resp.is_success() {
        return Err(error_from(&resp, parsed.as_ref().ok().map(|(o, _)| o)));
    }
    let (object, _) = parsed?;
    if !object.get("active").is_some_and(|a| a.is_boolean()) {
        return Err(
            resp.invalid("introspection response has no boolean `active` member (RFC 7662 §2.2)")
        );
    }
    Ok(serde_json::Value::Object(object))
}
