//! JWT-Secured Authorization Requests (RFC 9101): the authorization request's parameters signed
//! into a request object (§4) with `iss` (the client), `aud` (the issuer), `iat`, `nbf`, `exp`
//! and `jti`, typed `oauth-authz-req+jwt` (§10.8). It travels by value in the `request`
//! parameter (§5.1), with `client_id` outside it (§5) and `response_type` and `scope` repeated
//! as OpenID Connect Core §6.1 wants, or by reference through a pushed authorization request
//! (RFC 9126 §3), where the request object is the one parameter pushed besides `client_id`.
//!
//! It is signed with the client's `private_key_jwt` key (ES256) or, for HS256, its secret: the
//! key the server already trusts for this client.

use crate::error::Result;
use crate::keys::{Signer, sign_jwt};
use jsonwebtoken::Header;
use serde_json::{Map, Value};
use url::Url;

/// Whether and how a client signs its authorization requests.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum JarMode {
    /// Plain parameters (unless the server requires signed request objects).
    #[default]
    Off,
    /// The request object in the `request` parameter of the authorization URL (RFC 9101 §5.1).
    Value,
    /// The request object pushed to the PAR endpoint (RFC 9126 §3).
    Par,
}

impl JarMode {
    pub fn as_str(self) -> &'static str {
        match self {
            JarMode::Off => "off",
            JarMode::Value => "value",
            JarMode::Par => "par",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "off" => JarMode::Off,
            "value" => JarMode::Value,
            "par" => JarMode::Par,
            _ => return None,
        })
    }
}

/// The media type of a request object (RFC 9101 §10.8), its `typ` header.
pub const TYP: &str = "oauth-authz-req+jwt";

/// How long a request object is valid: long enough for a slow login page, far within the
/// hour FAPI 2.0 Message Signing §5.3.1 allows between `nbf` and `exp`.
pub const LIFETIME_SECS: i64 = 300;

/// Parameters whose value is JSON, carried in the request object as JSON rather than as a
/// string (OIDC Core §5.5 `claims`, RFC 9396 §2 `authorization_details`).
const JSON_VALUED: &[&str] = &["claims", "authorization_details"];

/// Parameters that are numbers in a request object (OIDC Core §6.1's example `max_age`).
const NUMERIC: &[&str] = &["max_age"];

/// The authorization parameters of `request_url`: its query without the pairs the
/// authorization endpoint's own URL already carries (a tenant, say).
pub fn parameters_of(authorization_endpoint: &Url, request_url: &Url) -> Vec<(String, String)> {
    let own: Vec<(String, String)> = authorization_endpoint.query_pairs().into_owned().collect();
    request_url
        .query_pairs()
        .into_owned()
        .filter(|p| !own.contains(p))
        .collect()
}

/// The request object's claims (RFC 9101 §4): every authorization parameter, plus `iss`,
/// `aud`, `iat`, `nbf`, `exp` and `jti`. A parameter given more than once (`resource`,
/// RFC 8707) becomes an array.
pub fn claims(params: &[(String, String)], client_id: &str, audience: &str, now: i64) -> Value {
    let mut map = Map::new();
    for (k, v) in params {
        let value = if JSON_VALUED.contains(&k.as_str()) {
            serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.clone()))
        } else if NUMERIC.contains(&k.as_str()) {
            v.trim()
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::String(v.clone()))
        } else {
            Value::String(v.clone())
        };
        match map.get_mut(k) {
            Some(Value::Array(items)) => items.push(value),
            Some(first) => {
                let first = first.take();
                map.insert(k.clone(), Value::Array(vec![first, value]));
            }
            None => {
                map.insert(k.clone(), value);
            }
        }
    }
    map.insert("client_id".into(), client_id.into());
    map.insert("iss".into(), client_id.into());
    map.insert("aud".into(), audience.into());
    map.insert("iat".into(), now.into());
    map.insert("nbf".into(), now.into());
    map.insert("exp".into(), now.saturating_add(LIFETIME_SECS).into());
    map.insert("jti".into(), crate::random::token().into());
    Value::Object(map)
}

