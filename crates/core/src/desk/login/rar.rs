//! Rich authorization requests (RFC 9396) in a login: which `authorization_details` a login
//! sends (the login's own, else a `authorization_details` extra parameter, else the client's
//! default), where (the authorization request — so also the PAR request — §3; the device
//! authorization request; the token request of client credentials and password, §6), the
//! warning for a type the server does not list (§10), and what the server granted (§7, else
//! the JWT access token's claim, §9.1).
//!
//! And DPoP at the authorization request (RFC 9449 §10): `dpop_jkt`, the thumbprint of the
//! client's DPoP key, so the code can only be redeemed with a proof of that key.

use crate::error::{CoreError, Result};
use crate::model::{Client, FlowEvent, GrantType, Progress};
use oauthdesk_protocol::client_auth::ClientAuth;
use oauthdesk_protocol::{keys, rar};
use serde_json::Value;

/// The parameter's name (RFC 9396 §2).
pub(crate) const PARAM: &str = "authorization_details";

/// A client's default details, checked (RFC 9396 §2) before they are stored.
pub(crate) fn client_default(details: Option<&Value>) -> Result<Option<Value>> {
    let Some(v) = details.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    // An empty array means "none" (the editor's cleared field).
    if v.as_array().is_some_and(Vec::is_empty) {
        return Ok(None);
    }
    let v = match v {
        Value::Object(_) => Value::Array(vec![v.clone()]),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => rar::parse(s).map_err(invalid)?,
        other => other.clone(),
    };
    rar::validate(&v).map_err(invalid)?;
    Ok(Some(v))
}

/// Parses `JSON` or the contents of `@FILE` (what `--authorization-details` takes).
pub fn parse_option(text: &str) -> Result<Value> {
    let text = match text.strip_prefix('@') {
        Some(path) => {
            // Read at most one byte past the limit: a FIFO or a growing file is never read whole.
            use std::io::Read;
            let mut text = String::new();
            std::fs::File::open(path)
                .and_then(|f| f.take(rar::MAX_BYTES as u64 + 1).read_to_string(&mut text))
                .map_err(|e| CoreError::io(format!("cannot read {path}"), e))?;
            if text.len() > rar::MAX_BYTES {
                return Err(CoreError::InvalidInput(format!(
                    "authorization_details: {path} is larger than the {} bytes accepted",
                    rar::MAX_BYTES
                )));
            }
            text
        }
        None => text.to_owned(),
    };
    rar::parse(&text).map_err(invalid)
}

fn invalid(e: rar::RarError) -> CoreError {
    CoreError::InvalidInput(e.to_string())
}

/// Whether a grant's requests can carry `authorization_details` (RFC 9396 §3, §6; the device
/// authorization request as the authorization request's stand-in).
fn carries_details(grant: GrantType) -> bool {
    !matches!(grant, GrantType::TokenExchange)
}

/// Settles the details of a login and puts them in `extra` (the parameters every request of
/// the flow's first leg carries): returns what is requested. Warns, without refusing, about a
/// type the server does not list.
pub(super) fn apply(
    client: &Client,
    grant: GrantType,
    own: Option<&Value>,
    extra: &mut Vec<(String, String)>,
    progress: &Progress,
) -> Result<Option<Value>> {
    let from_param = extra
        .iter()
        .rev()
        .find(|(k, _)| k == PARAM)
        .map(|(_, v)| v.clone());
    extra.retain(|(k, _)| k != PARAM);
    let details = match (own, from_param) {
        (Some(v), _) => client_default(Some(v))?,
        (None, Some(text)) => Some(rar::parse(&text).map_err(invalid)?),
        (None, None) => client.authorization_details.clone(),
    };
    let Some(details) = details else {
        return Ok(None);
    };
    if !carries_details(grant) {
        return Err(CoreError::InvalidInput(format!(
            "authorization_details (RFC 9396) go with an authorization, device or token request; the {} grant has none here",
            grant.as_str()
        )));
    }
    let supported = client
        .metadata
        .as_ref()
        .map(|m| m.authorization_details_types_supported.clone())
        .unwrap_or_default();
    let unknown = rar::unsupported_types(&details, &supported);
    if !unknown.is_empty() {
        progress(FlowEvent::Step {
            name: format!(
                "warning: authorization_details type {} not in the server's authorization_details_types_supported ({}) (RFC 9396 §10); sending it anyway",
                unknown.join(", "),
                supported.join(", ")
            ),
        });
    }
    extra.push((PARAM.to_owned(), rar::to_param(&details)));
    Ok(Some(details))
}

