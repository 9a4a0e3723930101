//! The per-revision verdicts on synthetic flows: each rule fails when its fact is missing.

use super::super::{McpReport, Observed};
use super::verdicts;
use crate::desk::resource::{ResourceProbe, ServerProbe};
use oauthdesk_protocol::challenge::ResourceChallenge;
use oauthdesk_protocol::discovery::ServerMetadata;
use oauthdesk_protocol::mcp::McpSession;
use oauthdesk_protocol::resource::as_discovery::Attempt;
use oauthdesk_protocol::resource::{
    FetchedMetadata, MetadataSource, ResourceMatch, ResourceMetadata,
};

const RESOURCE: &str = "https://mcp.example.com/mcp";
const ISSUER: &str = "https://as.example.com";

fn server(rfc8414: bool, methods: &[&str], registration: bool) -> ServerProbe {
    ServerProbe {
        issuer: ISSUER.into(),
        tried: vec![Attempt {
            url: format!("{ISSUER}/.well-known/x"),
            kind: if rfc8414 {
                "RFC 8414"
            } else {
                "OpenID Connect Discovery"
            }
            .into(),
            outcome: "found".into(),
        }],
        found_at: Some(format!("{ISSUER}/.well-known/x")),
        error: None,
        metadata: Some(ServerMetadata {
            issuer: ISSUER.into(),
            code_challenge_methods_supported: methods.iter().map(|m| m.to_string()).collect(),
            registration_endpoint: registration.then(|| format!("{ISSUER}/register")),
            ..ServerMetadata::default()
        }),
        pkce_s256: methods.contains(&"S256"),
        registration_endpoint: registration.then(|| format!("{ISSUER}/register")),
        client_id_metadata_document_supported: false,
        acr_values_supported: vec![],
        dpop_signing_alg_values_supported: vec![],
    }
}

/// A well-behaved server: 401 with resource_metadata and scope, metadata, RFC 8414, S256, DCR.
fn good() -> (McpReport, Observed) {
    let challenge = ResourceChallenge {
        scheme: "Bearer".into(),
        scope: vec!["read".into()],
        resource_metadata: Some(
            "https://mcp.example.com/.well-known/oauth-protected-resource/mcp".into(),
        ),
        ..ResourceChallenge::default()
    };
    let probe = ResourceProbe {
        url: RESOURCE.into(),
        method: "POST".into(),
        resource: RESOURCE.into(),
        status: Some(401),
        request_error: None,
        challenges: vec![challenge],
        other_schemes: vec![],
        challenge_problems: vec![],
        metadata_tried: vec![],
        metadata: Some(FetchedMetadata {
            url: "https://mcp.example.com/.well-known/oauth-protected-resource/mcp".into(),
            source: MetadataSource::Challenge,
            metadata: ResourceMetadata {
                resource: RESOURCE.into(),
                authorization_servers: vec![ISSUER.into()],
                ..ResourceMetadata::default()
            },
            matched: ResourceMatch::Identical,
            problems: vec![],
        }),
        metadata_error: None,
        servers: vec![server(true, &["S256"], true)],
        mcp_protocol_version: None,
        findings: vec![],
        exchanges: vec![],
    };
    let mut report = McpReport::new(RESOURCE, "flow".into());
    report.probe = Some(probe);
    report.session = Some(McpSession {
        protocol_version: Some("2025-06-18".into()),
        ..McpSession::default()
    });
    let observed = Observed {
        invalid_token_status: Some(401),
        audience: Some((401, "other".into())),
        tools_listed: true,
    };
    (report, observed)
}

fn codes(report: &McpReport, observed: &Observed, revision: &str) -> Vec<String> {
    verdicts(report, observed)
        .into_iter()
        .find(|v| v.revision == revision)
        .map(|v| v.findings.into_iter().map(|f| f.code).collect())
        .unwrap_or_default()
}

#[test]
fn a_well_behaved_server_breaks_nothing_and_its_negotiated_revision_is_marked() {
    let (report, observed) = good();
    let all = verdicts(&report, &observed);
    assert_eq!(all.len(), 3, "one verdict per revision");
    assert!(
        all.iter().all(|v| v.musts_broken == 0),
        "no MUST broken by a well-behaved server: {all:?}"
    );
    let followed: Vec<_> = all
        .iter()
        .filter(|v| v.followed)
        .map(|v| v.revision.as_str())
        .collect();
    assert_eq!(
        followed,
        ["2025-06-18"],
        "the negotiated revision is the followed one"
    );
}

