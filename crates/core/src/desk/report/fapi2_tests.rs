//! The FAPI 2.0 verdict on synthetic records.

use super::*;
use oauthdesk_protocol::client_auth::AuthMethod;
use oauthdesk_protocol::discovery::ServerMetadata;
use oauthdesk_protocol::transcript::{Exchange, RecordedRequest, RecordedResponse};

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn client(metadata: ServerMetadata) -> Client {
    let mut c = Client::bare(Some(metadata.issuer.clone()));
    c.name = "bank".into();
    c.auth_method = AuthMethod::PrivateKeyJwt;
    c.metadata = Some(metadata);
    c
}

fn fapi_metadata() -> ServerMetadata {
    ServerMetadata {
        issuer: "https://as.example".into(),
        authorization_endpoint: Some("https://as.example/auth".into()),
        token_endpoint: Some("https://as.example/token".into()),
        pushed_authorization_request_endpoint: Some("https://as.example/par".into()),
        require_pushed_authorization_requests: true,
        response_types_supported: strings(&["code"]),
        grant_types_supported: strings(&["authorization_code", "refresh_token"]),
        code_challenge_methods_supported: strings(&["S256"]),
        authorization_response_iss_parameter_supported: true,
        token_endpoint_auth_methods_supported: strings(&["private_key_jwt"]),
        id_token_signing_alg_values_supported: strings(&["PS256"]),
        dpop_signing_alg_values_supported: strings(&["ES256"]),
        ..Default::default()
    }
}

fn step(step: &str, url: &str, body: Option<&str>, response: Option<(u16, &str)>) -> Exchange {
    Exchange {
        step: step.into(),
        started_at_ms: 0,
        duration_ms: 0,
        request: RecordedRequest {
            method: "POST".into(),
            url: url.into(),
            headers: vec![],
            body: body.map(str::to_owned),
        },
        response: response.map(|(status, body)| RecordedResponse {
            status,
            headers: vec![],
            body: body.into(),
        }),
        note: Some("accepted: state matched".into()),
    }
}

fn fapi_flow() -> FlowTranscript {
    FlowTranscript {
        flow_id: "f".into(),
        operation: "login".into(),
        grant_id: None,
        at: 0,
        exchanges: vec![
            step(
                "pushed authorization request",
                "https://as.example/par",
                Some("code_challenge=x&code_challenge_method=S256&client_assertion=[redacted]"),
                Some((201, r#"{"request_uri":"urn:x","expires_in":60}"#)),
            ),
            step(
                "authorization request",
                "https://as.example/auth?client_id=c&request_uri=urn%3Ax",
                None,
                None,
            ),
            step(
                "callback received",
                "http://127.0.0.1:1/callback?code=[redacted]&state=s&iss=https%3A%2F%2Fas.example",
                None,
                None,
            ),
            step(
                "token request (authorization_code)",
                "https://as.example/token",
                Some("grant_type=authorization_code&client_assertion=[redacted]"),
                Some((
                    200,
                    r#"{"access_token":"[redacted]","token_type":"DPoP","expires_in":60}"#,
                )),
            ),
        ],
    }
}

#[test]
fn a_fapi_server_and_flow_is_conformant_for_what_was_observed() {
    let r = fapi2_verdict(&client(fapi_metadata()), &[], &[fapi_flow()], &[]);
    assert_eq!(
        r.verdict,
        ProfileVerdict::ConformantForWhatWasObserved,
        "no violation in metadata or exchanges: {:#?}",
        r.findings
    );
    assert_eq!(r.summary, "FAPI 2.0: conformant for what was observed");
    let passed: Vec<&str> = r.passed.iter().map(|c| c.code.as_str()).collect();
    for code in [
        "par_required",
        "par_used",
        "pkce_s256_used",
        "iss_in_response",
        "token_dpop_bound",
    ] {
        assert!(
            passed.contains(&code),
            "{code} is among the passed checks: {passed:?}"
        );
    }
    assert!(
        r.not_observed.iter().any(|c| c.code == "code_lifetime")
            && r.not_observed.iter().any(|c| c.code == "refresh_rotation"),
        "what no record shows is listed as not observed: {:#?}",
        r.not_observed
    );
    assert_eq!((r.flows_checked, r.exchanges_checked), (1, 4));
}

#[test]
fn violations_make_the_verdict_and_are_counted_in_the_summary() {
    let mut m = fapi_metadata();
    m.issuer = "http://127.0.0.1:3000".into();
    m.require_pushed_authorization_requests = false;
    m.token_endpoint_auth_methods_supported.push("none".into());
    let rotated = HistoryEvent {
        at: 0,
        client: "bank".into(),
        grant_id: None,
        kind: "refreshed".into(),
        detail: "refresh token rotated".into(),
        flow_id: None,
        rerun: None,
    };
    let r = fapi2_verdict(&client(m), &[], &[fapi_flow()], &[rotated]);
    let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
    for code in [
        "endpoint_without_tls",
        "par_not_required",
        "client_auth_methods_not_allowed",
        "public_clients_supported",
        "refresh_token_rotated",
    ] {
        assert!(codes.contains(&code), "{code} is a finding: {codes:?}");
    }
    assert_eq!(r.verdict, ProfileVerdict::NotConformant);
    assert_eq!(
        r.summary,
        format!("FAPI 2.0: not conformant — {} violations", r.violations),
        "the summary counts the violations"
    );
    assert_eq!(
        r.violations as usize,
        codes.len(),
        "every finding here is a violation"
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "par_not_required")
        .unwrap();
    assert!(
        f.spec.contains("§5.3.2.2")
            && f.action
                .contains("reject authorization requests sent without"),
        "a finding names its section and the rule it was checked against: {f:?}"
    );
}
