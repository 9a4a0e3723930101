//! Verifying pasted tokens: times, HMAC secrets, alg none, and the verdict.

use crate::desk::VerifyOptions;
use oauthdesk_protocol::ClientSecret;
use oauthdesk_protocol::keys::{Signer, sign_jwt};

const KEY: &str = "a-shared-secret-of-thirty-two-bytes!";

async fn verify(claims: serde_json::Value) -> (u32, Vec<(String, Option<String>)>) {
    let (_home, desk) = crate::desk::test_desk::open().await;
    let secret = ClientSecret::new(KEY);
    let header = jsonwebtoken::Header {
        typ: Some("JWT".into()),
        ..Default::default()
    };
    let token = sign_jwt(&Signer::Secret(&secret), header, &claims).expect("the token is signed");
    use base64::Engine;
    let k = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(KEY);
    let v = desk
        .verify_token(
            &token,
            VerifyOptions {
                keys: Some(format!(r#"{{"kty":"oct","k":"{k}"}}"#)),
                ..Default::default()
            },
        )
        .await
        .expect("verification runs");
    let checks = v
        .findings
        .checks
        .iter()
        .map(|c| (c.name.clone(), c.code.clone()))
        .collect();
    (v.failed, checks)
}

#[tokio::test]
async fn a_pasted_jwt_that_is_expired_or_not_yet_valid_fails() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs() as i64;
    let (failed, _) = verify(serde_json::json!({"iss": "x", "exp": now + 600, "iat": now})).await;
    assert_eq!(
        failed, 0,
        "a valid, correctly signed JWT passes every check"
    );
    let (failed, checks) =
        verify(serde_json::json!({"iss": "x", "exp": now - 3600, "iat": now - 7200})).await;
    assert_eq!(
        failed, 1,
        "an expired JWT fails (RFC 7519 §4.1.4): {checks:?}"
    );
    assert!(
        checks.contains(&("exp".into(), Some("expired".into()))),
        "the failure is named expired: {checks:?}"
    );
    let (failed, checks) =
        verify(serde_json::json!({"iss": "x", "exp": now + 7200, "iat": now, "nbf": now + 3600}))
            .await;
    assert_eq!(
        failed, 1,
        "a JWT not yet valid fails (RFC 7519 §4.1.5): {checks:?}"
    );
}

mod verdicts {
    use crate::desk::{TokenVerification, VerifyOptions};
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use oauthdesk_protocol::ClientSecret;
    use oauthdesk_protocol::verify::{CheckStatus, VerdictStatus};
    use serde_json::{Value, json};

    const SECRET: &str = "the-right-hmac-secret-of-32-bytes!!";

    fn now() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    }

    fn b64(v: &Value) -> String {
        URL_SAFE_NO_PAD.encode(v.to_string())
    }

    fn hs256(claims: &Value) -> String {
        oauthdesk_protocol::test_token::sign_test_token(
            &json!({"typ": "JWT"}),
            claims,
            "HS256",
            &oauthdesk_protocol::PrivateKey::new(SECRET),
        )
        .expect("signs")
    }

    /// Claims of a token whose issuer does not resolve: any network lookup would fail loudly.
    fn claims(exp_in: i64) -> Value {
        json!({"iss": "https://issuer.invalid", "sub": "alice", "iat": now() - 60, "exp": now() + exp_in})
    }

    async fn verify(token: &str, secret: Option<&str>) -> TokenVerification {
        let (_home, desk) = crate::desk::test_desk::open().await;
        desk.verify_token(
            token,
            VerifyOptions {
                secret: secret.map(ClientSecret::new),
                skip_token_issuer: true,
                ..Default::default()
            },
        )
        .await
        .expect("verification runs")
    }

    fn verdict_of(v: &TokenVerification) -> (VerdictStatus, Option<&str>) {
        (v.verdict.status, v.verdict.code.as_deref())
    }

    #[tokio::test]
    async fn an_hmac_secret_verifies_locally_and_a_wrong_one_fails_by_name() {
        let token = hs256(&claims(600));
        let v = verify(&token, Some(SECRET)).await;
        assert_eq!(
            verdict_of(&v),
            (VerdictStatus::Valid, None),
            "an HS256 token verified with its secret, unexpired, is valid (no JWKS discovery): {:?}",
            v.findings.checks
        );
        assert_eq!(
            v.keys.as_deref(),
            Some("the given secret"),
            "the keys came from the given secret"
        );
        let v = verify(&token, Some("a-wrong-hmac-secret-of-32-bytes!!!")).await;
        assert_eq!(
            verdict_of(&v),
            (VerdictStatus::Invalid, Some("bad_signature")),
            "a wrong secret is a bad signature"
        );
        let v = verify(&token, Some("short")).await;
        assert!(
            v.findings
                .checks
                .iter()
                .any(|c| c.code.as_deref() == Some("short_secret") && c.status == CheckStatus::Warn),
            "a secret shorter than the hash is flagged (RFC 7518 §3.2): {:?}",
            v.findings.checks
        );
    }

    #[tokio::test]
    async fn an_expired_token_is_red_even_with_a_good_signature() {
        let v = verify(&hs256(&claims(-3 * 3600)), Some(SECRET)).await;
        assert_eq!(
            verdict_of(&v),
            (VerdictStatus::Invalid, Some("expired")),
            "a correctly signed but expired token is red, named expired"
        );
        assert!(
            v.verdict.reason.contains("3 h ago"),
            "the verdict says when it expired: {:?}",
            v.verdict
        );
    }

    #[tokio::test]
    async fn without_a_key_the_token_is_decoded_not_verified() {
        let v = verify(&hs256(&claims(600)), None).await;
        assert_eq!(
            verdict_of(&v),
            (VerdictStatus::Unverified, Some("not_verified")),
            "no key source: decoded, not verified (and no discovery of the token's iss)"
        );
        let sig = v.findings.checks.iter().find(|c| c.name == "signature");
        assert!(
            sig.is_some_and(|c| c.status == CheckStatus::NotApplicable),
            "the signature is not reported as passed or failed: {sig:?}"
        );
        assert!(v.keys.is_none(), "no key origin is claimed");
        let v = verify(&hs256(&claims(-600)), None).await;
        assert_eq!(
            verdict_of(&v),
            (VerdictStatus::Invalid, Some("expired")),
            "an expired token is red even without a key"
        );
    }

    #[tokio::test]
    async fn alg_none_is_unsigned_and_red_with_or_without_a_key() {
        let token = format!("{}.{}.", b64(&json!({"alg": "none"})), b64(&claims(600)));
        for secret in [None, Some(SECRET)] {
            let v = verify(&token, secret).await;
            assert_eq!(
                verdict_of(&v),
                (VerdictStatus::Invalid, Some("unsigned")),
                "alg none is red, named unsigned (secret given: {})",
                secret.is_some()
            );
            assert_eq!(
                v.findings.format, "unsigned",
                "its format is unsigned, not jws"
            );
        }
    }

    #[tokio::test]
    async fn encrypted_and_malformed_tokens_get_their_own_verdicts() {
        let jwe = format!(
            "{}.a2V5.aXY.Y2lwaGVy.dGFn",
            b64(&json!({"alg": "RSA-OAEP", "enc": "A256GCM"}))
        );
        assert_eq!(
            verdict_of(&verify(&jwe, None).await),
            (VerdictStatus::Unverified, Some("encrypted")),
            "a JWE cannot be verified without the recipient's key"
        );
        let broken = format!("{}.eyJzdWIi.c2ln", b64(&json!({"alg": "HS256"})));
        assert_eq!(
            verdict_of(&verify(&broken, Some(SECRET)).await),
            (VerdictStatus::Invalid, Some("malformed")),
            "a JWT whose payload does not decode is malformed"
        );
    }
}

#[test]
fn a_given_secret_never_reaches_a_log_line() {
    let opts = VerifyOptions {
        secret: Some(ClientSecret::new("hmac-secret-value-1234567890")),
        keys: Some("-----BEGIN PRIVATE KEY-----".into()),
        ..Default::default()
    };
    let line = format!("{opts:?}");
    assert!(
        !line.contains("hmac-secret-value") && !line.contains("BEGIN PRIVATE"),
        "VerifyOptions' Debug shows neither the secret nor the pasted key: {line}"
    );
}
