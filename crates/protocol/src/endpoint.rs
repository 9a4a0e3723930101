//! The one way to talk to an OAuth endpoint: send a form with the client's authentication
//! (RFC 6749 §2.3, RFC 7523 §2.2) — and for token requests a DPoP proof (RFC 9449 §4) — then
//! read the answer as an OAuth response: a JSON object on success (§5.1), an error object
//! otherwise (§5.2). The token, PAR, device authorization, revocation and introspection
//! endpoints all go through here; registration (RFC 7591) sends JSON but reads its answers
//! with [`read_object`] too.
//!
//! Parsing is tolerant and reporting precise: a form-encoded body (GitHub without
//! `Accept: application/json`) or a JSON body with a non-JSON content type still parses, and
//! each such departure is a [`Deviation`].

use crate::client_auth::ClientAuth;
use crate::error::{OAuthError, ProtocolError, Result};
use crate::http::{HttpClient, HttpRequest, HttpResponse};
use crate::transcript::Transcript;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

/// Something a server did that the specs do not allow (or advise against), and what we did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Deviation {
    pub code: String,
    pub spec: String,
    pub detail: String,
}

impl Deviation {
    pub fn new(code: &str, spec: &str, detail: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            spec: spec.into(),
            detail: detail.into(),
        }
    }
}

/// The members of a successful OAuth response, with the deviations met while reading it.
#[derive(Debug, Clone, Default)]
pub struct OAuthObject {
    pub members: Map<String, Value>,
    pub deviations: Vec<Deviation>,
}

impl OAuthObject {
    /// A string member.
    pub fn text(&self, key: &str) -> Option<String> {
        self.members
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

/// Whether a token request carries a DPoP proof of the client's key (RFC 9449 §5), when the
/// client has one. Other endpoints never get a proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    Dpop,
    None,
}

/// Sends `params` to `endpoint` as `application/x-www-form-urlencoded` with the client's
/// authentication applied, recording the exchange under `step`.
pub async fn send_form(
    http: &HttpClient,
    transcript: &Transcript,
    step: &str,
    endpoint: &Url,
    auth: &ClientAuth,
    params: Vec<(String, String)>,
    proof: Proof,
) -> Result<HttpResponse> {
    let request = |nonce: Option<&str>| -> Result<HttpRequest> {
        let (mut headers, mut form) = (Vec::new(), params.clone());
        auth.apply(endpoint, &mut headers, &mut form)?;
        let mut req = HttpRequest::post_form(endpoint.clone(), &form);
        req.headers.extend(headers);
        if let (Some(key), Proof::Dpop) = (&auth.dpop, proof) {
            let dpop = crate::dpop::proof(key, req.method, &req.url, nonce, None)?;
            req.headers.push(("dpop".into(), dpop));
        }
        Ok(req)
    };
    let resp = http.send(step, request(None)?, transcript).await?;
    // RFC 9449 §8: once more with the server's nonce. The retry is a new request: its client
    // assertion is made anew, as a JWT's jti is used once (RFC 7523 §3; servers refuse a replay).
    match (&auth.dpop, proof, crate::dpop::nonce_challenge(&resp)) {
        (Some(_), Proof::Dpop, Some(nonce)) => {
            let step = format!("{step} (with the server's DPoP nonce)");
            http.send(&step, request(Some(&nonce))?, transcript).await
        }
        _ => Ok(resp),
    }
}

/// [`send_form`], then [`read_object`].
pub async fn post_form(
    http: &HttpClient,
    transcript: &Transcript,
    step: &str,
    endpoint: &Url,
    auth: &ClientAuth,
    params: Vec<(String, String)>,
) -> Result<(HttpResponse, OAuthObject)> {
    let resp = send_form(http, transcript, step, endpoint, auth, params, Proof::None).await?;
    let object = read_object(&resp)?;
    Ok((resp, object))
}

/// Reads an OAuth response: the object of a 2xx answer, or the OAuth error of any other —
/// and of a 2xx answer that carries an `error` member (GitHub answers errors with HTTP 200),
/// which is recorded as a deviation first.
pub fn read_object(resp: &HttpResponse) -> Result<OAuthObject> {
    let parsed = parse_object(resp);
    if !resp.is_success() {
        return Err(error_from(resp, parsed.as_ref().ok().map(|o| &o.members)));
    }
    let object = parsed?;
    if object.members.contains_key("error") {
        return Err(error_from(resp, Some(&object.members)));
    }
    Ok(object)
}

/// Parses a response body as a JSON object, tolerating form-encoded bodies. Says nothing about
/// the status: [`read_object`] is the usual entry point.
pub fn parse_object(resp: &HttpResponse) -> Result<OAuthObject> {
    let mut deviations = Vec::new();
    let ct = resp.content_type().to_ascii_lowercase();
    let members = match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(map)) => {
            if !ct.contains("json") {
                deviations.push(Deviation::new(
                    "content_type_not_json",
                    "RFC 6749 §5.1",
                    format!("JSON body served as {ct:?}; parsed as JSON anyway"),
                ));
            }
            map
        }
        Ok(_) => return Err(resp.invalid("body is JSON but not an object")),
        Err(_) if ct.contains("x-www-form-urlencoded") || looks_like_form(&resp.text()) => {
            deviations.push(Deviation::new(
                "form_encoded_response",
                "RFC 6749 §5.1",
                "response body is form-encoded, not JSON; parsed as a form",
            ));
            url::form_urlencoded::parse(&resp.body)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect()
        }
        Err(e) => {
            return Err(resp.invalid(format!(
                "body is not JSON ({e}); it starts with {:?}",
                resp.excerpt()
            )));
        }
    };
    Ok(OAuthObject {
        members,
        deviations,
    })
}

