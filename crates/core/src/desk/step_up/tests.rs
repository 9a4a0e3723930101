//! The explanation of refused calls and the step-up plans, from synthetic challenges: scopes,
//! user authentication and plans here, `invalid_token` and the other refusals in `token_tests.rs`.

use super::explain::{Facts, explain};
use super::invalid_token::MetadataLookup;
use super::*;
use serde_json::{Value, json};

pub(super) const NOW: i64 = 1_800_000_000;
pub(super) const API: &str = "https://api.example/api";

pub(super) fn grant(requested: &str, granted: Option<&str>, grant_type: GrantType) -> GrantView {
    GrantView {
        id: "g-1".into(),
        client: "demo".into(),
        grant_type,
        scopes_requested: requested.into(),
        scopes_granted: granted.map(str::to_owned),
        token_type: "Bearer".into(),
        has_access_token: true,
        has_refresh_token: true,
        expires_at: Some(NOW + 3000),
        issued_at: NOW - 600,
        ..GrantView::blank()
    }
}

pub(super) fn header(v: &str) -> Vec<(String, String)> {
    vec![("WWW-Authenticate".into(), v.into())]
}

pub(super) struct Case {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) grant: GrantView,
    pub(super) resource: Option<&'static str>,
    pub(super) claims: Option<Value>,
    pub(super) scheme: &'static str,
    pub(super) metadata: Option<MetadataLookup>,
}

impl Case {
    pub(super) fn new(status: u16, challenge: &str) -> Case {
        Case {
            status,
            headers: if challenge.is_empty() {
                vec![]
            } else {
                header(challenge)
            },
            grant: grant(
                "openid api:read",
                Some("openid api:read"),
                GrantType::AuthorizationCode,
            ),
            resource: Some(API),
            claims: Some(json!({ "aud": API, "exp": NOW + 3000, "scope": "api:read" })),
            scheme: "Bearer",
            metadata: None,
        }
    }

    pub(super) fn run(&self) -> Option<(CallChallenge, Option<StepUpPlan>)> {
        explain(&Facts {
            status: self.status,
            headers: &self.headers,
            now: NOW,
            grant: &self.grant,
            requested_resource: self.resource,
            claims: self.claims.as_ref(),
            sent_scheme: self.scheme,
            metadata: self.metadata.as_ref(),
        })
    }

    #[track_caller]
    pub(super) fn explained(&self) -> (CallChallenge, Option<StepUpPlan>) {
        self.run().expect("this response is explained")
    }
}

#[test]
fn insufficient_scope_names_the_missing_scope_and_plans_the_union() {
    let (c, plan) = Case::new(
        403,
        r#"Bearer error="insufficient_scope", scope="api:read api:write", error_description="needs write""#,
    )
    .explained();
    assert_eq!(
        c.kind,
        ChallengeKind::InsufficientScope,
        "the kind is read from error="
    );
    assert_eq!(
        c.missing_scopes,
        ["api:write"],
        "missing = the challenge's scope minus the granted ones"
    );
    assert_eq!(
        c.summary,
        "The token lacks the scope api:write that this API requires (insufficient_scope, RFC 6750 §3.1).",
        "the summary names the missing scope and the section"
    );
    assert!(
        c.details
            .iter()
            .any(|d| d == "The API's own words: needs write"),
        "the server's error_description is quoted: {:?}",
        c.details
    );
    let plan = plan.expect("a new login can ask for the missing scope");
    assert_eq!(
        plan.scope, "openid api:read api:write",
        "the plan asks for the grant's scopes and the challenge's"
    );
    assert_eq!(
        plan.added_scopes,
        ["api:write"],
        "the plan says which scopes are new"
    );
    assert_eq!(
        plan.resource.as_deref(),
        Some(API),
        "the plan keeps the grant's resource (RFC 8707)"
    );
    assert!(
        !plan.prompt_login && plan.acr_values.is_empty(),
        "a scope step-up does not force a new authentication"
    );
    assert_eq!(
        plan.extra_params(),
        [("resource".to_owned(), API.to_owned())],
        "the only extra parameter is the resource"
    );
}

