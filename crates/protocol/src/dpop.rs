//! DPoP (RFC 9449): proofs of possession of the client's key on token requests and on requests
//! to resource servers, and the server-nonce retry (`use_dpop_nonce`, §8 and §9). The proof's
//! header (`typ: dpop+jwt`, the bare public `jwk`, §4.2) is jsonwebtoken's `Header`.

use crate::error::{ProtocolError, Result};
use crate::http::{HttpClient, HttpRequest, HttpResponse};
use crate::keys::{KeyPair, Signer, sign_jwt};
use crate::random::token as random_token;
use crate::transcript::Transcript;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Header;
use serde_json::json;
use sha2::Digest;
use url::Url;

/// A DPoP proof for `method` `url` (RFC 9449 §4.2); `access_token` adds `ath` for resource requests.
pub fn proof(
    key: &KeyPair,
    method: &str,
    url: &Url,
    nonce: Option<&str>,
    access_token: Option<&str>,
) -> Result<String> {
    let mut htu = url.clone();
    htu.set_query(None);
    htu.set_fragment(None);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut claims =
        json!({ "jti": random_token(), "htm": method, "htu": htu.as_str(), "iat": now });
    if let Some(n) = nonce {
        claims["nonce"] = json!(n);
    }
    if let Some(t) = access_token {
        claims["ath"] = json!(URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(t.as_bytes())));
    }
    let header = Header {
        typ: Some("dpop+jwt".into()),
        jwk: Some(key.bare_public_jwk()?),
        ..Header::default()
    };
    sign_jwt(&Signer::Es256(&key.private), header, &claims)
        .map_err(|e| ProtocolError::ClientAssertion(e.to_string()))
}

/// The nonce a server asks for: `DPoP-Nonce` with `use_dpop_nonce` in the body (token endpoint)
/// or in `WWW-Authenticate` (resource servers).
pub fn nonce_challenge(resp: &HttpResponse) -> Option<String> {
    let nonce = resp.header("dpop-nonce")?.to_owned();
    let in_body = resp.status == 400
        && serde_json::from_slice::<serde_json::Value>(&resp.body)
            .ok()
            .is_some_and(|v| v["error"] == "use_dpop_nonce");
    let in_header = resp.status == 401
        && crate::challenge::from_headers(&resp.headers)
            .challenges
            .iter()
            .any(|c| c.param("error") == Some("use_dpop_nonce"));
    (in_body || in_header).then_some(nonce)
}