fn looks_like_form(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.contains('=')
        && !t.contains(char::is_whitespace)
        && !t.starts_with('<')
        && !t.starts_with('{')
}

/// Turns an error status (or an `error` member in any response) into [`ProtocolError::OAuth`];
/// without an OAuth error body, an [`ProtocolError::InvalidResponse`] with the status and a
/// redacted excerpt of what came instead.
pub fn error_from(resp: &HttpResponse, object: Option<&Map<String, Value>>) -> ProtocolError {
    if let Some(err) =
        object.and_then(|o| OAuthError::from_json(&Value::Object(o.clone()), Some(resp.status)))
    {
        return ProtocolError::OAuth(err);
    }
    resp.invalid(format!(
        "error status without an OAuth error body; body starts with {:?}",
        resp.excerpt()
    ))
}

#[cfg(test)]
#[path = "endpoint_nonce_tests.rs"]
mod nonce_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, ct: &str, body: &str) -> HttpResponse {
        HttpResponse {
            url: "https://as.example/token".into(),
            status,
            headers: vec![("content-type".into(), ct.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn reads_objects_forms_and_errors() {
        let ok = read_object(&resp(200, "text/plain", r#"{"a":"b"}"#)).expect("a JSON object");
        assert_eq!(ok.text("a").as_deref(), Some("b"), "members are kept");
        assert_eq!(
            ok.deviations[0].code, "content_type_not_json",
            "a JSON body with another content type is a deviation"
        );
        let form = read_object(&resp(200, "text/plain", "a=b&c=d")).expect("a form body");
        assert_eq!(form.text("c").as_deref(), Some("d"), "form bodies parse");
        let err = read_object(&resp(200, "application/json", r#"{"error":"x"}"#))
            .expect_err("an error member is an error whatever the status");
        assert_eq!(
            err.oauth().map(|o| o.error.as_str()),
            Some("x"),
            "the OAuth error code is kept"
        );
        let empty = read_object(&resp(400, "", "")).expect_err("400 is an error");
        assert!(
            matches!(empty, ProtocolError::InvalidResponse { status: 400, .. }),
            "an empty error body still says the status: {empty}"
        );
        let array = read_object(&resp(200, "application/json", "[1]")).expect_err("not an object");
        assert!(
            array.to_string().contains("not an object"),
            "a JSON array is refused in words: {array}"
        );
    }
}
