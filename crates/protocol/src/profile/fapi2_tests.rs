use super::*;
use crate::transcript::{RecordedRequest, RecordedResponse};

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Metadata that meets every metadata rule.
fn fapi_metadata() -> ServerMetadata {
    ServerMetadata {
        issuer: "https://as.example".into(),
        authorization_endpoint: Some("https://as.example/auth".into()),
        token_endpoint: Some("https://as.example/token".into()),
        jwks_uri: Some("https://as.example/jwks".into()),
        pushed_authorization_request_endpoint: Some("https://as.example/par".into()),
        require_pushed_authorization_requests: true,
        response_types_supported: strings(&["code"]),
        grant_types_supported: strings(&["authorization_code", "refresh_token"]),
        code_challenge_methods_supported: strings(&["S256"]),
        authorization_response_iss_parameter_supported: true,
        token_endpoint_auth_methods_supported: strings(&["private_key_jwt", "tls_client_auth"]),
        id_token_signing_alg_values_supported: strings(&["PS256", "ES256"]),
        token_endpoint_auth_signing_alg_values_supported: strings(&["ES256", "EdDSA"]),
        dpop_signing_alg_values_supported: strings(&["ES256", "Ed25519"]),
        ..Default::default()
    }
}

fn outcome(checks: &[ProfileCheck], code: &str) -> Option<Outcome> {
    checks.iter().find(|c| c.code == code).map(|c| c.outcome)
}

fn violations(checks: &[ProfileCheck]) -> Vec<&str> {
    checks
        .iter()
        .filter(|c| c.outcome == Outcome::Violation)
        .map(|c| c.code.as_str())
        .collect()
}

#[test]
fn fapi_metadata_passes_every_metadata_rule() {
    let checks = check_metadata(&fapi_metadata());
    assert!(
        violations(&checks).is_empty(),
        "metadata meeting §5.2.1, §5.3.2.1, §5.3.2.2 and §5.4.1 has no violation: {checks:#?}"
    );
    for code in [
        "tls_endpoints",
        "par_required",
        "pkce_s256_only",
        "iss_parameter",
        "response_type_code_only",
        "no_legacy_grants",
        "sender_constraining_offered",
        "client_auth_methods",
        "algorithms_allowed",
    ] {
        assert_eq!(
            outcome(&checks, code),
            Some(Outcome::Passed),
            "{code} is listed as passed: a verdict shows what passed, not only what failed"
        );
    }
}

#[test]
fn each_metadata_rule_fails_on_its_own() {
    type Spoil = fn(&mut ServerMetadata);
    let cases: &[(&str, Spoil)] = &[
        ("endpoint_without_tls", |m| {
            m.token_endpoint = Some("http://as.example/token".into())
        }),
        ("endpoint_without_tls", |m| {
            m.issuer = "http://127.0.0.1:3000".into()
        }),
        ("par_not_required", |m| {
            m.require_pushed_authorization_requests = false
        }),
        ("par_not_supported", |m| {
            m.pushed_authorization_request_endpoint = None
        }),
        ("pkce_other_methods", |m| {
            m.code_challenge_methods_supported.push("plain".into())
        }),
        ("pkce_s256_missing", |m| {
            m.code_challenge_methods_supported.clear()
        }),
        ("iss_parameter_missing", |m| {
            m.authorization_response_iss_parameter_supported = false
        }),
        ("response_types_beyond_code", |m| {
            m.response_types_supported.push("code id_token".into())
        }),
        ("legacy_grants_offered", |m| {
            m.grant_types_supported.push("password".into())
        }),
        ("legacy_grants_offered", |m| {
            m.grant_types_supported.push("implicit".into())
        }),
        ("sender_constraining_missing", |m| {
            m.dpop_signing_alg_values_supported.clear()
        }),
        ("client_auth_methods_not_allowed", |m| {
            m.token_endpoint_auth_methods_supported
                .push("client_secret_basic".into())
        }),
        ("client_auth_methods_not_allowed", |m| {
            m.token_endpoint_auth_methods_supported.clear()
        }),
        ("public_clients_supported", |m| {
            m.token_endpoint_auth_methods_supported.push("none".into())
        }),
        ("algorithms_not_allowed", |m| {
            m.id_token_signing_alg_values_supported.push("RS256".into())
        }),
        ("algorithms_not_allowed", |m| {
            m.token_endpoint_auth_signing_alg_values_supported
                .push("HS256".into())
        }),
        ("alg_none_accepted", |m| {
            m.request_object_signing_alg_values_supported = vec!["none".into()]
        }),
    ];
    for (code, spoil) in cases {
        let mut m = fapi_metadata();
        spoil(&mut m);
        let checks = check_metadata(&m);
        assert_eq!(
            outcome(&checks, code),
            Some(Outcome::Violation),
            "{code} is a violation when its rule alone is broken: {checks:#?}"
        );
        let section = &checks.iter().find(|c| c.code == *code).unwrap().section;
        assert!(
            section.starts_with("FAPI 2.0 SP §"),
            "{code} names its section: {section}"
        );
    }
}

