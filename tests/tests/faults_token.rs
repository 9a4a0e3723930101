//! The token endpoint misbehaving during a login (client credentials, in-process `Desk` with a
//! listing secret store and 2 s HTTP timeouts): every failure is a message in words, within a
//! bounded time, with nothing stored and no secret shown. Refresh: faults_refresh.rs.

mod faults_support;

use faults_support::*;
use oauthdesk_core::CoreError;
use oauthdesk_core::model::GrantView;
use oauthdesk_tests::fault_server::{Fault, FaultServer, closed_port_url};
use serde_json::json;
use std::time::{Duration, Instant};

/// Logs in against `fault` at /token; returns the desk (for the after-checks), the error and
/// how long it took.
async fn failed_login(fault: Fault) -> (FaultDesk, CoreError, Duration) {
    let fd = fault_desk(FaultServer::with_routes([("/token", fault)])).await;
    fd.add_explicit_client().await;
    let started = Instant::now();
    let result = fd.login_cc().await;
    let took = started.elapsed();
    match result {
        Ok(g) => panic!("the login must fail, yet it stored grant {g:?}"),
        Err(e) => (fd, e, took),
    }
}

/// Logs in against `fault` expecting success.
async fn tolerated_login(fault: Fault, case: &str) -> (FaultDesk, GrantView) {
    let fd = fault_desk(FaultServer::with_routes([("/token", fault)])).await;
    fd.add_explicit_client().await;
    let started = Instant::now();
    let view = match fd.login_cc().await {
        Ok(v) => v,
        Err(e) => panic!("{case}: the login is tolerated, yet it failed: {e}"),
    };
    assert_within(started, QUICK, case);
    (fd, view)
}

/// The after-checks of a failed login: nothing stored, nothing leaked.
async fn nothing_stored(fd: &FaultDesk, err: &CoreError, case: &str) {
    assert!(
        fd.desk.grants(None).await.unwrap().is_empty(),
        "{case}: a failed login stores no grant"
    );
    fd.assert_clean(&[&shown(err)], case).await;
}

#[tokio::test]
async fn an_empty_reply_says_the_server_could_not_be_reached() {
    let (fd, e, took) = failed_login(Fault::Refuse).await;
    let text = e.to_string();
    assert_says(
        &text,
        &["could not reach", &fd.server.url("/token")],
        "empty reply",
    );
    assert!(took < QUICK, "an empty reply fails at once ({took:?})");
    assert_eq!(
        fd.server.hits("/token"),
        1,
        "the login sent one token request"
    );
    nothing_stored(&fd, &e, "empty reply").await;
}

#[tokio::test]
async fn a_refused_connection_says_the_server_could_not_be_reached() {
    let fd = fault_desk(FaultServer::start()).await;
    let dead = closed_port_url("/token");
    let mut spec = spec("app", None);
    spec.endpoints.token = Some(dead.clone());
    fd.desk
        .add_client(
            spec,
            Some(oauthdesk_protocol::CredentialInput::new(CLIENT_SECRET)),
        )
        .await
        .expect("client added");
    let started = Instant::now();
    let e = fd.login_cc().await.expect_err("nothing listens there");
    assert_within(started, QUICK, "connection refused");
    assert_says(
        &e.to_string(),
        &["could not reach", &dead],
        "connection refused",
    );
    nothing_stored(&fd, &e, "connection refused").await;
}

#[tokio::test]
async fn a_hanging_token_endpoint_times_out_and_says_after_how_long() {
    let (fd, e, took) = failed_login(Fault::Hang).await;
    assert_says(&e.to_string(), &["did not answer within 2 s"], "hang");
    assert!(
        took >= TIMEOUT - Duration::from_millis(200) && took < TIMEOUT + QUICK,
        "a hang ends at the configured timeout (took {took:?})"
    );
    nothing_stored(&fd, &e, "hang").await;
}

#[tokio::test]
async fn a_body_that_stalls_halfway_times_out_too() {
    let stall = Fault::StallBody {
        declared: 400,
        sent: r#"{"access_token":"SECRET-at-9","tok"#.into(),
    };
    let (fd, e, took) = failed_login(stall).await;
    assert_says(&e.to_string(), &["within 2 s"], "stalled body");
    assert!(
        took < TIMEOUT + QUICK,
        "a stalled body is bounded ({took:?})"
    );
    nothing_stored(&fd, &e, "stalled body").await;
}

