//! Revocation (RFC 7009), introspection (RFC 7662) and userinfo (OIDC Core §5.3) misbehaving,
//! for a logged-in grant (in-process `Desk`, listing secret store, 2 s HTTP timeouts): each
//! failure says what happened, nothing is forgotten that the server did not revoke, and no
//! secret is shown.

mod faults_support;

use faults_support::*;
use oauthdesk_core::model::GrantStatus;
use oauthdesk_core::{GrantRef, RevokeWhich};
use oauthdesk_tests::fault_server::{Fault, FaultServer};
use serde_json::json;
use std::time::Instant;

const APP: GrantRef<'static> = GrantRef::Current("app");

/// A logged-in desk whose `path` answers `fault`.
async fn desk_with(path: &str, fault: Fault) -> FaultDesk {
    let fd = fault_desk(FaultServer::start()).await;
    fd.logged_in().await;
    fd.server.route(path, fault);
    fd
}

/// The grant is as the login left it: active, both tokens in the keychain.
async fn grant_untouched(fd: &FaultDesk, case: &str) {
    let g = fd.current().await;
    assert_eq!(
        g.status,
        GrantStatus::Active,
        "{case}: the grant stays active"
    );
    assert!(
        g.has_access_token && g.has_refresh_token,
        "{case}: the grant still has both tokens"
    );
    assert_eq!(
        fd.stored_access_token(&g).as_deref(),
        Some("SECRET-at-1"),
        "{case}: the keychain still holds the access token"
    );
}

#[tokio::test]
async fn a_failed_revocation_forgets_nothing() {
    for (case, fault, says) in [
        (
            "revocation 503",
            Fault::html(503, "Service Unavailable"),
            "HTTP 503",
        ),
        ("revocation empty reply", Fault::Refuse, "could not reach"),
        ("revocation 400 empty", Fault::empty(400), "HTTP 400"),
    ] {
        let fd = desk_with("/revoke", fault).await;
        let started = Instant::now();
        let e = fd
            .desk
            .revoke(APP, RevokeWhich::All)
            .await
            .expect_err("the revocation fails");
        assert_within(started, QUICK, case);
        assert_says(&e.to_string(), &[says], case);
        grant_untouched(&fd, case).await;
        fd.assert_clean(&[&shown(&e)], case).await;
    }
}

#[tokio::test]
async fn a_hanging_revocation_times_out_and_forgets_nothing() {
    let fd = desk_with("/revoke", Fault::Hang).await;
    let started = Instant::now();
    let e = fd
        .desk
        .revoke(APP, RevokeWhich::Access)
        .await
        .expect_err("the revocation times out");
    assert_within(started, TIMEOUT + QUICK, "revocation hang");
    assert_says(
        &e.to_string(),
        &["did not answer within 2 s"],
        "revocation hang",
    );
    grant_untouched(&fd, "revocation hang").await;
    fd.assert_clean(&[&shown(&e)], "revocation hang").await;
}

#[tokio::test]
async fn a_revocation_redirect_is_not_followed() {
    let fd = fault_desk(FaultServer::start()).await;
    fd.logged_in().await;
    fd.server
        .route("/revoke", Fault::redirect(&fd.server.url("/elsewhere")));
    fd.server.route("/elsewhere", Fault::empty(200));
    let e = fd
        .desk
        .revoke(APP, RevokeWhich::All)
        .await
        .expect_err("a redirect is no revocation");
    assert_says(&e.to_string(), &["HTTP 302"], "revocation redirect");
    assert_eq!(
        fd.server.hits("/elsewhere"),
        0,
        "the token was not sent on to the redirect's target"
    );
    grant_untouched(&fd, "revocation redirect").await;
    fd.assert_clean(&[&shown(&e)], "revocation redirect").await;
}

#[tokio::test]
async fn any_200_body_is_a_revocation() {
    let fd = desk_with("/revoke", Fault::html(200, "Revoked, thanks")).await;
    let view = fd
        .desk
        .revoke(APP, RevokeWhich::All)
        .await
        .expect("RFC 7009 §2.2: HTTP 200 means revoked, whatever the body");
    assert_eq!(view.status, GrantStatus::Revoked, "the grant is revoked");
    assert_eq!(
        fd.server.hits("/revoke"),
        2,
        "refresh token, then access token"
    );
    fd.assert_clean(&[], "revocation 200 HTML").await;
}

#[tokio::test]
async fn a_revocation_that_fails_halfway_records_what_the_server_revoked() {
    // The refresh token is revoked (200), the access token's revocation then fails (503).
    let halfway = Fault::Sequence(vec![Fault::empty(200), Fault::html(503, "Down")]);
    let fd = desk_with("/revoke", halfway).await;
    let e = fd
        .desk
        .revoke(APP, RevokeWhich::All)
        .await
        .expect_err("the second revocation fails");
    assert_says(&e.to_string(), &["HTTP 503"], "halfway revocation");
    let g = fd.current().await;
    assert!(
        !g.has_refresh_token,
        "the refresh token the server revoked is forgotten here too, not kept as if valid: {g:?}"
    );
    fd.assert_clean(&[&shown(&e)], "halfway revocation").await;
}