fn exchange(
    step: &str,
    method: &str,
    url: &str,
    body: Option<&str>,
    response: Option<(u16, &str)>,
) -> Exchange {
    Exchange {
        step: step.into(),
        started_at_ms: 0,
        duration_ms: 0,
        request: RecordedRequest {
            method: method.into(),
            url: url.into(),
            headers: vec![],
            body: body.map(str::to_owned),
        },
        response: response.map(|(status, body)| RecordedResponse {
            status,
            headers: vec![],
            body: body.into(),
        }),
        note: None,
    }
}

/// A FAPI-style flow: PAR with private_key_jwt and S256, iss in the callback, a DPoP token.
fn fapi_flow() -> Vec<Exchange> {
    let mut callback = exchange(
        "callback received",
        "GET",
        "http://127.0.0.1:5000/callback?code=[redacted]&state=s&iss=https%3A%2F%2Fas.example",
        None,
        None,
    );
    callback.note = Some("accepted: state matched, iss matched (RFC 9207)".into());
    let mut token = exchange(
        "token request (authorization_code)",
        "POST",
        "https://as.example/token",
        Some(
            "grant_type=authorization_code&code=[redacted]&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=[redacted]",
        ),
        Some((
            200,
            r#"{"access_token":"[redacted]","token_type":"DPoP","expires_in":300}"#,
        )),
    );
    token
        .request
        .headers
        .push(("DPoP".into(), "eyJ.proof.sig".into()));
    vec![
        exchange(
            "pushed authorization request",
            "POST",
            "https://as.example/par",
            Some(
                "response_type=code&client_id=c&code_challenge=abc&code_challenge_method=S256&client_assertion=[redacted]",
            ),
            Some((
                201,
                r#"{"request_uri":"urn:ietf:params:oauth:request_uri:x","expires_in":60}"#,
            )),
        ),
        exchange(
            "authorization request",
            "GET",
            "https://as.example/auth?client_id=c&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax",
            None,
            None,
        ),
        callback,
        token,
    ]
}

fn evidence(flows: &[Vec<Exchange>]) -> Evidence<'_> {
    Evidence {
        flows: flows.iter().map(Vec::as_slice).collect(),
        client_auth_method: Some("private_key_jwt"),
        refreshes_kept: 1,
        ..Default::default()
    }
}

#[test]
fn a_fapi_flow_passes_every_exchange_rule() {
    let flows = vec![fapi_flow()];
    let checks = check(Some(&fapi_metadata()), &evidence(&flows));
    assert!(
        violations(&checks).is_empty(),
        "a FAPI-style flow has no violation: {checks:#?}"
    );
    for code in [
        "par_used",
        "pkce_s256_used",
        "iss_in_response",
        "par_request_uri_lifetime",
        "token_dpop_bound",
        "client_auth_used",
        "access_token_lifetime",
        "refresh_not_rotated",
    ] {
        assert_eq!(
            outcome(&checks, code),
            Some(Outcome::Passed),
            "{code} passed from the exchanges: {checks:#?}"
        );
    }
    assert_eq!(
        outcome(&checks, "code_lifetime"),
        Some(Outcome::NotObserved),
        "a code's lifetime is never claimed: a client cannot see it"
    );
}

