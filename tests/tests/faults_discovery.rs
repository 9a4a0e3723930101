//! Discovery (OIDC Discovery §4, RFC 8414) and the issuer's JWKS (RFC 7517 §5) misbehaving
//! (in-process `Desk`, listing secret store, 2 s HTTP timeouts). A client whose discovery fails
//! is not stored (nor its secret); a JWKS that cannot be fetched makes the signature check fail
//! with the reason in words.

mod faults_support;

use faults_support::*;
use oauthdesk_core::CoreError;
use oauthdesk_core::desk::VerifyOptions;
use oauthdesk_protocol::CredentialInput;
use oauthdesk_protocol::verify::CheckStatus;
use oauthdesk_tests::fault_server::{Fault, FaultServer};
use serde_json::json;
use std::time::Instant;

const OIDC: &str = "/.well-known/openid-configuration";
const RFC8414: &str = "/.well-known/oauth-authorization-server";

/// Adds client "app" by issuer (the server) with both well-known paths answering `fault`.
async fn failed_discovery(fault: Fault, case: &str) -> (FaultDesk, CoreError) {
    let server = FaultServer::with_routes([(OIDC, fault.clone()), (RFC8414, fault)]);
    let fd = fault_desk(server).await;
    let started = Instant::now();
    let result = fd
        .desk
        .add_client(
            spec("app", Some(fd.server.base())),
            Some(CredentialInput::new(CLIENT_SECRET)),
        )
        .await;
    assert_within(started, TIMEOUT + QUICK, case);
    let e = match result {
        Ok(c) => panic!("{case}: discovery must fail, yet the client was added: {c:?}"),
        Err(e) => e,
    };
    assert!(
        fd.desk.list_clients().await.unwrap().is_empty(),
        "{case}: no client is stored when discovery fails"
    );
    assert!(
        fd.store.keys().is_empty(),
        "{case}: the client secret did not reach the keychain: {:?}",
        fd.store.keys()
    );
    fd.assert_clean(&[&shown(&e)], case).await;
    (fd, e)
}

#[tokio::test]
async fn a_json_array_is_refused_in_words() {
    let (_, e) = failed_discovery(Fault::json(200, &json!([{"issuer": "x"}])), "array").await;
    let text = e.to_string();
    assert_says(&text, &["discovery failed", OIDC], "discovery array");
    assert!(
        text.contains("not an object") || text.contains("JSON object"),
        "the message says the document is not a JSON object: {text}"
    );
    assert!(
        !text.contains("invalid type"),
        "no raw serde message: {text}"
    );
}

#[tokio::test]
async fn an_oddly_typed_member_is_named() {
    let server = FaultServer::start();
    let mut doc = discovery_document(&server, json!({}));
    doc["token_endpoint"] = json!({"url": server.url("/token")});
    server.route(OIDC, Fault::json(200, &doc));
    server.route(RFC8414, Fault::json(200, &doc));
    let fd = fault_desk(server).await;
    let e = fd
        .desk
        .add_client(spec("app", Some(fd.server.base())), None)
        .await
        .expect_err("a token_endpoint that is an object is unusable");
    let text = e.to_string();
    assert_says(&text, &["token_endpoint"], "odd member");
    assert!(
        !text.contains("invalid type: map"),
        "no raw serde message: {text}"
    );
    fd.assert_clean(&[&shown(&e)], "odd member").await;
}

#[tokio::test]
async fn failures_at_both_well_known_urls_are_listed() {
    let (_, e) = failed_discovery(Fault::html(404, "Not Found"), "404").await;
    assert_says(&e.to_string(), &[OIDC, RFC8414, "HTTP 404"], "404 at both");
}

