//! Pushed authorization requests (RFC 9126) and dynamic client registration (RFC 7591)
//! misbehaving, against an issuer whose metadata the fault server serves (in-process `Desk`,
//! listing secret store, 2 s HTTP timeouts). A failed push opens no browser and stores no grant;
//! a failed registration stores no client and no secret.

mod faults_support;

use faults_support::*;
use oauthdesk_core::CoreError;
use oauthdesk_core::desk::RegistrationRequest;
use oauthdesk_core::model::GrantType;
use oauthdesk_protocol::CredentialInput;
use oauthdesk_protocol::client_auth::AuthMethod;
use oauthdesk_tests::fault_server::{Fault, FaultServer};
use serde_json::json;
use std::time::Instant;

const OIDC: &str = "/.well-known/openid-configuration";

/// A server with its metadata at the OIDC well-known path and `path` answering `fault`.
fn issuer_with(path: &str, fault: impl FnOnce(&FaultServer) -> Fault) -> FaultServer {
    let server = FaultServer::start();
    server.route(
        OIDC,
        Fault::json(200, &discovery_document(&server, json!({}))),
    );
    server.route(path, fault(&server));
    server.route(
        "/elsewhere",
        Fault::json(200, &json!({"request_uri": "urn:x", "client_id": "x"})),
    );
    server
}

/// A PAR client "app" logging in against a /par answering `fault`; must fail.
async fn failed_push(
    fault: impl FnOnce(&FaultServer) -> Fault,
    case: &str,
) -> (FaultDesk, CoreError) {
    let fd = fault_desk(issuer_with("/par", fault)).await;
    let mut spec = spec("app", Some(fd.server.base()));
    spec.par = true;
    fd.desk
        .add_client(spec, Some(CredentialInput::new(CLIENT_SECRET)))
        .await
        .expect("the client is added by discovery");
    let started = Instant::now();
    let e = match fd.login(GrantType::AuthorizationCode).await {
        Ok(g) => panic!("{case}: the login must fail at the push, yet stored {g:?}"),
        Err(e) => e,
    };
    assert_within(started, TIMEOUT + QUICK, case);
    assert_eq!(fd.server.hits("/par"), 1, "{case}: one push");
    assert!(
        fd.opened().is_empty(),
        "{case}: no browser was opened after a failed push"
    );
    assert_eq!(
        fd.server.hits("/elsewhere"),
        0,
        "{case}: no redirect was followed"
    );
    assert!(
        fd.desk.grants(None).await.unwrap().is_empty(),
        "{case}: no grant stored"
    );
    fd.assert_clean(&[&shown(&e)], case).await;
    (fd, e)
}

#[tokio::test]
async fn a_failing_push_opens_no_browser() {
    for (case, fault, says) in [
        (
            "par 503",
            Fault::html(503, "Service Unavailable"),
            "HTTP 503",
        ),
        ("par not JSON", Fault::invalid_json(), "not JSON"),
        ("par empty reply", Fault::Refuse, "could not reach"),
        ("par 400 empty", Fault::empty(400), "HTTP 400"),
        ("par hang", Fault::Hang, "did not answer within 2 s"),
        (
            "par error",
            Fault::json(
                400,
                &json!({"error": "invalid_request", "error_description": "bad"}),
            ),
            "invalid_request",
        ),
    ] {
        let (_, e) = failed_push(|_| fault, case).await;
        assert_says(&e.to_string(), &[says], case);
    }
}

#[tokio::test]
async fn a_push_answer_without_a_usable_request_uri_is_named() {
    for (case, body) in [
        ("no request_uri", json!({"expires_in": 60})),
        (
            "numeric request_uri",
            json!({"request_uri": 7, "expires_in": 60}),
        ),
    ] {
        let (_, e) = failed_push(|_| Fault::json(201, &body), case).await;
        assert_says(&e.to_string(), &["no request_uri"], case);
    }
}

#[tokio::test]
async fn a_push_redirect_is_not_followed() {
    let (_, e) = failed_push(|s| Fault::redirect(&s.url("/elsewhere")), "par redirect").await;
    assert_says(&e.to_string(), &["HTTP 302"], "par redirect");
}

fn registration(issuer: &str) -> RegistrationRequest {
    RegistrationRequest {
        name: "dyn".into(),
        issuer: issuer.into(),
        scopes: "api".into(),
        auth_method: AuthMethod::ClientSecretBasic,
        grant_types: vec![],
        id_token_alg: None,
        insecure: false,
        redirect_uri: None,
        extra_params: vec![],
        dpop: false,
    }
}