/// The signed request object: `alg` from the signer (ES256 or HS256), `kid` when the key has one.
pub fn sign(signer: &Signer<'_>, kid: Option<&str>, claims: &Value) -> Result<String> {
    let header = Header {
        typ: Some(TYP.into()),
        kid: kid.map(str::to_owned),
        ..Header::default()
    };
    sign_jwt(signer, header, claims)
}

/// The authorization URL carrying the request object by value (RFC 9101 §5.1): `client_id`
/// and `request`, with `response_type` and `scope` repeated outside for OpenID Connect
/// (OIDC Core §6.1: they must match the request object's).
pub fn by_value_url(
    authorization_endpoint: &Url,
    client_id: &str,
    params: &[(String, String)],
    request_object: &str,
) -> Url {
    let mut url = authorization_endpoint.clone();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("client_id", client_id);
        for (k, v) in params {
            if k == "response_type" || k == "scope" {
                q.append_pair(k, v);
            }
        }
        q.append_pair("request", request_object);
    }
    url
}

/// The URL whose parameters are pushed for a request object by reference (RFC 9126 §3):
/// `client_id` (which [`crate::par::push`] moves to the body) and `request` only.
pub fn pushed_url(authorization_endpoint: &Url, client_id: &str, request_object: &str) -> Url {
    let mut url = authorization_endpoint.clone();
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("request", request_object);
    url
}

/// The request object decoded for the flow's timeline, its secret members (an `id_token_hint`,
/// say) redacted as in every transcript.
pub fn decoded_for_transcript(request_object: &str) -> String {
    crate::transcript::redact_body(&decoded(request_object).to_string())
}

