//! The device authorization grant (RFC 8628) against a misbehaving server (in-process `Desk`,
//! listing secret store, 2 s HTTP timeouts): the device authorization request failing, odd or
//! hostile answers to it, and the token endpoint failing while polling. Every case ends in
//! bounded time with a message, no grant and no secret shown.

mod faults_support;

use faults_support::*;
use oauthdesk_core::CoreError;
use oauthdesk_core::model::GrantType;
use oauthdesk_tests::fault_server::{Fault, FaultServer};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A device authorization answer polling every second for a minute, with `overrides`.
fn device_answer(server: &FaultServer, overrides: Value) -> Value {
    let mut v = json!({
        "device_code": "SECRET-dc-1",
        "user_code": "ABCD-EFGH",
        "verification_uri": server.url("/device-verify"),
        "expires_in": 60,
        "interval": 1,
    });
    if let (Some(m), Value::Object(o)) = (v.as_object_mut(), overrides) {
        m.extend(o);
    }
    v
}

fn denied() -> Fault {
    Fault::json(400, &json!({"error": "access_denied"}))
}

/// A device login of "app" with /device answering `device` and /token `token`; must fail.
async fn failed_device_login(
    device: impl FnOnce(&FaultServer) -> Fault,
    token: Fault,
    case: &str,
) -> (FaultDesk, CoreError, Duration) {
    let server = FaultServer::start();
    server.route("/device", device(&server));
    server.route("/token", token);
    let fd = fault_desk(server).await;
    fd.add_explicit_client().await;
    let started = Instant::now();
    // In a task of its own, so a panic is reported as this case's failure, not the runtime's.
    let run = tokio::spawn(async move {
        let r = fd.login(GrantType::DeviceCode).await;
        (fd, r)
    })
    .await;
    let took = started.elapsed();
    match run {
        Ok((fd, Err(e))) => {
            assert!(
                fd.desk.grants(None).await.unwrap().is_empty(),
                "{case}: a failed device login stores no grant"
            );
            fd.assert_clean(&[&shown(&e)], case).await;
            (fd, e, took)
        }
        Ok((_, Ok(g))) => panic!("{case}: the device login must fail, yet stored {g:?}"),
        Err(p) => panic!("{case}: the device login must not panic: {p}"),
    }
}

#[tokio::test]
async fn a_failing_device_endpoint_stops_before_any_browser_or_poll() {
    for (case, fault, says) in [
        (
            "device 503",
            Fault::html(503, "Service Unavailable"),
            "HTTP 503",
        ),
        ("device not JSON", Fault::invalid_json(), "not JSON"),
        ("device empty reply", Fault::Refuse, "could not reach"),
        (
            "device error",
            Fault::json(400, &json!({"error": "invalid_client"})),
            "invalid_client",
        ),
    ] {
        let (fd, e, took) = failed_device_login(|_| fault, denied(), case).await;
        assert!(took < QUICK, "{case}: fails at once ({took:?})");
        assert_says(&e.to_string(), &[says], case);
        assert!(fd.opened().is_empty(), "{case}: no browser was opened");
        assert_eq!(fd.server.hits("/token"), 0, "{case}: nothing was polled");
    }
}

#[tokio::test]
async fn a_hanging_device_endpoint_times_out() {
    let (_, e, took) = failed_device_login(|_| Fault::Hang, denied(), "device hang").await;
    assert_says(
        &e.to_string(),
        &["did not answer within 2 s"],
        "device hang",
    );
    assert!(took < TIMEOUT + QUICK, "the hang is bounded ({took:?})");
}

#[tokio::test]
async fn missing_or_oddly_typed_device_members_are_named() {
    for (case, overrides, says) in [
        ("no user_code", json!({"user_code": null}), "no user_code"),
        (
            "numeric device_code",
            json!({"device_code": 12345}),
            "no device_code",
        ),
        (
            "no verification_uri",
            json!({"verification_uri": null}),
            "no verification_uri",
        ),
    ] {
        let (fd, e, _) = failed_device_login(
            |s| Fault::json(200, &device_answer(s, overrides)),
            denied(),
            case,
        )
        .await;
        assert_says(&e.to_string(), &[says], case);
        assert_eq!(fd.server.hits("/token"), 0, "{case}: nothing was polled");
    }
}