/// Registers "dyn" at a /register answering `fault`; must fail and leave nothing.
async fn failed_registration(
    fault: impl FnOnce(&FaultServer) -> Fault,
    case: &str,
) -> (FaultDesk, CoreError) {
    let fd = fault_desk(issuer_with("/register", fault)).await;
    let started = Instant::now();
    let result = fd
        .desk
        .register_client(registration(fd.server.base()), None)
        .await;
    assert_within(started, TIMEOUT + QUICK, case);
    let e = match result {
        Ok(c) => panic!("{case}: the registration must fail, yet stored {c:?}"),
        Err(e) => e,
    };
    assert_eq!(
        fd.server.hits("/register"),
        1,
        "{case}: one registration request"
    );
    assert_eq!(
        fd.server.hits("/elsewhere"),
        0,
        "{case}: no redirect was followed"
    );
    assert!(
        fd.desk.list_clients().await.unwrap().is_empty(),
        "{case}: no client stored"
    );
    assert!(
        fd.store.keys().is_empty(),
        "{case}: no secret stored: {:?}",
        fd.store.keys()
    );
    fd.assert_clean(&[&shown(&e)], case).await;
    (fd, e)
}

#[tokio::test]
async fn a_failing_registration_endpoint_stores_nothing() {
    for (case, fault, says) in [
        (
            "dcr 503",
            Fault::html(503, "Service Unavailable"),
            "HTTP 503",
        ),
        ("dcr not JSON", Fault::invalid_json(), "not JSON"),
        ("dcr empty reply", Fault::Refuse, "could not reach"),
        ("dcr hang", Fault::Hang, "did not answer within 2 s"),
        (
            "dcr refused",
            Fault::json(400, &json!({"error": "invalid_client_metadata"})),
            "invalid_client_metadata",
        ),
        (
            "dcr huge",
            Fault::Huge {
                len: 3 << 20,
                declared: false,
                tail: String::new(),
            },
            "larger than 2097152 bytes",
        ),
    ] {
        let (_, e) = failed_registration(|_| fault, case).await;
        assert_says(&e.to_string(), &[says], case);
    }
}

#[tokio::test]
async fn a_registration_without_a_usable_client_id_is_named() {
    for (case, body) in [
        ("no client_id", json!({"client_secret": "SECRET-cs-dcr"})),
        (
            "numeric client_id",
            json!({"client_id": 42, "client_secret": "SECRET-cs-dcr"}),
        ),
    ] {
        let (_, e) = failed_registration(|_| Fault::json(201, &body), case).await;
        assert_says(&e.to_string(), &["no client_id"], case);
    }
}

#[tokio::test]
async fn a_truncated_registration_shows_no_secret() {
    let full = json!({
        "client_id": "dyn-1",
        "client_secret": "SECRET-cs-dcr-0123456789",
        "registration_access_token": "SECRET-rat-0123456789",
    })
    .to_string();
    let cut = full.find("SECRET-rat").expect("token in the body") + 12;
    let (_, e) = failed_registration(|_| Fault::truncated_json(&full, cut), "dcr truncated").await;
    assert_says(&e.to_string(), &["not JSON"], "dcr truncated");
}

#[tokio::test]
async fn a_registration_redirect_is_not_followed() {
    let (_, e) =
        failed_registration(|s| Fault::redirect(&s.url("/elsewhere")), "dcr redirect").await;
    assert_says(&e.to_string(), &["HTTP 302"], "dcr redirect");
}

#[tokio::test]
async fn metadata_without_a_registration_endpoint_is_named() {
    let server = FaultServer::start();
    let doc = discovery_document(&server, json!({"registration_endpoint": null}));
    server.route(OIDC, Fault::json(200, &doc));
    let fd = fault_desk(server).await;
    let e = fd
        .desk
        .register_client(registration(fd.server.base()), None)
        .await
        .expect_err("no registration endpoint");
    assert_says(
        &e.to_string(),
        &["no registration_endpoint"],
        "no registration endpoint",
    );
    assert!(
        fd.desk.list_clients().await.unwrap().is_empty(),
        "no client stored"
    );
    fd.assert_clean(&[&shown(&e)], "no registration endpoint")
        .await;
}
