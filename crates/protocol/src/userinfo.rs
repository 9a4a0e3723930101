//! The UserInfo endpoint (OIDC Core §5.3): GET with the access token as a Bearer credential
//! (RFC 6750 §2.1). Errors arrive in `WWW-Authenticate` (RFC 6750 §3), not in the body.

use crate::error::{OAuthError, ProtocolError, Result};
use crate::http::{HttpClient, HttpRequest};
use crate::secret::AccessToken;
use crate::transcript::Transcript;
use url::Url;

/// The claims, or for `application/jwt` responses `{"jwt": "<compact JWT>"}` left to the caller to decode.
/// With `dpop`, the token is sent as a DPoP-bound token with a proof (RFC 9449 §7).
pub async fn userinfo(
    http: &HttpClient,
    transcript: &Transcript,
    endpoint: &Url,
    access_token: &AccessToken,
    dpop: Option<&crate::keys::KeyPair>,
) -> Result<serde_json::Value> {
    let scheme = if dpop.is_some() { "DPoP" } else { "Bearer" };
    let req = HttpRequest::get(endpoint.clone()).header(
        "authorization",
        format!("{scheme} {}", access_token.expose()),
    );
    let resp = match dpop {
        Some(key) => {
            crate::dpop::send(
                http,
                transcript,
                "userinfo",
                req,
                key,
                Some(access_token.expose()),
            )
            .await?
        }
        None => http.send("userinfo", req, transcript).await?,
    };
    if !resp.is_success() {
        if let Some(err) = resp
            .header("www-authenticate")
            .and_then(parse_www_authenticate)
        {
            return Err(ProtocolError::OAuth(OAuthError {
                status: Some(resp.status),
                ..err
            }));
        }
        return Err(crate::endpoint::error_from(
            &resp,
            resp.json().ok().as_ref().and_then(|v| v.as_object()),
        ));
    }
    if resp.content_type().contains("application/jwt") {
        return Ok(serde_json::json!({ "jwt": resp.text().trim() }));
    }
    resp.json()
}

/// Parses `Bearer error="invalid_token", error_description="..."` (RFC 6750 §3).
pub fn parse_www_authenticate(header: &str) -> Option<OAuthError> {
    let mut err: Option<OAuthError> = None;
    let mut description = None;
    let mut uri = None;
    let rest = header.split_once(' ').map(|(_, r)| r).unwrap_or(header);
    for part in split_params(rest) {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"').to_owned();
        match k.trim() {
            "error" => err = Some(OAuthError::new(v)),
            "error_description" => description = Some(v),
            "error_uri" => uri = Some(v),
            _ => {}
        }
    }
    err.map(|e| OAuthError {
        error_description: description,
        error_uri: uri,
        ..e
    })
}

/// Splits on commas outside quotes.
fn split_params(s: &str) -> Vec<String> {
    let (mut parts, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    parts
}

#[cfg(test)]
mod tests {
    #[test]
    fn www_authenticate_errors() {
        let e = super::parse_www_authenticate(r#"Bearer realm="x", error="invalid_token", error_description="the token expired, sorry""#).unwrap();
        assert_eq!(
            e.error, "invalid_token",
            "the error member of the WWW-Authenticate challenge is read (RFC 6750 §3)"
        );
        assert_eq!(
            e.error_description.as_deref(),
            Some("the token expired, sorry"),
            "commas inside quotes kept"
        );
        assert!(
            super::parse_www_authenticate("Bearer realm=\"x\"").is_none(),
            "no error member → None"
        );
    }
}
