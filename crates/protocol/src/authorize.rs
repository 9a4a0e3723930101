//! The authorization request (RFC 6749 §4.1.1, §4.2.1) with PKCE S256 (RFC 7636 §4),
//! an unguessable `state` (RFC 6749 §10.12) and, for `openid`, a `nonce` (OIDC Core §3.1.2.1).

use crate::random;
use crate::secret::PkceVerifier;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use url::Url;

/// A PKCE verifier (43 characters, RFC 7636 §4.1) and its S256 challenge (§4.2).
pub struct Pkce {
    pub verifier: PkceVerifier,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Self {
        Self::from_verifier(random::token())
    }

    pub fn from_verifier(verifier: String) -> Self {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Self {
            verifier: PkceVerifier::new(verifier),
            challenge,
        }
    }
}

impl Default for Pkce {
    fn default() -> Self {
        Self::new()
    }
}

/// What to put in the authorization URL.
#[derive(Debug, Clone)]
pub struct AuthorizationParams<'a> {
    pub endpoint: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub response_type: &'a str,
    pub scope: &'a str,
    /// `response_mode` (e.g. `form_post` is not supported by a loopback listener; `fragment` for implicit).
    pub response_mode: Option<&'a str>,
    pub pkce: bool,
    pub extra: &'a [(String, String)],
}

/// A built authorization request and the values the callback is checked against.
pub struct AuthorizationRequest {
    pub url: Url,
    pub state: String,
    pub nonce: Option<String>,
    pub pkce_verifier: Option<PkceVerifier>,
}

pub fn build_authorization_request(
    p: &AuthorizationParams<'_>,
) -> Result<AuthorizationRequest, url::ParseError> {
    let mut url = Url::parse(p.endpoint)?;
    let state = random::token();
    let wants_nonce =
        p.scope.split_whitespace().any(|s| s == "openid") || p.response_type.contains("id_token");
    let nonce = wants_nonce.then(random::token);
    let pkce = p.pkce.then(Pkce::new);
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", p.response_type)
            .append_pair("client_id", p.client_id)
            .append_pair("redirect_uri", p.redirect_uri);
        if !p.scope.is_empty() {
            q.append_pair("scope", p.scope);
        }
        q.append_pair("state", &state);
        if let Some(n) = &nonce {
            q.append_pair("nonce", n);
        }
        if let Some(pk) = &pkce {
            q.append_pair("code_challenge", &pk.challenge)
                .append_pair("code_challenge_method", "S256");
        }
        if let Some(mode) = p.response_mode {
            q.append_pair("response_mode", mode);
        }
        for (k, v) in p.extra {
            q.append_pair(k, v);
        }
    }
    Ok(AuthorizationRequest {
        url,
        state,
        nonce,
        pkce_verifier: pkce.map(|p| p.verifier),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc7636_appendix_b() {
        let p = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
        assert_eq!(
            p.challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "S256 per RFC 7636 Appendix B"
        );
        assert_eq!(
            Pkce::new().verifier.expose().len(),
            43,
            "43-character verifier"
        );
    }

    #[test]
    fn url_carries_state_nonce_and_challenge() {
        let extra = vec![("audience".to_string(), "api://x".to_string())];
        let req = build_authorization_request(&AuthorizationParams {
            endpoint: "https://as.example/authorize?tenant=t1",
            client_id: "cid",
            redirect_uri: "http://127.0.0.1:5555/callback",
            response_type: "code",
            scope: "openid email",
            response_mode: None,
            pkce: true,
            extra: &extra,
        })
        .unwrap();
        let q: std::collections::HashMap<_, _> = req.url.query_pairs().into_owned().collect();
        assert_eq!(q["tenant"], "t1", "existing endpoint query kept");
        assert_eq!(q["state"], req.state, "state sent is the one kept");
        assert_eq!(q.get("nonce"), req.nonce.as_ref(), "nonce for openid");
        assert_eq!(
            q["code_challenge_method"], "S256",
            "the S256 challenge method is sent with the challenge (RFC 7636 §4.3)"
        );
        assert_eq!(q["audience"], "api://x", "extra parameters appended");
        assert!(
            !req.url
                .as_str()
                .contains(req.pkce_verifier.as_ref().unwrap().expose()),
            "verifier never in the URL"
        );
        let two = build_authorization_request(&AuthorizationParams {
            scope: "api",
            pkce: false,
            ..AuthorizationParams {
                endpoint: "https://as.example/a",
                client_id: "c",
                redirect_uri: "http://127.0.0.1/cb",
                response_type: "code",
                scope: "",
                response_mode: None,
                pkce: false,
                extra: &[],
            }
        })
        .unwrap();
        assert!(
            two.nonce.is_none() && two.pkce_verifier.is_none(),
            "no nonce without openid, no PKCE when off"
        );
        assert_ne!(two.state, req.state, "state is random");
    }
}
