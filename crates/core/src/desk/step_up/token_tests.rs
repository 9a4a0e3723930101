//! `invalid_token`, refusals without an OAuth challenge, DPoP errors, hostile values, and where
//! the API's metadata is looked up.

use super::explain::metadata_to_fetch;
use super::invalid_token::{MetadataLookup, resources_for};
use super::tests::{API, Case, NOW, header};
use super::*;
use crate::model::GrantStatus;
use serde_json::json;

#[test]
fn invalid_token_tells_expired_revoked_and_unexplained_apart() {
    let mut expired = Case::new(
        401,
        r#"Bearer error="invalid_token", error_description="jwt expired""#,
    );
    expired.claims = Some(json!({ "aud": API, "exp": NOW - 90 }));
    let (c, plan) = expired.explained();
    assert_eq!(
        c.token,
        Some(TokenVerdict::Expired),
        "an exp in the past is an expired token"
    );
    assert_eq!(
        c.summary,
        "The token expired 1 min ago (its exp, RFC 7519 §4.1.4) (invalid_token, RFC 6750 §3.1).",
        "the summary says when it expired"
    );
    assert!(
        plan.is_some_and(|p| p.reason == "A new login would get a fresh token."),
        "a fresh login fixes it"
    );

    let mut opaque = Case::new(401, r#"Bearer error="invalid_token""#);
    opaque.claims = None;
    opaque.grant.expires_at = Some(NOW - 5);
    assert_eq!(
        opaque.explained().0.token,
        Some(TokenVerdict::Expired),
        "an opaque token is judged by the grant's expiry"
    );

    let mut revoked = Case::new(401, r#"Bearer error="invalid_token""#);
    revoked.grant.status = GrantStatus::Revoked;
    revoked.grant.revoked_at = Some(NOW - 7200);
    let (c, _) = revoked.explained();
    assert_eq!(
        c.token,
        Some(TokenVerdict::Revoked),
        "a revoked grant explains the refusal"
    );
    assert_eq!(
        c.summary,
        "The token was revoked: the grant is revoked since 2 h ago (invalid_token, RFC 6750 §3.1).",
        "the summary says it was revoked, and when"
    );

    let (c, _) = Case::new(401, r#"Bearer error="invalid_token""#).explained();
    assert_eq!(
        c.token,
        Some(TokenVerdict::NotExplained),
        "nothing visible explains it"
    );
    assert!(
        c.summary
            .contains("it is not expired (exp in 50 min), the grant is not revoked")
            && c.summary.contains("names no resource_metadata"),
        "the summary says what was ruled out: {}",
        c.summary
    );
}

#[test]
fn invalid_token_for_another_resource_is_named_from_the_metadata() {
    let mut case = Case::new(
        401,
        r#"Bearer error="invalid_token", resource_metadata="https://api.example/.well-known/oauth-protected-resource/api""#,
    );
    case.resource = Some("urn:other");
    case.claims = Some(json!({ "aud": "urn:other", "exp": NOW + 3000 }));
    case.metadata = Some(MetadataLookup::Found {
        url: "https://api.example/.well-known/oauth-protected-resource/api".into(),
        resource: API.into(),
    });
    let (c, plan) = case.explained();
    assert_eq!(
        c.token,
        Some(TokenVerdict::OtherResource),
        "aud ≠ the API's resource"
    );
    assert_eq!(
        c.summary,
        "The token is for another resource: its audience is urn:other (aud, RFC 9068 §3), and this API is https://api.example/api (invalid_token, RFC 6750 §3.1).",
        "the summary names both resources"
    );
    assert_eq!(
        c.api_resource.as_deref(),
        Some(API),
        "the API's resource is reported"
    );
    let plan = plan.expect("a login for the API's resource would do");
    assert_eq!(
        plan.resource.as_deref(),
        Some(API),
        "the plan asks for the API's resource, not the old one"
    );

    // An opaque token asked for without any resource.
    case.resource = None;
    case.claims = None;
    let (c, _) = case.explained();
    assert_eq!(
        c.token,
        Some(TokenVerdict::OtherResource),
        "no resource asked for, the API has one"
    );
    assert!(
        c.summary
            .contains("without a resource indicator (RFC 8707 §2)"),
        "{}",
        c.summary
    );

    // Metadata that names another resource is not used (RFC 9728 §3.3).
    case.metadata = Some(MetadataLookup::Unusable("refused (RFC 9728 §3.3)".into()));
    let (c, plan) = case.explained();
    assert_eq!(
        c.token,
        Some(TokenVerdict::NotExplained),
        "unusable metadata tells nothing"
    );
    assert!(
        c.problems.iter().any(|p| p.contains("RFC 9728 §3.3")),
        "why it was not used: {:?}",
        c.problems
    );
    assert_eq!(
        plan.and_then(|p| p.resource),
        None,
        "the plan does not take a resource from refused metadata"
    );
}

#[test]
fn missing_or_foreign_challenges_are_explained_without_a_plan() {
    let (c, plan) = Case::new(401, "").explained();
    assert_eq!(
        c.kind,
        ChallengeKind::NoChallenge,
        "no WWW-Authenticate at all"
    );
    assert!(
        c.summary.contains("RFC 9110 §15.5.2"),
        "a 401 must carry a challenge: {}",
        c.summary
    );
    assert!(plan.is_none(), "nothing says what to ask for");
    let (c, _) = Case::new(403, "").explained();
    assert!(
        c.summary
            .contains("HTTP 403 without a WWW-Authenticate challenge"),
        "{}",
        c.summary
    );
    let (c, _) = Case::new(401, r#"Basic realm="x""#).explained();
    assert_eq!(
        c.kind,
        ChallengeKind::NotOauth,
        "a Basic-only challenge is not OAuth"
    );
    let (c, _) = Case::new(401, r#"Bearer realm="x""#).explained();
    assert_eq!(
        c.kind,
        ChallengeKind::NoError,
        "a Bearer challenge without error"
    );
    assert!(
        c.summary.contains("may not have seen the token"),
        "{}",
        c.summary
    );
    let (c, _) = Case::new(400, r#"Bearer error="invalid_request""#).explained();
    assert_eq!(
        c.kind,
        ChallengeKind::InvalidRequest,
        "a 400 with a Bearer challenge is explained"
    );
    assert!(
        Case::new(200, r#"Bearer error="invalid_token""#)
            .run()
            .is_none(),
        "a 2xx needs no explaining"
    );
    assert!(
        Case::new(404, "").run().is_none(),
        "a 404 without an OAuth challenge is not an OAuth refusal"
    );
}

#[test]
fn dpop_errors_and_scheme_mismatches_are_named() {
    let mut case = Case::new(401, r#"DPoP error="use_dpop_nonce", algs="ES256""#);
    case.scheme = "DPoP";
    let (c, plan) = case.explained();
    assert_eq!(
        c.kind,
        ChallengeKind::UseDpopNonce,
        "the nonce error is recognised"
    );
    assert!(
        c.summary.contains("after the retry with the nonce"),
        "{}",
        c.summary
    );
    assert!(plan.is_none(), "a new login does not fix a nonce loop");
    case.scheme = "Bearer";
    let (c, _) = case.explained();
    assert!(c.summary.contains("sent as Bearer"), "{}", c.summary);
    assert!(
        c.details.iter().any(|d| d.contains("offers only DPoP")),
        "the API offers only DPoP: {:?}",
        c.details
    );
    let mut proof = Case::new(401, r#"DPoP error="invalid_dpop_proof", algs="PS256""#);
    proof.scheme = "DPoP";
    let (c, _) = proof.explained();
    assert_eq!(
        c.kind,
        ChallengeKind::InvalidDpopProof,
        "the proof error is recognised"
    );
    assert!(
        c.details.iter().any(|d| d.contains("PS256")),
        "the accepted algs are named: {:?}",
        c.details
    );
}

#[test]
fn the_challenge_of_the_sent_scheme_is_explained() {
    let mut case = Case::new(401, "");
    case.headers = vec![
        ("WWW-Authenticate".into(), r#"DPoP algs="ES256""#.into()),
        (
            "www-authenticate".into(),
            r#"Bearer error="insufficient_scope", scope="api:write""#.into(),
        ),
    ];
    let (c, _) = case.explained();
    assert_eq!(
        c.scheme.as_deref(),
        Some("Bearer"),
        "the Bearer challenge with an error speaks to a Bearer call"
    );
    assert_eq!(
        c.missing_scopes,
        ["api:write"],
        "its scope is read across field lines"
    );
}

#[test]
fn hostile_values_are_shown_escaped_and_their_problems_kept() {
    let (c, _) = Case::new(
        403,
        "Bearer error=\"insufficient_scope\", scope=\"api:write\", max_age=\"soon\", error_description=\"x\u{1b}]0;pwned\u{7}\"",
    )
    .explained();
    let text = format!("{} {}", c.summary, c.details.join(" "));
    assert!(
        !text.contains(['\u{1b}', '\u{7}']),
        "no raw control character in the sentences: {text:?}"
    );
    assert!(
        text.contains(r"\u{1b}"),
        "the description is still shown, escaped: {text}"
    );
    assert!(
        c.problems.iter().any(|p| p.contains("max_age")),
        "the bad max_age is a problem: {:?}",
        c.problems
    );
    let long = format!(
        "Bearer error=\"invalid_token\", error_description=\"{}\"",
        "a".repeat(100_000)
    );
    let (c, _) = Case::new(401, &long).explained();
    assert!(
        c.details.iter().all(|d| d.len() < 1000),
        "a huge description is cut when shown"
    );
}

#[test]
fn metadata_is_looked_up_only_for_invalid_token_naming_it() {
    let named = r#"Bearer error="invalid_token", resource_metadata="https://api.example/m""#;
    assert_eq!(
        metadata_to_fetch(401, &header(named), "Bearer").as_deref(),
        Some("https://api.example/m"),
        "invalid_token with resource_metadata: fetched"
    );
    let scope = r#"Bearer error="insufficient_scope", resource_metadata="https://api.example/m""#;
    assert_eq!(
        metadata_to_fetch(403, &header(scope), "Bearer"),
        None,
        "not for insufficient_scope"
    );
    assert_eq!(
        metadata_to_fetch(200, &header(named), "Bearer"),
        None,
        "not for a success"
    );
}

#[test]
fn the_resources_a_call_may_stand_for_are_the_url_and_its_prefixes() {
    let url = url::Url::parse("http://127.0.0.1:8080/api/admin?x=1#f").unwrap();
    let r = resources_for(&url);
    assert_eq!(
        r[0], "http://127.0.0.1:8080/api/admin?x=1",
        "the URL itself (no fragment) first"
    );
    for want in [
        "http://127.0.0.1:8080/api",
        "http://127.0.0.1:8080/api/",
        "http://127.0.0.1:8080/",
        "http://127.0.0.1:8080",
    ] {
        assert!(r.iter().any(|x| x == want), "{want} is a candidate: {r:?}");
    }
    assert!(
        !r.iter().any(|x| x.contains("other")),
        "only prefixes of the same origin: {r:?}"
    );
}
