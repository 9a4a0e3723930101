//! The token endpoint misbehaving on a refresh (in-process `Desk`, listing secret store, 2 s
//! HTTP timeouts). A refusal (4xx, also with an empty body) makes the grant `needs_login`; a
//! fault (5xx, timeout, broken connection) keeps it active, its tokens unchanged, and retryable.

mod faults_support;

use faults_support::*;
use oauthdesk_core::model::GrantStatus;
use oauthdesk_core::{CoreError, GrantRef};
use oauthdesk_tests::fault_server::{Fault, FaultServer};
use serde_json::json;
use std::time::{Duration, Instant};

/// "app" logged in with SECRET-at-1/SECRET-rt-1; then /token answers `fault` to a refresh.
/// Returns the desk, the refresh's error and how long it took.
async fn failed_refresh(fault: Fault, case: &str) -> (FaultDesk, CoreError, Duration) {
    let fd = fault_desk(FaultServer::start()).await;
    fd.logged_in().await;
    fd.server.route("/token", fault);
    let started = Instant::now();
    let result = fd.refresh().await;
    let took = started.elapsed();
    let requests = fd.server.requests("/token");
    assert_eq!(requests.len(), 2, "{case}: a login and one refresh request");
    assert_eq!(
        requests[1].form("grant_type").as_deref(),
        Some("refresh_token"),
        "{case}: the second request is the refresh"
    );
    match result {
        Ok(v) => panic!("{case}: the refresh must fail, yet it gave {v:?}"),
        Err(e) => (fd, e, took),
    }
}

/// After a fault: still active with the old tokens, and a healthy server refreshes it.
async fn kept_and_retryable(fd: &FaultDesk, err: &CoreError, case: &str) {
    assert!(
        !matches!(err, CoreError::NeedsLogin { .. }),
        "{case}: a fault is no refusal, no new login is asked for: {err}"
    );
    let g = fd.current().await;
    assert_eq!(
        g.status,
        GrantStatus::Active,
        "{case}: the grant stays active"
    );
    assert_eq!(
        fd.stored_access_token(&g).as_deref(),
        Some("SECRET-at-1"),
        "{case}: the keychain still holds the old access token"
    );
    fd.assert_clean(&[&shown(err)], case).await;
    fd.server
        .route("/token", Fault::json(200, &token_response(2)));
    let renewed = fd
        .refresh()
        .await
        .unwrap_or_else(|e| panic!("{case}: the refresh can be retried: {e}"));
    assert_eq!(renewed.refresh_count, 1, "{case}: the retry refreshed it");
    assert_eq!(
        fd.stored_access_token(&renewed).as_deref(),
        Some("SECRET-at-2"),
        "{case}: the retry stored the new access token"
    );
    fd.assert_clean(&[], case).await;
}

/// After a refusal: `needs_login`, its tokens kept (for revocation), nothing leaked.
async fn needs_login(fd: &FaultDesk, err: &CoreError, case: &str) {
    assert!(
        matches!(err, CoreError::NeedsLogin { .. }),
        "{case}: a refusal asks for a new login: {err}"
    );
    assert_says(&err.to_string(), &["oauthdesk login app"], case);
    let g = fd.current().await;
    assert_eq!(
        g.status,
        GrantStatus::NeedsLogin,
        "{case}: the grant needs a login"
    );
    fd.assert_clean(&[&shown(err)], case).await;
    let again = fd.desk.token(GrantRef::Current("app"), 0).await;
    assert!(
        matches!(again, Err(CoreError::NeedsLogin { .. })),
        "{case}: the grant hands out nothing until the next login"
    );
}

#[tokio::test]
async fn a_refresh_refused_with_an_empty_400_needs_a_login_and_is_recorded() {
    let (fd, e, took) = failed_refresh(Fault::empty(400), "400 empty").await;
    assert!(took < QUICK, "an empty 400 is answered at once ({took:?})");
    assert_says(&e.to_string(), &["HTTP 400"], "400 empty");
    needs_login(&fd, &e, "400 empty").await;
    let g = fd.current().await;
    assert!(
        !g.deviations.is_empty()
            && g.deviations.iter().any(|d| d.detail.contains("400")
                && (d.detail.contains("no OAuth error") || d.detail.contains("empty"))),
        "the refusal without an error body is recorded as a deviation: {:?}",
        g.deviations
    );
}

#[tokio::test]
async fn a_refresh_refused_with_invalid_grant_needs_a_login() {
    let body = json!({"error": "invalid_grant", "error_description": "refresh token expired"});
    let (fd, e, _) = failed_refresh(Fault::json(400, &body), "invalid_grant").await;
    assert_says(
        &e.to_string(),
        &["invalid_grant", "refresh token expired"],
        "invalid_grant",
    );
    needs_login(&fd, &e, "invalid_grant").await;
}

#[tokio::test]
async fn a_5xx_page_keeps_the_grant_active_and_retryable() {
    let (fd, e, _) = failed_refresh(Fault::html(502, "Bad Gateway"), "502 page").await;
    assert_says(&e.to_string(), &["HTTP 502", "Bad Gateway"], "502 page");
    kept_and_retryable(&fd, &e, "502 page").await;
}

