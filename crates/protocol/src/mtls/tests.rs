//! The fixtures are throwaway test material made with openssl (a self-signed P-256 certificate,
//! its key, an unrelated key, and a PKCS#12 of the pair with the password `fixture-pw`); the
//! expected thumbprint was computed by openssl too:
//! `openssl x509 -in client.pem -outform der | openssl dgst -sha256 -binary | base64url`.

use super::*;

const CERT: &str = include_str!("fixtures/client.pem");
const KEY: &str = include_str!("fixtures/client.key");
const OTHER_KEY: &str = include_str!("fixtures/other.key");
const P12: &[u8] = include_bytes!("fixtures/client.p12");
const THUMBPRINT: &str = "tacWJ86tuGCucxsV40PvVZubJOJ9XJ1cN7JW8V9j6B0";

fn refusal(r: Result<TlsIdentity>) -> String {
    r.expect_err("refused").to_string()
}

#[test]
fn thumbprint_is_base64url_sha256_of_the_der() {
    let id = TlsIdentity::from_pem(CERT, Some(KEY)).expect("the fixture pair imports");
    assert_eq!(
        id.info().thumbprint,
        THUMBPRINT,
        "x5t#S256 is base64url(SHA-256(DER)) as openssl computes it (RFC 8705 §3.1)"
    );
    assert_eq!(
        id.info().subject,
        "CN=fixture-client, O=OAuth Desk tests",
        "the subject DN in words"
    );
    assert!(id.info().self_signed, "the fixture is self-signed");
    assert!(
        id.info().not_after > id.info().not_before,
        "validity is read"
    );
}

#[test]
fn pem_in_one_text_or_two_and_pkcs12_give_the_same_identity() {
    let two = TlsIdentity::from_pem(CERT, Some(KEY)).unwrap();
    let one = TlsIdentity::from_pem(&format!("{KEY}{CERT}"), None).unwrap();
    let p12 = TlsIdentity::from_pkcs12(P12, "fixture-pw").expect("the PKCS#12 fixture imports");
    assert_eq!(
        (&one.info().thumbprint, &p12.info().thumbprint),
        (&two.info().thumbprint, &two.info().thumbprint),
        "cert + key in one file, in two, or as PKCS#12 is the same certificate"
    );
    let stored = TlsIdentity::from_stored(p12.chain_pem(), p12.key()).unwrap();
    assert_eq!(
        stored.info(),
        p12.info(),
        "the stored form (chain PEM + key PEM) reads back as the same identity"
    );
    assert!(
        p12.reqwest_identity().is_ok(),
        "the TLS stack accepts the identity"
    );
}

#[test]
fn the_key_never_shows_in_debug_or_the_note() {
    let id = TlsIdentity::from_pem(CERT, Some(KEY)).unwrap();
    let key_body: String = KEY.lines().nth(1).unwrap().chars().take(20).collect();
    for shown in [format!("{id:?}"), id.note()] {
        assert!(
            !shown.contains(&key_body) && !shown.contains("PRIVATE KEY"),
            "the key is never printed: {shown}"
        );
    }
    assert!(
        id.note().contains(THUMBPRINT) && id.note().contains("CN=fixture-client"),
        "the transcript note names subject and thumbprint: {}",
        id.note()
    );
}

#[test]
fn refusals_say_why_in_words() {
    let e = refusal(TlsIdentity::from_pkcs12(P12, "wrong"));
    assert!(
        e.contains("password is wrong"),
        "wrong PKCS#12 password: {e}"
    );
    let e = refusal(TlsIdentity::from_pem(CERT, None));
    assert!(e.contains("no private key found"), "cert without key: {e}");
    let e = refusal(TlsIdentity::from_pem(CERT, Some(CERT)));
    assert!(
        e.contains("holds no private key"),
        "a key file without a key: {e}"
    );
    let e = refusal(TlsIdentity::from_pem(CERT, Some(OTHER_KEY)));
    assert!(
        e.contains("does not belong to the certificate"),
        "a key that does not match the certificate: {e}"
    );
    let e = refusal(TlsIdentity::from_pem(KEY, None));
    assert!(
        e.contains("no certificate found"),
        "a key without certificate: {e}"
    );
    let e = refusal(TlsIdentity::from_pkcs12(b"not a pkcs12 file", "x"));
    assert!(
        e.contains("not a PKCS#12 archive"),
        "garbage as PKCS#12: {e}"
    );
    let e = refusal(TlsIdentity::from_pem(
        CERT,
        Some("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"),
    ));
    assert!(e.contains("encrypted"), "an encrypted PEM key: {e}");
}

fn meta(json: serde_json::Value) -> ServerMetadata {
    serde_json::from_value(json).unwrap()
}

#[test]
fn aliases_replace_the_regular_endpoints_only() {
    let m = meta(serde_json::json!({
        "issuer": "https://as.example",
        "token_endpoint": "https://as.example/token",
        "userinfo_endpoint": "https://as.example/me",
        "mtls_endpoint_aliases": {
            "token_endpoint": "https://mtls.as.example/token",
            "userinfo_endpoint": "https://mtls.as.example/me",
            "authorization_endpoint": "https://mtls.as.example/auth"
        }
    }));
    assert_eq!(
        aliased(&m, "token_endpoint", "https://as.example/token"),
        "https://mtls.as.example/token",
        "the token endpoint's alias is used (RFC 8705 §5)"
    );
    assert_eq!(
        aliased(&m, "userinfo_endpoint", "https://as.example/me"),
        "https://mtls.as.example/me",
        "userinfo too"
    );
    assert_eq!(
        aliased(&m, "token_endpoint", "https://override.example/token"),
        "https://override.example/token",
        "an endpoint set explicitly wins over the alias"
    );
    assert_eq!(
        aliased(&m, "authorization_endpoint", "https://as.example/auth"),
        "https://as.example/auth",
        "the authorization endpoint is the browser's, never aliased"
    );
    assert_eq!(
        aliased(&m, "revocation_endpoint", "https://as.example/revoke"),
        "https://as.example/revoke",
        "no alias, the regular endpoint"
    );
}

#[test]
fn binding_verdicts_in_words() {
    use crate::verify::CheckStatus;
    let cnf = serde_json::json!({ "x5t#S256": THUMBPRINT });
    let c = binding_check(Some(&cnf), Some(THUMBPRINT), true, true).unwrap();
    assert_eq!(c.status, CheckStatus::Pass, "same thumbprint: bound to us");
    assert!(
        c.reason.contains("bound to this client's certificate"),
        "{}",
        c.reason
    );
    let c = binding_check(Some(&cnf), Some("other"), true, true).unwrap();
    assert_eq!(
        (c.status, c.code.as_deref()),
        (CheckStatus::Fail, Some("x5t_mismatch")),
        "another thumbprint fails"
    );
    assert!(c.reason.contains("ANOTHER certificate"), "{}", c.reason);
    let c = binding_check(None, Some(THUMBPRINT), true, true).unwrap();
    assert_eq!(
        c.code.as_deref(),
        Some("not_bound"),
        "unbound though the server binds"
    );
    assert!(
        binding_check(None, None, false, true).is_none(),
        "no certificate, no binding: nothing to say"
    );
}
