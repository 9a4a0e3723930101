//! Client authentication at the token, revocation and introspection endpoints
//! (RFC 6749 §2.3.1). For HTTP Basic the id and secret are each form-urlencoded *before*
//! base64 (RFC 6749 §2.3.1, Appendix B) — a step many clients skip, which breaks secrets
//! containing `:`, `%`, `+` or non-ASCII characters.

use crate::secret::Secret;
use base64::Engine;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    None,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "client_secret_basic" => AuthMethod::ClientSecretBasic,
            "client_secret_post" => AuthMethod::ClientSecretPost,
            "none" => AuthMethod::None,
            _ => return None,
        })
    }
}

/// A client's credentials, ready to be applied to a request.
#[derive(Debug, Clone)]
pub struct ClientAuth {
    pub client_id: String,
    pub method: AuthMethod,
    pub secret: Option<Secret>,
}

impl ClientAuth {
    /// Adds the credentials to a request's headers and form parameters.
    pub fn apply(&self, headers: &mut Vec<(String, String)>, params: &mut Vec<(String, String)>) {
        match (self.method, &self.secret) {
            (AuthMethod::ClientSecretBasic, Some(secret)) => headers.push(("authorization".into(), basic_header(&self.client_id, secret))),
            (AuthMethod::ClientSecretPost, Some(secret)) => {
                params.push(("client_id".into(), self.client_id.clone()));
                params.push(("client_secret".into(), secret.expose().to_owned()));
            }
            // `none`, or a confidential method without a stored secret: identify, don't authenticate.
            _ => params.push(("client_id".into(), self.client_id.clone())),
        }
    }
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))`.
pub fn basic_header(client_id: &str, secret: &Secret) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let pair = format!("{}:{}", enc(client_id), enc(secret.expose()));
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_form_encodes_before_base64() {
        let h = basic_header("my client", &Secret::new("s3:cr/t+%"));
        let b64 = h.strip_prefix("Basic ").unwrap();
        let decoded = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap();
        assert_eq!(decoded, "my+client:s3%3Acr%2Ft%2B%25", "RFC 6749 §2.3.1 form-encoding of id and secret");
    }

    #[test]
    fn post_puts_credentials_in_the_body() {
        let auth = ClientAuth { client_id: "c".into(), method: AuthMethod::ClientSecretPost, secret: Some(Secret::new("s")) };
        let (mut h, mut p) = (vec![], vec![]);
        auth.apply(&mut h, &mut p);
        assert!(h.is_empty(), "no Authorization header for client_secret_post");
        assert_eq!(p, vec![("client_id".into(), "c".into()), ("client_secret".into(), "s".into())]);
        let public = ClientAuth { client_id: "p".into(), method: AuthMethod::None, secret: None };
        let (mut h, mut p) = (vec![], vec![]);
        public.apply(&mut h, &mut p);
        assert_eq!((h.len(), p), (0, vec![("client_id".into(), "p".into())]), "public clients send only client_id");
    }
}