#[test]
fn each_rule_fails_on_its_own_fact() {
    let (mut report, mut observed) = good();
    observed.audience = Some((200, "other".into()));
    assert!(
        codes(&report, &observed, "2025-06-18").contains(&"audience_not_checked".into()),
        "a token for another resource accepted breaks 2025-06-18"
    );
    assert!(
        codes(&report, &observed, "2025-11-25").contains(&"audience_not_checked".into()),
        "and 2025-11-25"
    );
    assert!(
        !codes(&report, &observed, "2025-03-26").contains(&"audience_not_checked".into()),
        "2025-03-26 has no audience rule"
    );

    let (_, mut observed) = good();
    observed.invalid_token_status = Some(200);
    assert!(
        codes(&report, &observed, "2025-03-26").contains(&"invalid_token_accepted".into()),
        "an invalid token accepted breaks every revision"
    );

    let (_, observed) = good();
    let probe = report.probe.as_mut().unwrap();
    probe.challenges[0].resource_metadata = None;
    probe.challenges[0].scope.clear();
    let later = codes(&report, &observed, "2025-11-25");
    let middle = verdicts(&report, &observed)
        .into_iter()
        .find(|v| v.revision == "2025-06-18")
        .unwrap();
    assert!(
        middle
            .findings
            .iter()
            .any(|f| f.code == "no_resource_metadata_in_challenge"
                && f.severity == crate::desk::Severity::Violation),
        "2025-06-18: resource_metadata in the 401 is a MUST"
    );
    let newest = verdicts(&report, &observed)
        .into_iter()
        .find(|v| v.revision == "2025-11-25")
        .unwrap();
    assert!(
        newest
            .findings
            .iter()
            .any(|f| f.code == "no_resource_metadata_in_challenge"
                && f.severity == crate::desk::Severity::Advice),
        "2025-11-25 allows the well-known fallback instead: advice only"
    );
    assert!(
        later.contains(&"no_scope_in_challenge".into()),
        "2025-11-25: a challenge without scope is noted"
    );

    let (mut report, observed) = good();
    report.probe.as_mut().unwrap().servers = vec![server(false, &[], true)];
    let newest = codes(&report, &observed, "2025-11-25");
    assert!(
        newest.contains(&"no_code_challenge_methods".into()),
        "2025-11-25: no code_challenge_methods_supported breaks a MUST"
    );
    assert!(
        codes(&report, &observed, "2025-06-18").contains(&"no_rfc8414".into()),
        "2025-06-18: metadata found only by OIDC Discovery breaks its RFC 8414 MUST"
    );

    let (mut report, observed) = good();
    report.probe.as_mut().unwrap().servers = vec![server(true, &["plain"], false)];
    assert!(
        codes(&report, &observed, "2025-06-18").contains(&"no_s256".into()),
        "no S256 breaks every revision's PKCE rule"
    );
    assert!(
        codes(&report, &observed, "2025-06-18").contains(&"no_dcr".into()),
        "no registration endpoint is noted"
    );

    let (mut report, observed) = good();
    let probe = report.probe.as_mut().unwrap();
    probe.metadata = None;
    probe.metadata_error = Some("the metadata … must be identical (RFC 9728 §3.3)".into());
    let middle = codes(&report, &observed, "2025-06-18");
    assert!(
        middle.contains(&"no_resource_metadata".into())
            && middle.contains(&"resource_mismatch".into()),
        "refused metadata is both missing and a mismatch: {middle:?}"
    );
}

#[test]
fn an_open_server_is_not_judged_on_authorization() {
    let (mut report, observed) = good();
    report.probe.as_mut().unwrap().status = Some(200);
    let all = verdicts(&report, &observed);
    assert!(
        all.iter().all(|v| v.findings.is_empty()),
        "authorization is optional in MCP: an open server gets no findings"
    );
    assert!(
        all.iter()
            .all(|v| v.passed.iter().any(|p| p.starts_with("not tested"))),
        "and each verdict says what was not tested"
    );
}