#[tokio::test]
async fn transport_faults_and_broken_bodies_are_named() {
    for (case, fault, says) in [
        ("discovery hang", Fault::Hang, "did not answer within 2 s"),
        ("discovery empty reply", Fault::Refuse, "could not reach"),
        ("discovery not JSON", Fault::invalid_json(), "not JSON"),
        (
            "discovery truncated",
            Fault::truncated_json(r#"{"issuer":"http://127.0.0.1:1","token_endpoint":"#, 30),
            "not JSON",
        ),
        (
            "discovery huge",
            Fault::Huge {
                len: 3 << 20,
                declared: false,
                tail: String::new(),
            },
            "larger than 2097152 bytes",
        ),
        (
            "discovery 503",
            Fault::html(503, "Service Unavailable"),
            "HTTP 503",
        ),
    ] {
        let (_, e) = failed_discovery(fault, case).await;
        assert_says(&e.to_string(), &[says], case);
    }
}

#[tokio::test]
async fn a_discovery_redirect_is_not_followed() {
    let server = FaultServer::start();
    let doc = discovery_document(&server, json!({}));
    server.route("/elsewhere", Fault::json(200, &doc));
    let (fd, e) = failed_discovery(Fault::redirect(&server.url("/elsewhere")), "redirect").await;
    assert_says(&e.to_string(), &["HTTP 302"], "discovery redirect");
    assert_eq!(
        fd.server.hits("/elsewhere"),
        0,
        "the redirect was not followed"
    );
}

#[tokio::test]
async fn metadata_for_another_issuer_is_refused() {
    let server = FaultServer::start();
    let doc = discovery_document(&server, json!({"issuer": "https://evil.example"}));
    let (_, e) = failed_discovery(Fault::json(200, &doc), "mix-up").await;
    assert_says(
        &e.to_string(),
        &["https://evil.example", "another issuer"],
        "mix-up",
    );
}

#[tokio::test]
async fn discovered_plain_http_endpoints_elsewhere_are_refused() {
    let server = FaultServer::start();
    let doc = discovery_document(
        &server,
        json!({"token_endpoint": "http://evil.example/token"}),
    );
    server.route(OIDC, Fault::json(200, &doc));
    let fd = fault_desk(server).await;
    let e = fd
        .desk
        .add_client(spec("app", Some(fd.server.base())), None)
        .await
        .expect_err("a discovered plain-http endpoint off loopback is refused");
    assert_says(
        &e.to_string(),
        &["token endpoint", "plain http"],
        "http endpoint",
    );
    assert!(
        fd.desk.list_clients().await.unwrap().is_empty(),
        "nothing stored"
    );
    fd.assert_clean(&[&shown(&e)], "http endpoint").await;
}

#[tokio::test]
async fn metadata_served_as_text_plain_is_tolerated() {
    let server = FaultServer::start();
    let doc = discovery_document(&server, json!({}));
    server.route(OIDC, Fault::wrong_content_type(200, "text/plain", &doc));
    let fd = fault_desk(server).await;
    let c = fd
        .desk
        .add_client(spec("app", Some(fd.server.base())), None)
        .await
        .expect("JSON metadata with another content type is used");
    assert_eq!(
        c.endpoints.token,
        Some(fd.server.url("/token")),
        "endpoints discovered"
    );
    fd.assert_clean(&[], "text/plain metadata").await;
}

/// Verifies a pasted token issued by the server, whose JWKS at /jwks answers `jwks(server)`;
/// returns the signature check's reason. /elsewhere (a redirect's target) must never be asked.
async fn signature_with_jwks(jwks: impl FnOnce(&FaultServer) -> Fault, case: &str) -> String {
    let server = FaultServer::start();
    server.route(
        OIDC,
        Fault::json(200, &discovery_document(&server, json!({}))),
    );
    server.route("/jwks", jwks(&server));
    server.route("/elsewhere", Fault::json(200, &json!({"keys": []})));
    let fd = fault_desk(server).await;
    let now = fd.desk.now();
    let token = junk_jwt(
        "k1",
        json!({"iss": fd.server.base(), "sub": "alice", "aud": "x", "iat": now, "exp": now + 600}),
    );
    let started = Instant::now();
    let opts = VerifyOptions {
        issuer: Some(fd.server.base().to_owned()),
        ..VerifyOptions::default()
    };
    let v = match fd.desk.verify_token(&token, opts).await {
        Ok(v) => v,
        Err(e) => panic!("{case}: an unusable JWKS is a failed check, not an error: {e}"),
    };
    assert_within(started, 2 * TIMEOUT + QUICK, case);
    let sig = v
        .findings
        .checks
        .iter()
        .find(|c| c.name == "signature")
        .unwrap_or_else(|| panic!("{case}: a signature check: {:?}", v.findings.checks));
    assert_eq!(
        sig.status,
        CheckStatus::Fail,
        "{case}: the signature is not verified"
    );
    assert!(v.failed > 0, "{case}: the verification counts the failure");
    assert!(
        fd.server.hits("/jwks") >= 1,
        "{case}: the JWKS was asked for"
    );
    assert_eq!(
        fd.server.hits("/elsewhere"),
        0,
        "{case}: no redirect was followed"
    );
    fd.assert_clean(&[&sig.reason], case).await;
    sig.reason.clone()
}

#[tokio::test]
async fn an_unusable_jwks_fails_the_signature_check_in_words() {
    for (case, fault, says) in [
        ("jwks hang", Fault::Hang, "did not answer within 2 s"),
        (
            "jwks 503",
            Fault::html(503, "Service Unavailable"),
            "HTTP 503",
        ),
        ("jwks not JSON", Fault::invalid_json(), "not JSON"),
        (
            "jwks without keys",
            Fault::json(200, &json!({"keys": "none"})),
            "no `keys` array",
        ),
        ("jwks empty reply", Fault::Refuse, "could not reach"),
        (
            "jwks huge",
            Fault::Huge {
                len: 3 << 20,
                declared: true,
                tail: String::new(),
            },
            "larger than 2097152 bytes",
        ),
    ] {
        let reason = signature_with_jwks(|_| fault, case).await;
        assert_says(&reason, &["keys could not be fetched", says], case);
    }
}

#[tokio::test]
async fn a_jwks_redirect_is_not_followed() {
    let reason =
        signature_with_jwks(|s| Fault::redirect(&s.url("/elsewhere")), "jwks redirect").await;
    assert_says(
        &reason,
        &["keys could not be fetched", "HTTP 302"],
        "jwks redirect",
    );
}

#[tokio::test]
async fn garbage_keys_in_the_jwks_are_a_failed_check_not_a_crash() {
    let jwks = json!({"keys": [
        {"kty": "RSA", "kid": "k1", "n": 12, "e": ["AQAB"]},
        {"kty": "EC", "kid": "k1", "crv": "P-999", "x": "AA", "y": "AA"},
        "not a key",
    ]});
    let reason = signature_with_jwks(|_| Fault::json(200, &jwks), "garbage keys").await;
    assert!(reason.len() > 10, "the failed check says why: {reason:?}");
}
