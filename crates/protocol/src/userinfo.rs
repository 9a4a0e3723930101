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
        if let Some(err) = error_of(&crate::challenge::from_headers(&resp.headers)) {
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

/// Parses `Bearer error="invalid_token", error_description="..."` (RFC 6750 §3): the error of
/// the header's first challenge that has one (Bearer and DPoP first), with the RFC 9110
/// §11.6.1 parser of [`crate::challenge`].
pub fn parse_www_authenticate(header: &str) -> Option<OAuthError> {
    error_of(&crate::challenge::parse([header]))
}

/// The error of the first Bearer or DPoP challenge that carries one, else of any challenge.
fn error_of(challenges: &crate::challenge::Challenges) -> Option<OAuthError> {
    if let Some(r) = challenges.oauth().into_iter().find(|r| r.error.is_some()) {
        return r.error.map(|error| OAuthError {
            error_description: r.error_description,
            error_uri: r.error_uri,
            ..OAuthError::new(error)
        });
    }
    let c = challenges
        .challenges
        .iter()
        .find(|c| c.param("error").is_some())?;
    Some(OAuthError {
        error_description: c.param("error_description").map(str::to_owned),
        error_uri: c.param("error_uri").map(str::to_owned),
        ..OAuthError::new(c.param("error")?)
    })
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
        let e = super::parse_www_authenticate(
            r#"Basic realm="x", DPoP algs="ES256", error="invalid_dpop_proof", error_uri="https://e.example/why""#,
        )
        .unwrap();
        assert_eq!(
            (e.error.as_str(), e.error_uri.as_deref()),
            ("invalid_dpop_proof", Some("https://e.example/why")),
            "the error of a DPoP challenge after a Basic one is read (RFC 9449 §7.1, RFC 9110 §11.6.1)"
        );
        let e = super::error_of(&crate::challenge::from_headers(&[
            ("WWW-Authenticate".into(), r#"Bearer realm="x""#.into()),
            (
                "www-authenticate".into(),
                r#"bearer error="insufficient_scope", error_description="needs \"admin\"""#.into(),
            ),
        ]))
        .unwrap();
        assert_eq!(
            (e.error.as_str(), e.error_description.as_deref()),
            ("insufficient_scope", Some(r#"needs "admin""#)),
            "an error on a second WWW-Authenticate line is read, quotes unescaped"
        );
    }
}