#[tokio::test]
async fn a_5xx_html_page_is_reported_with_its_status() {
    let (fd, e, _) = failed_login(Fault::html(503, "Service Unavailable")).await;
    assert_says(
        &e.to_string(),
        &["HTTP 503", "Service Unavailable"],
        "503 page",
    );
    assert!(e.oauth().is_none(), "an HTML page is no OAuth error");
    nothing_stored(&fd, &e, "503 page").await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_named() {
    let (fd, e, _) = failed_login(Fault::invalid_json()).await;
    assert_says(&e.to_string(), &["not JSON", "HTTP 200"], "invalid JSON");
    nothing_stored(&fd, &e, "invalid JSON").await;
}

#[tokio::test]
async fn truncated_json_is_refused_without_showing_the_token() {
    let full = token_response(7).to_string();
    let cut = full.find("SECRET-rt-7").expect("refresh token in the body") + 8;
    let (fd, e, _) = failed_login(Fault::truncated_json(&full, cut)).await;
    assert_says(&e.to_string(), &["not JSON"], "truncated JSON");
    nothing_stored(&fd, &e, "truncated JSON").await;
}

#[tokio::test]
async fn truncated_json_with_base64_padding_is_not_taken_for_a_form() {
    // No blank and an `=` (a padded opaque token): the shape the redaction treats as a form.
    let full =
        r#"{"access_token":"SECRET-at-7==","refresh_token":"SECRET-rt-7==","token_type":"Bearer"}"#;
    let cut = full.find("token_type").expect("token_type in the body");
    let (fd, e, _) = failed_login(Fault::truncated_json(full, cut)).await;
    assert_says(&e.to_string(), &["not JSON"], "truncated padded JSON");
    nothing_stored(&fd, &e, "truncated padded JSON").await;
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_a_transport_error() {
    let short = Fault::ShortBody {
        content_type: "application/json".into(),
        body: r#"{"access_token":"SECRET-at-8","#.into(),
        declared: 500,
    };
    let (fd, e, took) = failed_login(short).await;
    assert_says(&e.to_string(), &["could not reach"], "short body");
    assert!(took < QUICK, "a closed connection fails at once ({took:?})");
    nothing_stored(&fd, &e, "short body").await;
}

#[tokio::test]
async fn a_huge_body_is_refused_at_the_cap_declared_or_not() {
    for declared in [true, false] {
        let case = format!("huge body (Content-Length declared: {declared})");
        let huge = Fault::Huge {
            len: 3 * 1024 * 1024,
            declared,
            tail: token_response(6).to_string(),
        };
        let (fd, e, took) = failed_login(huge).await;
        assert_says(&e.to_string(), &["larger than 2097152 bytes"], &case);
        assert!(
            took < QUICK,
            "{case}: refused without reading it all ({took:?})"
        );
        nothing_stored(&fd, &e, &case).await;
    }
}

#[tokio::test]
async fn a_redirect_is_never_followed() {
    let fd = fault_desk(FaultServer::start()).await;
    fd.server
        .route("/token", Fault::redirect(&fd.server.url("/elsewhere")));
    fd.server
        .route("/elsewhere", Fault::json(200, &token_response(5)));
    fd.add_explicit_client().await;
    let e = fd
        .login_cc()
        .await
        .expect_err("a redirect is no token response");
    assert_says(&e.to_string(), &["HTTP 302"], "redirect");
    assert_eq!(
        fd.server.hits("/elsewhere"),
        0,
        "the redirect was not followed (credentials would go with it)"
    );
    nothing_stored(&fd, &e, "redirect").await;
}

#[tokio::test]
async fn json_under_another_content_type_is_tolerated_and_recorded() {
    let body = token_response(4);
    let fault = Fault::wrong_content_type(200, "text/html", &body);
    let (fd, view) = tolerated_login(fault, "text/html JSON").await;
    assert!(
        view.deviations
            .iter()
            .any(|d| d.code == "content_type_not_json"),
        "the content type is recorded as a deviation: {:?}",
        view.deviations
    );
    fd.assert_clean(&[], "text/html JSON").await;
}

#[tokio::test]
async fn a_missing_or_non_string_access_token_is_named() {
    for (case, body) in [
        ("missing access_token", json!({"token_type": "Bearer"})),
        (
            "numeric access_token",
            json!({"access_token": 42, "token_type": "Bearer"}),
        ),
        (
            "object access_token",
            json!({"access_token": {"v": "SECRET-at-3"}}),
        ),
    ] {
        let (fd, e, _) = failed_login(Fault::json(200, &body)).await;
        assert_says(&e.to_string(), &["no access_token"], case);
        nothing_stored(&fd, &e, case).await;
    }
}

#[tokio::test]
async fn oddly_typed_optional_members_do_not_break_the_login() {
    let body = json!({
        "access_token": "SECRET-at-2", "token_type": 7, "scope": {"a": 1},
        "refresh_token": ["SECRET-rt-2"], "expires_in": true,
    });
    let (fd, view) = tolerated_login(Fault::json(200, &body), "odd types").await;
    assert_eq!(view.expires_at, None, "a boolean expires_in is ignored");
    assert!(
        view.deviations
            .iter()
            .any(|d| d.code == "expires_in_invalid"),
        "the odd expires_in is recorded: {:?}",
        view.deviations
    );
    fd.assert_clean(&[], "odd types").await;
}

async fn absurd_expiry(expires: &str) {
    let case = format!("expires_in {expires}");
    let fault = Fault::json_text(200, &token_response_expiring(1, expires));
    let fd = fault_desk(FaultServer::with_routes([("/token", fault)])).await;
    fd.add_explicit_client().await;
    let result = tokio::spawn(async move {
        let r = fd.login_cc().await.map_err(|e| e.to_string());
        (fd, r)
    })
    .await;
    let (fd, view) = match result {
        Ok((fd, Ok(view))) => (fd, view),
        Ok((_, Err(e))) => {
            panic!("{case}: the token is usable even if its lifetime is absurd: {e}")
        }
        Err(p) => panic!("{case}: the login must not panic: {p}"),
    };
    let now = fd.desk.now();
    assert!(
        view.expires_at.is_none_or(|t| t > now),
        "{case}: the expiry is absent or in the future, not wrapped around: {:?}",
        view.expires_at
    );
    fd.assert_clean(&[], &case).await;
}

#[tokio::test]
async fn expires_in_1e30_does_not_overflow() {
    absurd_expiry("1e30").await;
}

#[tokio::test]
async fn expires_in_i64_max_does_not_overflow() {
    absurd_expiry("9223372036854775807").await;
}

#[tokio::test]
async fn expires_in_negative_means_expired_and_the_next_token_asks_again() {
    let fault = Fault::json_text(200, &token_response_expiring(1, "-1"));
    let (fd, view) = tolerated_login(fault, "expires_in -1").await;
    assert!(
        view.expires_at.is_some_and(|t| t <= fd.desk.now()),
        "a negative lifetime is already expired: {:?}",
        view.expires_at
    );
    fd.server
        .route("/token", Fault::json(200, &token_response(2)));
    let (token, _) = fd
        .desk
        .token(oauthdesk_core::GrantRef::Current("app"), 0)
        .await
        .expect("a new token");
    assert_eq!(
        token.expose(),
        "SECRET-at-2",
        "the expired token is not handed out"
    );
    fd.assert_clean(&[], "expires_in -1").await;
}

#[tokio::test]
async fn expires_in_as_a_string_is_parsed_and_recorded() {
    let fault = Fault::json_text(200, &token_response_expiring(1, r#""3600""#));
    let (fd, view) = tolerated_login(fault, "expires_in \"3600\"").await;
    let left = view.expires_at.map(|t| t - fd.desk.now());
    assert!(
        left.is_some_and(|l| (3590..=3600).contains(&l)),
        "\"3600\" means an hour: {left:?}"
    );
    assert!(
        view.deviations
            .iter()
            .any(|d| d.code == "expires_in_string"),
        "the string is recorded as a deviation: {:?}",
        view.deviations
    );
    fd.assert_clean(&[], "expires_in \"3600\"").await;
}

#[tokio::test]
async fn control_characters_in_error_description_are_escaped_when_shown() {
    let body = json!({
        "error": "invalid_client",
        "error_description": "bad client\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}gnirts",
    });
    let (fd, e, _) = failed_login(Fault::json(401, &body)).await;
    let text = e.to_string();
    assert!(
        !text
            .chars()
            .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'),
        "no raw ESC, BEL or bidi override reaches the terminal: {text:?}"
    );
    assert_says(
        &text,
        &["invalid_client", "bad client", "\\u{1b}"],
        "escaped description",
    );
    nothing_stored(&fd, &e, "hostile error_description").await;
}

#[tokio::test]
async fn a_400_with_an_empty_body_says_so() {
    let (fd, e, _) = failed_login(Fault::empty(400)).await;
    assert_says(&e.to_string(), &["HTTP 400"], "400 empty");
    nothing_stored(&fd, &e, "400 empty").await;
}