#[tokio::test]
async fn a_5xx_oauth_error_keeps_the_grant_active() {
    let body = json!({"error": "temporarily_unavailable"});
    let (fd, e, _) = failed_refresh(Fault::json(503, &body), "503 temporarily_unavailable").await;
    assert_says(
        &e.to_string(),
        &["temporarily_unavailable"],
        "503 OAuth error",
    );
    kept_and_retryable(&fd, &e, "503 temporarily_unavailable").await;
}

#[tokio::test]
async fn a_hanging_refresh_times_out_says_after_how_long_and_keeps_the_grant() {
    let (fd, e, took) = failed_refresh(Fault::Hang, "hang").await;
    assert_says(&e.to_string(), &["did not answer within 2 s"], "hang");
    assert!(
        took >= TIMEOUT - Duration::from_millis(200) && took < TIMEOUT + QUICK,
        "the hang ends at the configured timeout ({took:?})"
    );
    kept_and_retryable(&fd, &e, "hang").await;
}

#[tokio::test]
async fn an_empty_reply_keeps_the_grant() {
    let (fd, e, _) = failed_refresh(Fault::Refuse, "empty reply").await;
    assert_says(&e.to_string(), &["could not reach"], "empty reply");
    kept_and_retryable(&fd, &e, "empty reply").await;
}

#[tokio::test]
async fn a_truncated_refresh_answer_shows_no_token_and_keeps_the_old_ones() {
    let full = token_response(3).to_string();
    let cut = full.find("SECRET-rt-3").expect("refresh token in the body") + 9;
    let fault = Fault::truncated_json(&full, cut);
    let (fd, e, _) = failed_refresh(fault, "truncated").await;
    assert_says(&e.to_string(), &["not JSON"], "truncated refresh answer");
    // A 200 that cannot be read is no refusal: the grant is kept.
    kept_and_retryable(&fd, &e, "truncated").await;
}

#[tokio::test]
async fn a_huge_refresh_answer_is_refused_at_the_cap_and_keeps_the_grant() {
    let huge = Fault::Huge {
        len: 3 * 1024 * 1024,
        declared: false,
        tail: token_response(4).to_string(),
    };
    let (fd, e, _) = failed_refresh(huge, "huge").await;
    assert_says(
        &e.to_string(),
        &["larger than 2097152 bytes"],
        "huge refresh answer",
    );
    kept_and_retryable(&fd, &e, "huge").await;
}

#[tokio::test]
async fn a_refresh_redirect_is_not_followed() {
    let fd = fault_desk(FaultServer::start()).await;
    fd.logged_in().await;
    fd.server
        .route("/token", Fault::redirect(&fd.server.url("/elsewhere")));
    fd.server
        .route("/elsewhere", Fault::json(200, &token_response(5)));
    let e = fd
        .refresh()
        .await
        .expect_err("a redirect is no token response");
    assert_says(&e.to_string(), &["HTTP 302"], "refresh redirect");
    assert_eq!(
        fd.server.hits("/elsewhere"),
        0,
        "the refresh token was not sent on to the redirect's target"
    );
    fd.assert_clean(&[&shown(&e)], "refresh redirect").await;
}

#[tokio::test]
async fn a_refresh_with_absurd_expiry_does_not_overflow() {
    for expires in ["1e30", "9223372036854775807"] {
        let case = format!("refresh with expires_in {expires}");
        let fd = fault_desk(FaultServer::start()).await;
        fd.logged_in().await;
        fd.server.route(
            "/token",
            Fault::json_text(200, &token_response_expiring(2, expires)),
        );
        let result = tokio::spawn(async move {
            let r = fd.refresh().await.map_err(|e| e.to_string());
            (fd, r)
        })
        .await;
        let (fd, view) = match result {
            Ok((fd, Ok(v))) => (fd, v),
            Ok((_, Err(e))) => panic!("{case}: the new token is usable: {e}"),
            Err(p) => panic!("{case}: the refresh must not panic: {p}"),
        };
        let now = fd.desk.now();
        assert!(
            view.expires_at.is_none_or(|t| t > now),
            "{case}: the expiry is absent or in the future: {:?}",
            view.expires_at
        );
        fd.assert_clean(&[], &case).await;
    }
}

#[tokio::test]
async fn token_on_an_expired_grant_during_an_outage_is_an_error_not_a_login() {
    let fd = fault_desk(FaultServer::start()).await;
    fd.logged_in().await;
    fd.server
        .route("/token", Fault::html(503, "Service Unavailable"));
    // The token is good for an hour; asking for two forces a refresh.
    let e = fd
        .desk
        .token(GrantRef::Current("app"), 7200)
        .await
        .expect_err("the refresh fails");
    assert_says(&e.to_string(), &["HTTP 503"], "token during an outage");
    kept_and_retryable(&fd, &e, "token during an outage").await;
}
