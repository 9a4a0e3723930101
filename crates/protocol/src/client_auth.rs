//! Client authentication at the token, revocation, introspection, PAR and device endpoints:
//! client_secret_basic/post (RFC 6749 §2.3.1), and the JWT assertions client_secret_jwt and
//! private_key_jwt (RFC 7523 §2.2, OIDC Core §9). For HTTP Basic the id and secret are each form-urlencoded *before*
//! base64 (RFC 6749 §2.3.1, Appendix B) — a step many clients skip, which breaks secrets
//! containing `:`, `%`, `+` or non-ASCII characters.

use crate::secret::{ClientSecret, PrivateKey};
use base64::Engine;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    /// An HS256 JWT signed with the client secret.
    ClientSecretJwt,
    /// An ES256 JWT signed with the client's private key (its public JWK is registered).
    PrivateKeyJwt,
    /// Mutual TLS with a certificate from a CA the server trusts (RFC 8705 §2.1): `client_id`
    /// in the body, the certificate on the connection.
    TlsClientAuth,
    /// Mutual TLS with a self-signed certificate registered in the client's JWKS (RFC 8705 §2.2).
    SelfSignedTlsClientAuth,
    None,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::ClientSecretJwt => "client_secret_jwt",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
            AuthMethod::TlsClientAuth => "tls_client_auth",
            AuthMethod::SelfSignedTlsClientAuth => "self_signed_tls_client_auth",
            AuthMethod::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "client_secret_basic" => AuthMethod::ClientSecretBasic,
            "client_secret_post" => AuthMethod::ClientSecretPost,
            "client_secret_jwt" => AuthMethod::ClientSecretJwt,
            "private_key_jwt" => AuthMethod::PrivateKeyJwt,
            "tls_client_auth" => AuthMethod::TlsClientAuth,
            "self_signed_tls_client_auth" => AuthMethod::SelfSignedTlsClientAuth,
            "none" => AuthMethod::None,
            _ => return None,
        })
    }
}

/// What a client authenticates with, kept in the keychain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// client_secret_basic, client_secret_post, and the HMAC key of client_secret_jwt.
    Secret(ClientSecret),
    /// private_key_jwt's ES256 key.
    PrivateKey(PrivateKey),
}

/// A client's credentials, ready to be applied to a request.
#[derive(Debug, Clone)]
pub struct ClientAuth {
    pub client_id: String,
    pub method: AuthMethod,
    pub credential: Option<Credential>,
    /// Send `client_id` in the body even with HTTP Basic (PAR, RFC 9126 §2.1).
    pub client_id_in_body: bool,
    /// The `aud` of client assertions: the issuer when known (RFC 7523 §3 allows it, and it is
    /// what every endpoint accepts), else the endpoint called.
    pub audience: Option<String>,
    /// DPoP (RFC 9449): token requests carry a proof of this key, binding the tokens to it.
    pub dpop: Option<crate::keys::KeyPair>,
}

impl AuthMethod {
    /// Methods that authenticate with a secret or key kept in the keychain as the client's
    /// credential (the mTLS methods use the client certificate instead).
    pub fn needs_secret(self) -> bool {
        !matches!(self, AuthMethod::None) && !self.is_mtls()
    }

    /// `tls_client_auth` or `self_signed_tls_client_auth` (RFC 8705 §2).
    pub fn is_mtls(self) -> bool {
        matches!(
            self,
            AuthMethod::TlsClientAuth | AuthMethod::SelfSignedTlsClientAuth
        )
    }
}