#[test]
fn each_exchange_rule_fails_on_its_own() {
    type Spoil = fn(&mut Vec<Exchange>);
    let cases: &[(&str, Spoil)] = &[
        ("authorization_without_par_accepted", |f| {
            f.remove(0);
            f[0].request.url =
                "https://as.example/auth?client_id=c&code_challenge=abc&code_challenge_method=S256"
                    .into();
        }),
        ("code_without_pkce_s256", |f| {
            f[0].request.body =
                Some("response_type=code&client_id=c&client_assertion=[redacted]".into())
        }),
        ("code_without_pkce_s256", |f| {
            f[0].request.body = Some(
                "code_challenge=abc&code_challenge_method=plain&client_assertion=[redacted]".into(),
            )
        }),
        ("iss_missing_in_response", |f| {
            f[2].request.url = "http://127.0.0.1:5000/callback?code=[redacted]&state=s".into()
        }),
        ("par_request_uri_too_long", |f| {
            f[0].response.as_mut().unwrap().body =
                r#"{"request_uri":"urn:x","expires_in":600}"#.into()
        }),
        ("par_expires_in_missing", |f| {
            f[0].response.as_mut().unwrap().body = r#"{"request_uri":"urn:x"}"#.into()
        }),
        ("par_without_client_auth_accepted", |f| {
            f[0].request.body =
                Some("code_challenge=abc&code_challenge_method=S256&client_id=c".into())
        }),
        ("bearer_token_issued", |f| {
            f[3].response.as_mut().unwrap().body =
                r#"{"access_token":"[redacted]","token_type":"Bearer","expires_in":300}"#.into()
        }),
        ("client_auth_not_allowed_accepted", |f| {
            f[3].request.body = Some("grant_type=authorization_code&code=[redacted]".into());
            f[3].request
                .headers
                .push(("authorization".into(), "Basic [redacted]".into()));
        }),
    ];
    for (code, spoil) in cases {
        let mut flow = fapi_flow();
        spoil(&mut flow);
        let flows = vec![flow];
        let checks = check(Some(&fapi_metadata()), &evidence(&flows));
        assert_eq!(
            outcome(&checks, code),
            Some(Outcome::Violation),
            "{code} is a violation when the exchange breaks its rule alone: {checks:#?}"
        );
    }
}

#[test]
fn lifetimes_and_rotation_are_judged_from_what_was_recorded() {
    let mut flow = fapi_flow();
    flow[3].response.as_mut().unwrap().body =
        r#"{"access_token":"[redacted]","token_type":"DPoP","expires_in":86400}"#.into();
    let flows = vec![flow];
    let mut ev = evidence(&flows);
    ev.refreshes_rotated = 2;
    let checks = check(Some(&fapi_metadata()), &ev);
    assert_eq!(
        outcome(&checks, "long_lived_access_token"),
        Some(Outcome::Advice),
        "a day-long access token is advice (§6.1 is a security consideration): {checks:#?}"
    );
    let rotated = checks.iter().find(|c| c.code == "refresh_token_rotated");
    assert_eq!(
        rotated.map(|c| (c.outcome, c.occurrences)),
        Some((Outcome::Violation, 2)),
        "rotated refreshes are a §5.3.2.1 (9) violation, counted: {checks:#?}"
    );
}

#[test]
fn nothing_recorded_means_not_observed_never_passed() {
    let checks = check(Some(&fapi_metadata()), &Evidence::default());
    for code in [
        "par_use",
        "pkce_use",
        "iss_in_response",
        "sender_constrained_tokens",
        "client_auth_used",
        "refresh_rotation",
    ] {
        assert_eq!(
            outcome(&checks, code),
            Some(Outcome::NotObserved),
            "without a recorded flow, {code} is not observed, not passed: {checks:#?}"
        );
    }
    assert_eq!(
        outcome(&check(None, &Evidence::default()), "metadata_missing"),
        Some(Outcome::Violation),
        "no discovered metadata breaks §5.3.2.1 (1)"
    );
}

#[test]
fn hostile_text_in_metadata_is_escaped() {
    let mut m = fapi_metadata();
    m.response_types_supported.push("code\u{1b}[2Jtoken".into());
    let checks = check_metadata(&m);
    let c = checks
        .iter()
        .find(|c| c.code == "response_types_beyond_code")
        .unwrap();
    assert!(
        !c.detail.contains('\u{1b}'),
        "control characters are escaped in details: {}",
        c.detail
    );
}
