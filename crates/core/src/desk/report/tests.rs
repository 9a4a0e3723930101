//! The provider report's analysis on synthetic records.

use super::*;
use oauthdesk_protocol::discovery::ServerMetadata;
use oauthdesk_protocol::endpoint::Deviation;
use oauthdesk_protocol::transcript::{RecordedRequest, RecordedResponse};

fn exchange(step: &str, url: &str, status: u16, headers: &[(&str, &str)], body: &str) -> Exchange {
    Exchange {
        step: step.into(),
        started_at_ms: 0,
        duration_ms: 1,
        request: RecordedRequest {
            method: "POST".into(),
            url: url.into(),
            headers: vec![],
            body: None,
        },
        response: Some(RecordedResponse {
            status,
            headers: headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            body: body.into(),
        }),
        note: None,
    }
}

#[test]
fn findings_from_metadata_grants_exchanges_and_history() {
    let mut client = Client::bare(Some("https://op".into()));
    client.name = "quirky".into();
    client.endpoints.authorization = Some("https://op/authorize".into());
    client.endpoints.token = Some("https://op/token".into());
    client.endpoints.revocation = Some("https://op/revoke".into());
    client.metadata = Some(ServerMetadata {
        issuer: "https://op".into(),
        authorization_endpoint: Some("https://op/authorize".into()),
        token_endpoint: Some("https://op/token".into()),
        scopes_supported: vec!["openid".into()],
        response_types_supported: vec!["code".into()],
        code_challenge_methods_supported: vec!["plain".into()],
        ..Default::default()
    });
    let grant = GrantView {
        id: "g".into(),
        client: "quirky".into(),
        scopes_requested: "openid".into(),
        token_type: "Bearer".into(),
        has_access_token: true,
        has_refresh_token: true,
        deviations: vec![Deviation::new(
            "expires_in_string",
            "RFC 6749 §5.1",
            "expires_in sent as a string",
        )],
        ..GrantView::blank()
    };
    let flows = vec![FlowTranscript {
        flow_id: "f".into(),
        operation: "login".into(),
        grant_id: None,
        at: 0,
        exchanges: vec![
            exchange(
                "token request (authorization_code)",
                "https://op/token",
                200,
                &[("content-type", "application/json")],
                r#"{"access_token":"[redacted]"}"#,
            ),
            exchange(
                "token request (refresh_token)",
                "https://op/token",
                500,
                &[("content-type", "text/html")],
                "<html>oops</html>",
            ),
            exchange(
                "revocation (access_token)",
                "https://op/revoke",
                200,
                &[],
                "",
            ),
        ],
    }];
    let events = vec![HistoryEvent {
        at: 0,
        client: "quirky".into(),
        grant_id: Some("g".into()),
        kind: "refreshed".into(),
        detail: "refresh token kept (not rotated)".into(),
        flow_id: None,
        rerun: None,
    }];
    let r = analyze(&client, &[grant], &flows, &events);
    let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
    for want in [
        "pkce_plain_only",
        "no_iss_in_authorization_response",
        "jwks_uri_missing",
        "discovery_missing_endpoint",
        "expires_in_string",
        "scope_omitted",
        "refresh_not_rotated",
        "token_response_cacheable",
        "error_not_json",
    ] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
    let missing = r
        .findings
        .iter()
        .find(|f| f.code == "discovery_missing_endpoint")
        .unwrap();
    assert!(
        missing.detail.contains("revocation") && missing.detail.contains("answered 1 request"),
        "a missing endpoint that answered is named with its evidence: {}",
        missing.detail
    );
    assert!(
        r.findings
            .iter()
            .all(|f| !f.action.is_empty() && !f.spec.is_empty()),
        "every finding says what OAuth Desk did about it and which spec it cites"
    );
    assert_eq!(
        r.exchanges_checked, 3,
        "all three recorded exchanges are counted as checked"
    );
    // A public client that gets no rotation: a violation of RFC 9700 §4.14.2.
    assert_eq!(
        r.findings
            .iter()
            .find(|f| f.code == "refresh_not_rotated")
            .unwrap()
            .severity,
        Severity::Violation,
        "a public client's refresh without rotation is a violation of RFC 9700 §4.14.2"
    );
}

#[test]
fn iss_is_reported_as_seen_not_as_announced() {
    let mut client = Client::bare(Some("https://op".into()));
    client.metadata = Some(ServerMetadata {
        issuer: "https://op".into(),
        authorization_endpoint: Some("https://op/authorize".into()),
        code_challenge_methods_supported: vec!["S256".into()],
        ..Default::default()
    });
    let flow = |url: &str| FlowTranscript {
        flow_id: "f".into(),
        operation: "login".into(),
        grant_id: None,
        at: 0,
        exchanges: vec![exchange("callback received", url, 200, &[], "")],
    };
    let codes = |url: &str| {
        analyze(&client, &[], &[flow(url)], &[])
            .findings
            .into_iter()
            .map(|f| f.code)
            .collect::<Vec<_>>()
    };
    let with_iss =
        codes("http://127.0.0.1:5/callback?code=%5Bredacted%5D&state=s&iss=https%3A%2F%2Fop");
    assert!(
        !with_iss
            .iter()
            .any(|c| c == "no_iss_in_authorization_response"),
        "responses that carry iss are never reported as carrying none: {with_iss:?}"
    );
    assert!(
        with_iss.iter().any(|c| c == "iss_not_announced"),
        "iss sent but not announced in the metadata is its own finding: {with_iss:?}"
    );
    let without = codes("http://127.0.0.1:5/callback?code=%5Bredacted%5D&state=s&kiss=1");
    assert!(
        without
            .iter()
            .any(|c| c == "no_iss_in_authorization_response"),
        "a parameter whose name merely ends in iss is not iss: {without:?}"
    );
}