#[test]
fn insufficient_scope_without_anything_to_ask_for_has_no_plan() {
    let (c, plan) = Case::new(
        401,
        r#"Bearer error="insufficient_scope", scope="api:read""#,
    )
    .explained();
    assert!(
        plan.is_none(),
        "nothing missing: a new login would change nothing"
    );
    assert!(
        c.summary
            .contains("yet the grant already has every scope the challenge names (api:read)")
            && c.summary
                .contains("it answered HTTP 401, where RFC 6750 §3.1 says 403"),
        "the summary says nothing is missing and that the status departs from the spec: {}",
        c.summary
    );
    let (c, plan) = Case::new(403, r#"Bearer error="insufficient_scope""#).explained();
    assert!(
        plan.is_none(),
        "a challenge naming no scope gives nothing to ask for"
    );
    assert!(
        c.summary.contains("names no scope"),
        "says the challenge names no scope: {}",
        c.summary
    );
}

#[test]
fn user_authentication_names_acr_values_and_max_age_and_plans_prompt_login() {
    let mut case = Case::new(
        401,
        r#"Bearer error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="urn:x:mfa urn:x:hwk", max_age="60""#,
    );
    case.claims = Some(
        json!({ "aud": API, "exp": NOW + 3000, "acr": "urn:x:basic", "auth_time": NOW - 600 }),
    );
    let (c, plan) = case.explained();
    assert_eq!(
        c.kind,
        ChallengeKind::InsufficientUserAuthentication,
        "RFC 9470's error is recognised"
    );
    assert_eq!(
        c.summary,
        "The API wants a stronger or more recent user authentication (insufficient_user_authentication, RFC 9470 §3): acr_values urn:x:mfa urn:x:hwk; an authentication at most 1 min old (max_age 60).",
        "the summary names the acr values and the max_age"
    );
    assert!(
        c.details
            .iter()
            .any(|d| d == "The token says: acr urn:x:basic, authenticated 10 min ago (auth_time)."),
        "the token's own acr and auth_time are shown: {:?}",
        c.details
    );
    let plan = plan.expect("a browser login can authenticate again");
    assert_eq!(
        plan.acr_values,
        ["urn:x:mfa", "urn:x:hwk"],
        "the plan asks for the acr values"
    );
    assert_eq!(plan.max_age, Some(60), "the plan asks for the max_age");
    assert!(plan.prompt_login, "acr/max_age demanded: prompt=login");
    let params = plan.extra_params();
    for p in [
        ("acr_values", "urn:x:mfa urn:x:hwk"),
        ("max_age", "60"),
        ("prompt", "login"),
        ("resource", API),
    ] {
        assert!(
            params.iter().any(|(k, v)| k == p.0 && v == p.1),
            "the login sends {}={}: {params:?}",
            p.0,
            p.1
        );
    }
}

#[test]
fn user_authentication_for_client_credentials_says_there_is_no_user() {
    let mut case = Case::new(
        401,
        r#"Bearer error="insufficient_user_authentication", acr_values="mfa""#,
    );
    case.grant = grant("api:read", Some("api:read"), GrantType::ClientCredentials);
    let (c, plan) = case.explained();
    assert!(
        plan.is_none(),
        "no user to authenticate again in a client-credentials grant"
    );
    assert!(
        c.details
            .iter()
            .any(|d| d.contains("there is no user to authenticate again")),
        "says why there is no plan: {:?}",
        c.details
    );
    let (_, plan) = {
        let mut scope = Case::new(
            403,
            r#"Bearer error="insufficient_scope", scope="api:write""#,
        );
        scope.grant = grant("api:read", Some("api:read"), GrantType::ClientCredentials);
        scope.explained()
    };
    let plan = plan.expect("client credentials can ask for more scope directly");
    assert_eq!(
        plan.grant_type,
        GrantType::ClientCredentials,
        "the new grant is of the same type"
    );
    assert!(
        plan.notes.iter().any(|n| n.contains("no browser opens")),
        "the plan says no browser opens"
    );
}

#[test]
fn plans_refuse_what_a_login_cannot_carry() {
    let (_, plan) = Case::new(
        403,
        r#"Bearer error="insufficient_scope", scope="api:write""#,
    )
    .explained();
    let mut plan = plan.expect("a plan");
    assert!(
        plan.login_options().is_ok(),
        "a code-grant plan makes login options"
    );
    plan.acr_values = vec!["a\nb".into()];
    assert!(
        plan.login_options().is_err(),
        "a control character in a plan is refused"
    );
    plan.acr_values = vec![];
    plan.grant_type = GrantType::Password;
    assert!(
        plan.login_options().is_err(),
        "a password grant cannot be re-authorized without the password"
    );
}

#[test]
fn the_new_grant_is_checked_against_the_plan() {
    let (_, plan) = Case::new(
        401,
        r#"Bearer error="insufficient_user_authentication", acr_values="urn:x:mfa""#,
    )
    .explained();
    let mut plan = plan.expect("a plan");
    plan.added_scopes = vec!["api:write".into()];
    let mut g = grant(
        "openid api:read api:write",
        Some("openid api:read"),
        GrantType::AuthorizationCode,
    );
    g.claims = Some(json!({ "access_token": { "acr": "urn:x:basic" } }));
    let notes = plan.shortfalls(&g);
    assert!(
        notes.iter().any(|n| n.contains("did not grant api:write")),
        "a scope not granted is noted: {notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("acr urn:x:basic, not one of the urn:x:mfa")),
        "another acr is noted: {notes:?}"
    );
    g.claims = Some(json!({ "access_token": { "acr": "urn:x:mfa" } }));
    g.scopes_granted = Some("openid api:read api:write".into());
    assert!(
        plan.shortfalls(&g).is_empty(),
        "nothing to note when the server gave what was asked for"
    );
}