impl ClientAuth {
    pub fn new(
        client_id: impl Into<String>,
        method: AuthMethod,
        credential: Option<Credential>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            method,
            credential,
            client_id_in_body: false,
            audience: None,
            dpop: None,
        }
    }

    /// The same credentials, with `client_id` also in the body whatever the method.
    pub fn with_client_id_in_body(mut self) -> Self {
        self.client_id_in_body = true;
        self
    }

    /// Adds the credentials to a request to `endpoint`: a header or form parameters.
    pub fn apply(
        &self,
        endpoint: &url::Url,
        headers: &mut Vec<(String, String)>,
        params: &mut Vec<(String, String)>,
    ) -> crate::error::Result<()> {
        let assertion = |signer: crate::keys::Signer<'_>| -> crate::error::Result<String> {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            let aud = self
                .audience
                .clone()
                .unwrap_or_else(|| endpoint.to_string());
            let claims = serde_json::json!({
                "iss": self.client_id,
                "sub": self.client_id,
                "aud": aud,
                "jti": crate::random::token(),
                "iat": now,
                "exp": now.saturating_add(120),
            });
            // `typ: JWT` (jsonwebtoken's default header); sign_jwt sets the signer's `alg`.
            crate::keys::sign_jwt(&signer, jsonwebtoken::Header::default(), &claims)
                .map_err(|e| crate::error::ProtocolError::ClientAssertion(e.to_string()))
        };
        let mut add_assertion = |jwt: String| {
            params.push(("client_id".into(), self.client_id.clone()));
            params.push((
                "client_assertion_type".into(),
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
            ));
            params.push(("client_assertion".into(), jwt));
        };
        match (self.method, &self.credential) {
            (AuthMethod::ClientSecretJwt, Some(Credential::Secret(secret))) => {
                add_assertion(assertion(crate::keys::Signer::Secret(secret))?)
            }
            (AuthMethod::PrivateKeyJwt, Some(Credential::PrivateKey(key))) => {
                add_assertion(assertion(crate::keys::Signer::Es256(key))?)
            }
            (AuthMethod::ClientSecretJwt | AuthMethod::PrivateKeyJwt, _) => {
                return Err(crate::error::ProtocolError::ClientAssertion(format!(
                    "{} needs a {} in the keychain",
                    self.method.as_str(),
                    if self.method == AuthMethod::PrivateKeyJwt {
                        "private key"
                    } else {
                        "client secret"
                    }
                )));
            }
            _ => self.apply_plain(headers, params),
        }
        Ok(())
    }

    fn apply_plain(&self, headers: &mut Vec<(String, String)>, params: &mut Vec<(String, String)>) {
        match (self.method, &self.credential) {
            (AuthMethod::ClientSecretBasic, Some(Credential::Secret(secret))) => {
                headers.push((
                    "authorization".into(),
                    basic_header(&self.client_id, secret),
                ));
                if self.client_id_in_body {
                    params.push(("client_id".into(), self.client_id.clone()));
                }
            }
            (AuthMethod::ClientSecretPost, Some(Credential::Secret(secret))) => {
                params.push(("client_id".into(), self.client_id.clone()));
                params.push(("client_secret".into(), secret.expose().to_owned()));
            }
            // `none`, the mTLS methods (the certificate authenticates, RFC 8705 §2), or a
            // confidential method without a stored secret: identify, don't authenticate.
            _ => params.push(("client_id".into(), self.client_id.clone())),
        }
    }
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))`.
pub fn basic_header(client_id: &str, secret: &ClientSecret) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let pair = format!("{}:{}", enc(client_id), enc(secret.expose()));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_form_encodes_before_base64() {
        let h = basic_header("my client", &ClientSecret::new("s3:cr/t+%"));
        let b64 = h.strip_prefix("Basic ").unwrap();
        let decoded = String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            decoded, "my+client:s3%3Acr%2Ft%2B%25",
            "RFC 6749 §2.3.1 form-encoding of id and secret"
        );
    }

    #[test]
    fn post_puts_credentials_in_the_body() {
        let ep = url::Url::parse("https://as.example/token").unwrap();
        let auth = ClientAuth::new(
            "c",
            AuthMethod::ClientSecretPost,
            Some(Credential::Secret(ClientSecret::new("s"))),
        );
        let (mut h, mut p) = (vec![], vec![]);
        auth.apply(&ep, &mut h, &mut p).unwrap();
        assert!(
            h.is_empty(),
            "no Authorization header for client_secret_post"
        );
        assert_eq!(
            p,
            vec![
                ("client_id".into(), "c".into()),
                ("client_secret".into(), "s".into())
            ],
            "client_secret_post sends client_id and client_secret in the body (RFC 6749 §2.3.1)"
        );
        let public = ClientAuth::new("p", AuthMethod::None, None);
        let (mut h, mut p) = (vec![], vec![]);
        public.apply(&ep, &mut h, &mut p).unwrap();
        assert_eq!(
            (h.len(), p),
            (0, vec![("client_id".into(), "p".into())]),
            "public clients send only client_id"
        );
        for method in [
            AuthMethod::TlsClientAuth,
            AuthMethod::SelfSignedTlsClientAuth,
        ] {
            let (mut h, mut p) = (vec![], vec![]);
            ClientAuth::new("m", method, None)
                .apply(&ep, &mut h, &mut p)
                .unwrap();
            assert_eq!(
                (h.len(), p),
                (0, vec![("client_id".into(), "m".into())]),
                "{} sends client_id in the body and no secret (RFC 8705 §2)",
                method.as_str()
            );
            assert_eq!(
                AuthMethod::parse(method.as_str()),
                Some(method),
                "as_str and parse agree"
            );
        }
    }

    #[test]
    fn jwt_assertions_carry_iss_sub_aud_jti_and_verify() {
        let ep = url::Url::parse("https://as.example/token").unwrap();
        let pair = crate::keys::generate_es256();
        let mut auth = ClientAuth::new(
            "cid",
            AuthMethod::PrivateKeyJwt,
            Some(Credential::PrivateKey(PrivateKey::new(
                pair.private.expose(),
            ))),
        );
        auth.audience = Some("https://as.example".into());
        let (mut h, mut p) = (vec![], vec![]);
        auth.apply(&ep, &mut h, &mut p).unwrap();
        assert!(h.is_empty(), "no Authorization header for private_key_jwt");
        let get = |k: &str| {
            p.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(
            get("client_assertion_type"),
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "the assertion type is RFC 7523's jwt-bearer (RFC 7523 §2.2)"
        );
        let jwt = get("client_assertion");
        let claims = crate::jose::decode(&jwt).unwrap().claims.unwrap();
        assert_eq!(
            (
                claims["iss"].as_str(),
                claims["sub"].as_str(),
                claims["aud"].as_str()
            ),
            (Some("cid"), Some("cid"), Some("https://as.example")),
            "iss and sub are the client id, aud the issuer given as audience (RFC 7523 §3)"
        );
        assert!(
            claims["jti"].as_str().unwrap().len() >= 32
                && claims["exp"].as_u64() > claims["iat"].as_u64(),
            "the assertion carries a random jti and expires after it was issued (RFC 7523 §3)"
        );
        let keys = crate::verify::KeySet::from_jwks_value(
            &serde_json::json!({"keys": [pair.public_jwk]}),
            "t",
        )
        .unwrap();
        assert_eq!(
            crate::verify::verify_signature(&jwt, &keys).check.status,
            crate::verify::CheckStatus::Pass,
            "the private_key_jwt assertion verifies with the client's public JWK"
        );
        let secret = ClientAuth::new(
            "cid",
            AuthMethod::ClientSecretJwt,
            Some(Credential::Secret(ClientSecret::new(
                "a-secret-of-at-least-thirty-two-bytes!",
            ))),
        );
        let (mut h, mut p) = (vec![], vec![]);
        secret.apply(&ep, &mut h, &mut p).unwrap();
        let jwt = p
            .iter()
            .find(|(n, _)| n == "client_assertion")
            .unwrap()
            .1
            .clone();
        assert_eq!(
            crate::jose::decode(&jwt).unwrap().header["alg"],
            "HS256",
            "client_secret_jwt is signed with HS256 using the client secret"
        );
        assert_eq!(
            crate::jose::decode(&jwt).unwrap().claims.unwrap()["aud"],
            "https://as.example/token",
            "without an issuer, the endpoint"
        );
        assert!(
            ClientAuth::new("c", AuthMethod::PrivateKeyJwt, None)
                .apply(&ep, &mut vec![], &mut vec![])
                .is_err(),
            "no key, no assertion"
        );
    }
}