/// The request object decoded, `{"header": …, "claims": …}`.
pub fn decoded(request_object: &str) -> Value {
    match crate::jose::decode(request_object) {
        Some(d) => serde_json::json!({ "header": d.header, "claims": d.claims }),
        None => serde_json::json!({ "error": "the request object could not be decoded" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::generate_es256;
    use crate::secret::ClientSecret;
    use crate::verify::{CheckStatus, KeySet, verify_signature};
    use serde_json::json;

    fn p(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn claims_carry_every_parameter_and_the_jwt_members() {
        let params = p(&[
            ("response_type", "code"),
            ("scope", "openid"),
            ("state", "s1"),
            ("resource", "https://a.example"),
            ("resource", "https://b.example"),
            ("max_age", "60"),
            ("claims", r#"{"id_token":{"email":null}}"#),
        ]);
        let c = claims(&params, "cid", "https://as.example", 1_700_000_000);
        assert_eq!(
            (&c["iss"], &c["aud"], &c["client_id"]),
            (&json!("cid"), &json!("https://as.example"), &json!("cid")),
            "iss is the client and aud the issuer (RFC 9101 §4)"
        );
        assert_eq!(
            (&c["iat"], &c["nbf"], &c["exp"]),
            (
                &json!(1_700_000_000),
                &json!(1_700_000_000),
                &json!(1_700_000_000 + LIFETIME_SECS)
            ),
            "iat, nbf and exp bound the request object's life"
        );
        assert!(
            c["jti"].as_str().is_some_and(|j| j.len() >= 32),
            "a random jti: {c}"
        );
        assert_eq!(
            (&c["response_type"], &c["state"]),
            (&json!("code"), &json!("s1")),
            "the authorization parameters are claims"
        );
        assert_eq!(
            c["resource"],
            json!(["https://a.example", "https://b.example"]),
            "a repeated parameter becomes an array"
        );
        assert_eq!(c["max_age"], json!(60), "max_age is a number");
        assert_eq!(
            c["claims"],
            json!({"id_token": {"email": null}}),
            "the claims parameter is JSON inside the request object"
        );
        assert_eq!(
            claims(&p(&[("max_age", "soon")]), "c", "a", 0)["max_age"],
            json!("soon"),
            "a max_age that is no number is kept as given, for the server to refuse"
        );
        assert_eq!(
            claims(&[], "c", "a", i64::MAX)["exp"],
            json!(i64::MAX),
            "exp saturates rather than overflows"
        );
    }

    #[test]
    fn signed_with_the_clients_key_or_secret_and_typed() {
        let pair = generate_es256();
        let kid = pair.public_jwk["kid"].as_str().map(str::to_owned);
        let c = claims(&p(&[("state", "s")]), "cid", "https://as.example", 1);
        let jwt = sign(&Signer::Es256(&pair.private), kid.as_deref(), &c).unwrap();
        let d = decoded(&jwt);
        assert_eq!(
            (
                &d["header"]["typ"],
                &d["header"]["alg"],
                &d["header"]["kid"]
            ),
            (&json!(TYP), &json!("ES256"), &json!(kid)),
            "typed oauth-authz-req+jwt (RFC 9101 §10.8), ES256 with the key's kid"
        );
        assert_eq!(d["claims"], c, "the decoded claims are the ones signed");
        let keys =
            KeySet::from_jwks_value(&json!({"keys": [pair.public_jwk.clone()]}), "t").unwrap();
        assert_eq!(
            verify_signature(&jwt, &keys).check.status,
            CheckStatus::Pass,
            "the registered public key verifies the request object"
        );
        let secret = ClientSecret::new("s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-00");
        let hs = sign(&Signer::Secret(&secret), None, &c).unwrap();
        assert_eq!(
            decoded(&hs)["header"]["alg"],
            "HS256",
            "a secret signs with HS256"
        );
        assert!(
            !hs.contains(secret.expose()),
            "the secret is not in the object"
        );
        let hinted = claims(&p(&[("id_token_hint", "eyJ.secret.hint")]), "cid", "aud", 1);
        let jwt = sign(&Signer::Secret(&secret), None, &hinted).unwrap();
        let shown = decoded_for_transcript(&jwt);
        assert!(
            !shown.contains("eyJ.secret.hint") && shown.contains("\"iss\":\"cid\""),
            "the timeline's decoded object redacts an id_token_hint and keeps the rest: {shown}"
        );
        let url = crate::transcript::redact_url(&format!(
            "https://as.example/a?client_id=cid&request={jwt}"
        ));
        assert!(
            !url.contains(&jwt) && url.contains("client_id=cid"),
            "the request object itself is redacted in recorded URLs and bodies (it may carry hints): {url}"
        );
    }

    #[test]
    fn urls_by_value_and_for_par() {
        let endpoint = Url::parse("https://as.example/authorize?tenant=t1").unwrap();
        let full = Url::parse(
            "https://as.example/authorize?tenant=t1&response_type=code&client_id=cid&state=s&scope=openid",
        )
        .unwrap();
        let params = parameters_of(&endpoint, &full);
        assert_eq!(
            params,
            p(&[
                ("response_type", "code"),
                ("client_id", "cid"),
                ("state", "s"),
                ("scope", "openid")
            ]),
            "the endpoint's own query is not an authorization parameter"
        );
        let url = by_value_url(&endpoint, "cid", &params, "h.p.s");
        let q: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            q,
            p(&[
                ("tenant", "t1"),
                ("client_id", "cid"),
                ("response_type", "code"),
                ("scope", "openid"),
                ("request", "h.p.s")
            ]),
            "by value: only client_id, response_type, scope and request outside (RFC 9101 §5, OIDC Core §6.1)"
        );
        let pushed = pushed_url(&endpoint, "cid", "h.p.s");
        assert!(
            !pushed.as_str().contains("state=") && pushed.as_str().contains("request=h.p.s"),
            "through PAR the request object is the parameter pushed: {pushed}"
        );
    }
}