/// Sends `req` with a fresh proof; when the server answers with a nonce challenge, once more
/// with the nonce (RFC 9449 §8). `access_token` binds the proof to it (`ath`).
pub async fn send(
    http: &HttpClient,
    transcript: &Transcript,
    step: &str,
    req: HttpRequest,
    key: &KeyPair,
    access_token: Option<&str>,
) -> Result<HttpResponse> {
    let with_proof = |nonce: Option<&str>| -> Result<HttpRequest> {
        let mut r = req.clone();
        r.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("dpop"));
        r.headers.push((
            "dpop".into(),
            proof(key, r.method, &r.url, nonce, access_token)?,
        ));
        Ok(r)
    };
    let resp = http.send(step, with_proof(None)?, transcript).await?;
    match nonce_challenge(&resp) {
        Some(nonce) => {
            http.send(
                &format!("{step} (with the server's DPoP nonce)"),
                with_proof(Some(&nonce))?,
                transcript,
            )
            .await
        }
        None => Ok(resp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_carry_htm_htu_without_query_ath_and_the_public_jwk() {
        let key = crate::keys::generate_es256();
        let url = Url::parse("https://rs.example/api/items?page=2#x").unwrap();
        let p = proof(&key, "GET", &url, Some("n-1"), Some("at-123")).unwrap();
        let d = crate::jose::decode(&p).unwrap();
        assert_eq!(
            d.header["typ"], "dpop+jwt",
            "the proof's typ is dpop+jwt (RFC 9449 §4.2)"
        );
        assert_eq!(
            d.header["alg"], "ES256",
            "the proof is signed with ES256, the client key's algorithm"
        );
        assert!(
            d.header["jwk"].get("d").is_none() && d.header["jwk"]["x"] == key.public_jwk["x"],
            "the header's jwk is the client's public key, without the private d (RFC 9449 §4.2)"
        );
        let mut members: Vec<&String> = d.header["jwk"].as_object().unwrap().keys().collect();
        members.sort();
        assert_eq!(
            members,
            ["crv", "kty", "x", "y"],
            "the bare public key: no kid, alg or use"
        );
        let c = d.claims.unwrap();
        assert_eq!(
            (c["htm"].as_str(), c["htu"].as_str(), c["nonce"].as_str()),
            (
                Some("GET"),
                Some("https://rs.example/api/items"),
                Some("n-1")
            ),
            "htm is the method, htu the URL without query and fragment, nonce the server's (RFC 9449 §4.2)"
        );
        assert_eq!(
            c["ath"],
            URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(b"at-123")),
            "ath is the base64url SHA-256 of the access token (RFC 9449 §4.2)"
        );
        let keys = crate::verify::KeySet::from_jwks_value(&json!({"keys": [key.public_jwk]}), "t")
            .unwrap();
        assert_eq!(
            crate::verify::verify_signature(&p, &keys).check.status,
            crate::verify::CheckStatus::Pass,
            "the proof verifies with the client key's public JWK"
        );
    }

    #[test]
    fn nonce_challenges_from_token_endpoints_and_resource_servers() {
        let resp = |status, headers: Vec<(&str, &str)>, body: &str| HttpResponse {
            url: "u".into(),
            status,
            headers: headers
                .into_iter()
                .map(|(a, b)| (a.into(), b.into()))
                .collect(),
            body: body.as_bytes().to_vec(),
        };
        assert_eq!(
            nonce_challenge(&resp(
                400,
                vec![("DPoP-Nonce", "n1")],
                r#"{"error":"use_dpop_nonce"}"#
            ))
            .as_deref(),
            Some("n1"),
            "a token endpoint's 400 use_dpop_nonce yields the nonce to retry with (RFC 9449 §8)"
        );
        assert_eq!(
            nonce_challenge(&resp(
                401,
                vec![
                    ("dpop-nonce", "n2"),
                    ("www-authenticate", r#"DPoP error="use_dpop_nonce""#)
                ],
                ""
            ))
            .as_deref(),
            Some("n2"),
            "a resource server's 401 with use_dpop_nonce in WWW-Authenticate yields the nonce (RFC 9449 §9)"
        );
        assert_eq!(
            nonce_challenge(&resp(
                401,
                vec![
                    ("dpop-nonce", "n4"),
                    ("www-authenticate", r#"Bearer realm="rs""#),
                    (
                        "WWW-Authenticate",
                        r#"dpop algs="ES256", error=use_dpop_nonce"#
                    )
                ],
                ""
            ))
            .as_deref(),
            Some("n4"),
            "use_dpop_nonce on a second WWW-Authenticate line, unquoted, still yields the nonce"
        );
        assert_eq!(
            nonce_challenge(&resp(
                401,
                vec![
                    ("dpop-nonce", "n5"),
                    (
                        "www-authenticate",
                        r#"DPoP error="invalid_token", error_description="not use_dpop_nonce""#
                    )
                ],
                ""
            )),
            None,
            "use_dpop_nonce only in a description is no nonce challenge: no retry"
        );
        assert_eq!(
            nonce_challenge(&resp(
                400,
                vec![("DPoP-Nonce", "n1")],
                r#"{"error":"invalid_grant"}"#
            )),
            None,
            "another error: no retry"
        );
        assert_eq!(
            nonce_challenge(&resp(200, vec![("DPoP-Nonce", "n3")], "{}")),
            None,
            "a DPoP-Nonce on a success is no challenge: no retry"
        );
    }
}