#[tokio::test]
async fn a_huge_device_lifetime_does_not_overflow_the_deadline() {
    let (fd, e, took) = failed_device_login(
        |s| {
            Fault::json_text(
                200,
                &device_answer(s, json!({}))
                    .to_string()
                    .replace(r#""expires_in":60"#, r#""expires_in":9223372036854775807"#),
            )
        },
        denied(),
        "device expires_in i64::MAX",
    )
    .await;
    assert_says(
        &e.to_string(),
        &["access_denied"],
        "device expires_in i64::MAX",
    );
    assert_eq!(fd.server.hits("/token"), 1, "one poll, then the denial");
    assert!(took < QUICK, "ends at the denial ({took:?})");
}

#[tokio::test]
async fn a_huge_poll_interval_still_ends_when_the_code_expires() {
    let (fd, e, took) = failed_device_login(
        |s| {
            let v = device_answer(s, json!({"expires_in": 2}));
            let text = v
                .to_string()
                .replace(r#""interval":1"#, r#""interval":9223372036854775807"#);
            Fault::json_text(200, &text)
        },
        denied(),
        "device interval i64::MAX",
    )
    .await;
    assert!(
        matches!(
            e,
            CoreError::Protocol(oauthdesk_protocol::ProtocolError::DeviceExpired)
        ),
        "the code expires before the first poll: {e}"
    );
    assert_says(&e.to_string(), &["expired"], "device interval i64::MAX");
    assert_eq!(
        fd.server.hits("/token"),
        0,
        "no poll within the code's lifetime"
    );
    assert!(took < QUICK, "ends when the code expires ({took:?})");
}

#[tokio::test]
async fn a_verification_uri_that_is_not_http_is_never_opened() {
    let (fd, _, _) = failed_device_login(
        |s| {
            let extra = json!({"verification_uri_complete": "file:///etc/passwd"});
            Fault::json(200, &device_answer(s, extra))
        },
        denied(),
        "file: verification URI",
    )
    .await;
    let opened = fd.opened();
    assert!(
        opened
            .iter()
            .all(|u| u.starts_with("http://") || u.starts_with("https://")),
        "only http(s) URLs from the server are handed to the browser: {opened:?}"
    );
}

#[tokio::test]
async fn the_token_endpoint_failing_while_polling_ends_the_flow() {
    for (case, token, says) in [
        (
            "poll 503",
            Fault::html(503, "Service Unavailable"),
            "HTTP 503",
        ),
        ("poll empty reply", Fault::Refuse, "could not reach"),
        ("poll 400 empty", Fault::empty(400), "HTTP 400"),
    ] {
        let (fd, e, took) = failed_device_login(
            |s| Fault::json(200, &device_answer(s, json!({}))),
            token,
            case,
        )
        .await;
        assert_says(&e.to_string(), &[says], case);
        assert_eq!(
            fd.server.hits("/token"),
            1,
            "{case}: one poll, then the error"
        );
        assert!(
            took < QUICK,
            "{case}: ends at the first failed poll ({took:?})"
        );
        let poll = &fd.server.requests("/token")[0];
        assert_eq!(
            poll.form("device_code").as_deref(),
            Some("SECRET-dc-1"),
            "{case}: the poll carried the device code"
        );
    }
}

#[tokio::test]
async fn a_hanging_poll_times_out() {
    let (_, e, took) = failed_device_login(
        |s| Fault::json(200, &device_answer(s, json!({}))),
        Fault::Hang,
        "poll hang",
    )
    .await;
    assert_says(&e.to_string(), &["did not answer within 2 s"], "poll hang");
    assert!(took < TIMEOUT + QUICK, "the hang is bounded ({took:?})");
}

#[tokio::test]
async fn a_truncated_token_after_pending_shows_no_token() {
    let full = token_response(9).to_string();
    let cut = full.find("SECRET-rt-9").expect("refresh token") + 10;
    let pending = Fault::json(400, &json!({"error": "authorization_pending"}));
    let (fd, e, _) = failed_device_login(
        |s| Fault::json(200, &device_answer(s, json!({}))),
        Fault::Sequence(vec![pending, Fault::truncated_json(&full, cut)]),
        "pending then truncated",
    )
    .await;
    assert_says(&e.to_string(), &["not JSON"], "pending then truncated");
    assert_eq!(
        fd.server.hits("/token"),
        2,
        "polled until the broken answer"
    );
}
