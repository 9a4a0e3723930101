use super::*;

#[test]
fn unparsable_bodies_are_masked_not_shown() {
    let cut = r#"{"access_token":"tok","refresh_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIi"#;
    let shown = redact_body(cut);
    assert!(
        !shown.contains("tok\"") && !shown.contains("eyJhbGci"),
        "a token response cut short shows neither token: {shown}"
    );
    assert!(
        shown.contains("access_token"),
        "member names stay, so the reader sees what was there: {shown}"
    );
    let padded = r#"{"access_token":"SECRET-at-7==","refresh_token":"SECRET-rt-7=="#;
    let shown = redact_body(padded);
    assert!(
        !shown.contains("SECRET"),
        "JSON cut short with base64 padding is not read as a form: {shown}"
    );
    let registration = r#"{"registration_access_token":"SECRET-r","client_id":"c"#;
    assert!(
        !redact_body(registration).contains("SECRET"),
        "a long secret member name still masks its short value"
    );
    let nested = r#"{"access_token":{"v":"SECRET-at-3"},"refresh_token":["SECRET-rt-2"]}"#;
    assert!(
        !redact_body(nested).contains("SECRET"),
        "a secret member is redacted whatever its JSON type"
    );
    let html = "<html><p>code=abc123 failed for 8f2a9c1e7b6d4a3f9e8d7c6b5a4f3e2d</p></html>";
    let shown = redact_body(html);
    assert!(
        !shown.contains("abc123") && !shown.contains("8f2a9c1e7b6d"),
        "a form-like pair and a long token-like run are masked in HTML: {shown}"
    );
    assert!(shown.contains("failed for"), "ordinary words stay: {shown}");
    let huge = "x ".repeat(UNPARSED_EXCERPT);
    assert!(
        redact_body(&huge).ends_with("…[cut]"),
        "an unparsable body is cut to an excerpt"
    );
}

#[test]
fn form_secrets_are_redacted_and_the_rest_kept() {
    let body = "grant_type=authorization_code&code=abc123&code_verifier=v3r1f13r&client_secret=s%26cret&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcallback";
    let red = redact_form(body);
    for secret in ["abc123", "v3r1f13r", "s%26cret", "s&cret"] {
        assert!(!red.contains(secret), "{secret} leaked into {red}");
    }
    assert!(
        red.contains("grant_type=authorization_code"),
        "non-secret fields stay: {red}"
    );
    assert!(
        red.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcallback"),
        "redirect kept: {red}"
    );
}

#[test]
fn json_urls_and_headers_are_redacted() {
    let body = r#"{"access_token":"at-1","refresh_token":"rt-1","nested":{"id_token":"it"},"token_type":"Bearer","expires_in":60}"#;
    let red = redact_body(body);
    assert!(
        !red.contains("at-1") && !red.contains("rt-1") && !red.contains("\"it\""),
        "tokens leaked: {red}"
    );
    assert!(
        red.contains("Bearer") && red.contains("60"),
        "metadata kept: {red}"
    );
    let url = redact_url("http://127.0.0.1:1234/callback?code=xyz&state=s1&iss=http%3A%2F%2Fa");
    assert!(
        !url.contains("xyz") && url.contains("state=s1") && url.contains("code=[redacted]"),
        "the code in a callback URL is redacted, state and iss kept: {url}"
    );
    let frag = redact_url("http://127.0.0.1:1234/callback#access_token=tok&token_type=Bearer");
    assert!(
        !frag.contains("tok&") && frag.contains("token_type=Bearer"),
        "an access token in the fragment is redacted, its type kept: {frag}"
    );
    assert_eq!(
        redact_header("Authorization", "Basic Zm9vOmJhcg=="),
        "Basic [redacted]",
        "an Authorization header keeps its scheme and hides the credentials"
    );
    assert_eq!(
        redact_header("Accept", "application/json"),
        "application/json",
        "headers without secrets are recorded as sent"
    );
    assert_eq!(
        redact_header("X-API-Key", "k-123"),
        "[redacted]",
        "API keys sent through Call API are redacted"
    );
    assert_eq!(
        redact_body("access_token=gho_x&scope=repo"),
        "access_token=[redacted]&scope=repo",
        "form bodies too"
    );
}

#[test]
fn curl_turns_redactions_into_variables() {
    let req = RecordedRequest {
        method: "POST".into(),
        url: "https://as.example/token".into(),
        headers: vec![
            ("authorization".into(), "Basic [redacted]".into()),
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
        ],
        body: Some("grant_type=refresh_token&refresh_token=[redacted]&scope=a+b".into()),
    };
    let curl = to_curl(&req);
    assert!(
        curl.starts_with("curl -X POST 'https://as.example/token'"),
        "curl starts with the method and the quoted URL: {curl}"
    );
    assert!(
        curl.contains("-H \"authorization: Basic ${BASIC_CREDENTIALS}\""),
        "redacted Basic credentials become a shell variable: {curl}"
    );
    assert!(
        curl.contains("--data-urlencode \"refresh_token=${REFRESH_TOKEN}\""),
        "a redacted refresh token becomes a shell variable: {curl}"
    );
    assert!(
        curl.contains("--data-urlencode 'scope=a b'"),
        "plain form values are sent as they are: {curl}"
    );
}

fn poll_answer(status: u16, body: &str) -> Exchange {
    Exchange {
        step: "device token poll".into(),
        started_at_ms: 0,
        duration_ms: 3,
        request: RecordedRequest {
            method: "POST".into(),
            url: "https://as.example/token".into(),
            headers: vec![],
            body: None,
        },
        response: Some(RecordedResponse {
            status,
            headers: vec![],
            body: body.into(),
        }),
        note: None,
    }
}

#[test]
fn only_not_yet_poll_answers_are_expected() {
    assert!(
        is_expected_poll_answer(&poll_answer(400, r#"{"error":"authorization_pending"}"#)),
        "pending is expected"
    );
    assert!(
        is_expected_poll_answer(&poll_answer(400, r#"{"error":"slow_down"}"#)),
        "slow_down is expected"
    );
    assert!(
        !is_expected_poll_answer(&poll_answer(400, r#"{"error":"access_denied"}"#)),
        "a denial is the flow's result, not an expected poll"
    );
    assert!(
        !is_expected_poll_answer(&poll_answer(200, r#"{"access_token":"[redacted]"}"#)),
        "the token answer is shown"
    );
    assert!(
        !is_expected_poll_answer(&poll_answer(400, "authorization_pending")),
        "a body that is not JSON is not guessed at"
    );
}

#[test]
fn unparsable_urls_still_have_their_secrets_masked() {
    for raw in [
        "/callback?code=SECRET-1&state=s",
        "http://[::1/cb?access_token=SECRET-1",
        "relative#id_token=SECRET-1&x=1",
    ] {
        let shown = redact_url(raw);
        assert!(
            !shown.contains("SECRET-1"),
            "a URL that does not parse is masked, not shown raw: {raw} -> {shown}"
        );
    }
    assert_eq!(
        redact_url("(authorization response fragment)"),
        "(authorization response fragment)",
        "a label with no secret in it is kept as it is"
    );
}
