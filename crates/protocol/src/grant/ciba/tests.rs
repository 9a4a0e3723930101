//! Tests of the CIBA request, its answers and the redaction of its secrets.

use super::*;

fn request(hint: Hint) -> BackchannelRequest {
    BackchannelRequest {
        scope: "email".into(),
        hint,
        binding_message: Some("W4SCT".into()),
        user_code: None,
        requested_expiry: Some(30),
        client_notification_token: Some(ClientNotificationToken::new("cnt-1")),
        extra: vec![],
    }
}

#[test]
fn the_request_carries_openid_one_hint_and_the_options() {
    let p = request_params(&request(Hint::LoginHint("alice".into()))).unwrap();
    let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(
        get("scope"),
        Some("openid email"),
        "openid is added to the scope (CIBA §7.1)"
    );
    assert_eq!(get("login_hint"), Some("alice"), "the login hint is sent");
    assert_eq!(
        get("binding_message"),
        Some("W4SCT"),
        "the binding message is sent"
    );
    assert_eq!(
        get("requested_expiry"),
        Some("30"),
        "requested_expiry is sent"
    );
    assert_eq!(
        get("client_notification_token"),
        Some("cnt-1"),
        "the ping token is sent"
    );
    assert_eq!(get("user_code"), None, "an absent user code is not sent");
    assert!(
        request_params(&request(Hint::LoginHint(" ".into()))).is_err(),
        "a blank login hint is refused before anything is sent"
    );
    let mut zero = request(Hint::LoginHint("a".into()));
    zero.requested_expiry = Some(0);
    assert!(
        request_params(&zero).is_err(),
        "requested_expiry 0 is refused (§7.1: positive)"
    );
}

#[test]
fn secret_parameters_are_redacted_in_the_transcript() {
    let body = "auth_req_id=abc&client_notification_token=def&login_hint_token=ghi&user_code=4711&login_hint=alice";
    let redacted = crate::transcript::redact_form(body);
    assert_eq!(
        redacted,
        "auth_req_id=[redacted]&client_notification_token=[redacted]&login_hint_token=[redacted]&user_code=[redacted]&login_hint=alice",
        "auth_req_id, the notification token, a login hint token and the user's secret code (CIBA §7.1) never reach a transcript"
    );
    let json = crate::transcript::redact_body(r#"{"auth_req_id":"abc","expires_in":5}"#);
    assert!(
        !json.contains("abc"),
        "a response's auth_req_id is redacted: {json}"
    );
}

#[test]
fn hostile_answers_are_bounded_and_expired_token_is_its_own_error() {
    let mut d = Vec::new();
    assert_eq!(
        bounded(u64::MAX, MAX_LIFETIME_SECS, "x", &mut d),
        MAX_LIFETIME_SECS,
        "a huge expires_in is capped"
    );
    assert_eq!(d.len(), 1, "and reported");
    let ba = BackchannelAuthorization {
        auth_req_id: AuthReqId::new("a"),
        expires_in: u64::MAX,
        interval: 5,
        interval_given: false,
        deviations: vec![],
    };
    let _ = deadline(&ba);
    assert!(
        matches!(
            answer(ProtocolError::OAuth(crate::OAuthError::new(
                "expired_token"
            ))),
            Err(ProtocolError::BackchannelExpired)
        ),
        "expired_token ends the wait as an expiry (CIBA §11)"
    );
    assert!(
        matches!(
            answer(ProtocolError::OAuth(crate::OAuthError::new("access_denied"))),
            Err(ProtocolError::OAuth(o)) if o.error == "access_denied"
        ),
        "access_denied ends the wait as the OAuth error it is"
    );
    assert!(
        matches!(
            answer(ProtocolError::OAuth(crate::OAuthError::new("slow_down"))),
            Ok(Answer::SlowDown)
        ),
        "slow_down keeps waiting"
    );
}

#[test]
fn ciba_errors_are_explained() {
    for code in [
        "unknown_user_id",
        "invalid_binding_message",
        "missing_user_code",
        "transaction_failed",
        "expired_login_hint_token",
    ] {
        let hint = crate::OAuthError::new(code).hint();
        assert!(
            hint.is_some_and(|h| h.contains("CIBA §")),
            "{code} is explained with its CIBA section: {hint:?}"
        );
    }
}