/// What the server granted: the token response's `authorization_details` (§7), else the JWT
/// access token's claim (§9.1).
pub(crate) fn granted(from_response: Option<&Value>, claims: Option<&Value>) -> Option<Value> {
    if let Some(v) = from_response {
        return Some(v.clone());
    }
    let access = claims?.get("access_token")?.as_object()?;
    rar::granted_in(access)?.ok()
}

/// `dpop_jkt` (RFC 9449 §10): the RFC 7638 thumbprint of the client's DPoP key, for the
/// authorization (and so the PAR) request of a client that uses DPoP — unless the user set one.
pub(super) fn dpop_jkt(auth: &ClientAuth, extra: &[(String, String)]) -> Option<(String, String)> {
    let key = auth.dpop.as_ref()?;
    if extra.iter().any(|(k, _)| k == "dpop_jkt") {
        return None;
    }
    let jkt = keys::thumbprint(&key.public_jwk).ok()?;
    Some(("dpop_jkt".to_owned(), jkt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::{Arc, Mutex};

    fn recorder() -> (Progress, Arc<Mutex<Vec<String>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let p: Progress = Arc::new(move |e| {
            if let FlowEvent::Step { name } = e {
                s.lock().unwrap().push(name);
            }
        });
        (p, seen)
    }

    #[test]
    fn the_login_option_beats_a_parameter_which_beats_the_client_default() {
        let mut client = Client::bare(None);
        client.authorization_details = Some(json!([{"type": "default"}]));
        let (p, _) = recorder();
        let mut extra = vec![];
        let got = apply(&client, GrantType::AuthorizationCode, None, &mut extra, &p).unwrap();
        assert_eq!(
            got,
            Some(json!([{"type": "default"}])),
            "client default used"
        );
        assert_eq!(
            extra,
            vec![(PARAM.into(), r#"[{"type":"default"}]"#.into())],
            "sent once"
        );
        let mut extra = vec![(PARAM.into(), r#"{"type":"param"}"#.into())];
        let got = apply(&client, GrantType::AuthorizationCode, None, &mut extra, &p).unwrap();
        assert_eq!(
            got,
            Some(json!([{"type": "param"}])),
            "a parameter beats the default"
        );
        assert_eq!(extra.len(), 1, "the parameter is replaced, not doubled");
        let own = json!([{"type": "own"}]);
        let got = apply(
            &client,
            GrantType::ClientCredentials,
            Some(&own),
            &mut extra,
            &p,
        )
        .unwrap();
        assert_eq!(got, Some(own), "the login's own details win");
    }

    #[test]
    fn malformed_details_are_refused_and_unknown_types_warned_about() {
        let mut client = Client::bare(None);
        let (p, seen) = recorder();
        let mut extra = vec![(PARAM.into(), "[{\"no\":1}]".into())];
        let e = apply(&client, GrantType::AuthorizationCode, None, &mut extra, &p).unwrap_err();
        assert!(
            e.to_string().contains("entry 0 has no `type`"),
            "refused in words: {e}"
        );
        client.metadata = Some(oauthdesk_protocol::discovery::ServerMetadata {
            authorization_details_types_supported: vec!["known".into()],
            ..Default::default()
        });
        let own = json!([{"type": "other"}]);
        apply(
            &client,
            GrantType::AuthorizationCode,
            Some(&own),
            &mut vec![],
            &p,
        )
        .unwrap();
        let warned = seen.lock().unwrap().join("\n");
        assert!(
            warned.contains("other") && warned.contains("RFC 9396 §10"),
            "warned: {warned}"
        );
    }

    #[test]
    fn granted_comes_from_the_response_else_the_jwt_claim() {
        let claims = json!({"access_token": {"authorization_details": [{"type": "jwt"}]}});
        assert_eq!(
            granted(None, Some(&claims)),
            Some(json!([{"type": "jwt"}])),
            "JWT claim §9.1"
        );
        let resp = json!([{"type": "resp"}]);
        assert_eq!(
            granted(Some(&resp), Some(&claims)),
            Some(resp),
            "token response first §7"
        );
        assert_eq!(granted(None, None), None, "nothing said");
    }
}