#[tokio::test]
async fn broken_introspection_answers_are_named() {
    for (case, fault, says) in [
        ("introspection not JSON", Fault::invalid_json(), "not JSON"),
        (
            "introspection array",
            Fault::json(200, &json!([{"active": true}])),
            "not an object",
        ),
        (
            "introspection active as a string",
            Fault::json(200, &json!({"active": "true", "token": "SECRET-at-1"})),
            "no boolean `active`",
        ),
        ("introspection 401 empty", Fault::empty(401), "HTTP 401"),
        (
            "introspection huge",
            Fault::Huge {
                len: 3 << 20,
                declared: true,
                tail: String::new(),
            },
            "larger than 2097152 bytes",
        ),
    ] {
        let fd = desk_with("/introspect", fault).await;
        let started = Instant::now();
        let e = fd
            .desk
            .introspect(APP, false)
            .await
            .expect_err("the introspection answer is unusable");
        assert_within(started, QUICK, case);
        assert_says(&e.to_string(), &[says], case);
        grant_untouched(&fd, case).await;
        fd.assert_clean(&[&shown(&e)], case).await;
    }
}

#[tokio::test]
async fn a_hanging_introspection_times_out() {
    let fd = desk_with("/introspect", Fault::Hang).await;
    let started = Instant::now();
    let e = fd
        .desk
        .introspect(APP, true)
        .await
        .expect_err("the introspection times out");
    assert_within(started, TIMEOUT + QUICK, "introspection hang");
    assert_says(
        &e.to_string(),
        &["did not answer within 2 s"],
        "introspection hang",
    );
    fd.assert_clean(&[&shown(&e)], "introspection hang").await;
}

#[tokio::test]
async fn broken_userinfo_answers_are_named() {
    let full = r#"{"sub":"alice","email":"alice@example.test"}"#;
    for (case, fault, says) in [
        (
            "userinfo 500 page",
            Fault::html(500, "Internal Server Error"),
            "HTTP 500",
        ),
        (
            "userinfo truncated",
            Fault::truncated_json(full, 20),
            "not JSON",
        ),
        ("userinfo empty reply", Fault::Refuse, "could not reach"),
        ("userinfo 401 empty", Fault::empty(401), "HTTP 401"),
    ] {
        let fd = desk_with("/userinfo", fault).await;
        let started = Instant::now();
        let e = fd.desk.userinfo(APP).await.expect_err("userinfo fails");
        assert_within(started, QUICK, case);
        assert_says(&e.to_string(), &[says], case);
        grant_untouched(&fd, case).await;
        fd.assert_clean(&[&shown(&e)], case).await;
    }
}

#[tokio::test]
async fn a_userinfo_redirect_does_not_carry_the_token_on() {
    let fd = fault_desk(FaultServer::start()).await;
    fd.logged_in().await;
    fd.server
        .route("/userinfo", Fault::redirect(&fd.server.url("/elsewhere")));
    fd.server
        .route("/elsewhere", Fault::json(200, &json!({"sub": "mallory"})));
    let e = fd
        .desk
        .userinfo(APP)
        .await
        .expect_err("a redirect is no userinfo");
    assert_says(&e.to_string(), &["HTTP 302"], "userinfo redirect");
    assert_eq!(
        fd.server.hits("/elsewhere"),
        0,
        "the bearer token was not sent on to the redirect's target"
    );
    fd.assert_clean(&[&shown(&e)], "userinfo redirect").await;
}

#[tokio::test]
async fn a_hanging_userinfo_times_out() {
    let fd = desk_with("/userinfo", Fault::Hang).await;
    let started = Instant::now();
    let e = fd.desk.userinfo(APP).await.expect_err("userinfo times out");
    assert_within(started, TIMEOUT + QUICK, "userinfo hang");
    assert_says(
        &e.to_string(),
        &["did not answer within 2 s"],
        "userinfo hang",
    );
    grant_untouched(&fd, "userinfo hang").await;
    fd.assert_clean(&[&shown(&e)], "userinfo hang").await;
}

#[tokio::test]
async fn control_characters_in_a_userinfo_error_are_escaped() {
    // (In a WWW-Authenticate header they never arrive: the HTTP client refuses control
    // characters in header values.)
    let body = json!({"error": "invalid_token", "error_description": "gone\u{1b}]0;pwned\u{7}"});
    let fd = desk_with("/userinfo", Fault::json(401, &body)).await;
    let e = fd.desk.userinfo(APP).await.expect_err("401");
    let text = e.to_string();
    assert_says(&text, &["invalid_token", "gone"], "userinfo error");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "no raw ESC or BEL from the server reaches the terminal: {text:?}"
    );
    fd.assert_clean(&[&shown(&e)], "userinfo error").await;
}
