//! The RFC examples and real-world spellings of WWW-Authenticate challenges.

use super::*;

fn one(header: &str) -> Challenges {
    parse([header])
}

fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// The only OAuth challenge of `header`, which must parse without syntax problems.
fn oauth_one(header: &str) -> ResourceChallenge {
    let parsed = one(header);
    assert_eq!(
        parsed.problems,
        Vec::<String>::new(),
        "a well-formed header has no syntax problems: {header}"
    );
    let mut all = parsed.oauth();
    assert_eq!(all.len(), 1, "one Bearer/DPoP challenge in {header}");
    all.remove(0)
}

#[test]
fn rfc9110_example_two_schemes_token_and_escaped_quotes() {
    let c = one(r#"Basic realm="simple", Newauth realm="apps", type=1, title="Login to \"apps\"""#);
    assert!(
        c.problems.is_empty(),
        "RFC 9110 §11.6.1's example is well-formed: {:?}",
        c.problems
    );
    assert_eq!(
        c.challenges,
        vec![
            Challenge {
                scheme: "Basic".into(),
                token68: None,
                params: params(&[("realm", "simple")]),
            },
            Challenge {
                scheme: "Newauth".into(),
                token68: None,
                params: params(&[
                    ("realm", "apps"),
                    ("type", "1"),
                    ("title", r#"Login to "apps""#)
                ]),
            },
        ],
        "two challenges in one field; `type=1` (a token) joins Newauth; \\\" unescapes (RFC 9110 §11.6.1)"
    );
    assert!(
        c.oauth().is_empty(),
        "neither Basic nor Newauth is an OAuth challenge"
    );
}

#[test]
fn rfc6750_examples() {
    let r = oauth_one(r#"Bearer realm="example""#);
    assert_eq!(
        (r.scheme.as_str(), r.realm.as_deref(), r.error.as_deref()),
        ("Bearer", Some("example"), None),
        "a challenge without an error: realm only (RFC 6750 §3)"
    );
    let r = oauth_one(
        r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#,
    );
    assert_eq!(
        (r.error.as_deref(), r.error_description.as_deref()),
        (Some("invalid_token"), Some("The access token expired")),
        "error and error_description of an expired token (RFC 6750 §3)"
    );
    let r = oauth_one(
        r#"Bearer realm="example", error="insufficient_scope", scope="openid profile  email""#,
    );
    assert_eq!(
        r.error.as_deref(),
        Some("insufficient_scope"),
        "insufficient_scope is read (RFC 6750 §3.1)"
    );
    assert_eq!(
        r.scope,
        ["openid", "profile", "email"],
        "scope is space-delimited, doubled spaces give no empty scope (RFC 6750 §3)"
    );
    assert!(
        r.problems.is_empty(),
        "nothing wrong with these values: {:?}",
        r.problems
    );
}

#[test]
fn rfc9449_dpop_challenges() {
    let r = oauth_one(r#"DPoP algs="ES256 PS256""#);
    assert_eq!(
        (r.scheme.as_str(), r.algs.clone()),
        ("DPoP", vec!["ES256".to_owned(), "PS256".to_owned()]),
        "algs is the space-delimited list of accepted proof algorithms (RFC 9449 §7.1)"
    );
    let r = oauth_one(
        r#"DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256""#,
    );
    assert_eq!(
        (r.error.as_deref(), r.algs.clone()),
        (Some("invalid_token"), vec!["ES256".to_owned()]),
        "a DPoP error challenge keeps error and algs (RFC 9449 §7.1)"
    );
}

#[test]
fn rfc9470_step_up() {
    let r = oauth_one(
        r#"Bearer error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="myACR""#,
    );
    assert_eq!(
        (r.error.as_deref(), r.acr_values.clone(), r.max_age),
        (
            Some("insufficient_user_authentication"),
            vec!["myACR".to_owned()],
            None
        ),
        "the step-up error names the acr_values required (RFC 9470 §3)"
    );
    let r = oauth_one(
        r#"Bearer error="insufficient_user_authentication", error_description="More recent authentication is required", max_age="5""#,
    );
    assert_eq!(
        r.max_age,
        Some(5),
        "max_age is read as seconds (RFC 9470 §3)"
    );
    assert!(
        r.problems.is_empty(),
        "a valid max_age is no problem: {:?}",
        r.problems
    );
}

#[test]
fn rfc9728_resource_metadata() {
    let r = oauth_one(
        r#"Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource""#,
    );
    assert_eq!(
        r.resource_metadata.as_deref(),
        Some("https://resource.example.com/.well-known/oauth-protected-resource"),
        "resource_metadata points at the protected resource metadata (RFC 9728 §5.1)"
    );
    assert!(
        r.problems.is_empty(),
        "a valid URL is no problem: {:?}",
        r.problems
    );
    let r = oauth_one(r#"Bearer resource_metadata="not a url""#);
    assert!(
        r.problems
            .iter()
            .any(|p| p.contains("resource_metadata") && p.contains("RFC 9728")),
        "a resource_metadata that is no URL is reported: {:?}",
        r.problems
    );
}

#[test]
fn real_world_spellings() {
    let r = oauth_one(r#"bearer error="invalid_token""#);
    assert_eq!(
        (r.scheme.as_str(), r.error.as_deref()),
        ("bearer", Some("invalid_token")),
        "a lowercase scheme is still Bearer (schemes are case-insensitive, RFC 9110 §11.1), kept as sent"
    );
    let r = oauth_one(r#"Bearer realm="GitHub""#);
    assert_eq!(
        r.realm.as_deref(),
        Some("GitHub"),
        "GitHub's bare realm challenge is read"
    );
    let r = oauth_one(
        r#"Bearer error="invalid_token", error_description="expired, please log in, again""#,
    );
    assert_eq!(
        r.error_description.as_deref(),
        Some("expired, please log in, again"),
        "commas inside a quoted string do not split the list"
    );
    let r = oauth_one("Bearer error=invalid_token, scope=openid");
    assert_eq!(
        (r.error.as_deref(), r.scope.clone()),
        (Some("invalid_token"), vec!["openid".to_owned()]),
        "unquoted token values are values (RFC 9110 §11.2 allows token or quoted-string)"
    );
    let r = oauth_one("Bearer error = \"invalid_token\" ,\tERROR_description\t=\t\"x\"");
    assert_eq!(
        (r.error.as_deref(), r.error_description.as_deref()),
        (Some("invalid_token"), Some("x")),
        "whitespace around = (BWS) and tabs are allowed; names are case-insensitive and lowercased"
    );
    let c = one("Bearer");
    assert_eq!(
        (
            c.challenges.len(),
            c.challenges[0].token68.clone(),
            c.challenges[0].params.len(),
            c.problems.len()
        ),
        (1, None, 0, 0),
        "a bare scheme is a challenge without parameters"
    );
    let c = one("Basic YWxhZGRpbjpvcGVuc2VzYW1l==");
    assert_eq!(
        c.challenges[0].token68.as_deref(),
        Some("YWxhZGRpbjpvcGVuc2VzYW1l=="),
        "base64 with padding after a scheme is a token68, not a parameter"
    );
    let c = one("Negotiate abc=, Bearer realm=x");
    assert_eq!(
        (
            c.challenges[0].token68.as_deref(),
            c.challenges[1].param("realm")
        ),
        (Some("abc="), Some("x")),
        "a token68 ending in = followed by a comma is a token68; the next challenge still parses"
    );
}

#[test]
fn several_challenges_and_field_lines() {
    let c = one(r#"Bearer realm="a", DPoP algs="ES256""#);
    let schemes: Vec<&str> = c.challenges.iter().map(|c| c.scheme.as_str()).collect();
    assert_eq!(
        schemes,
        ["Bearer", "DPoP"],
        "two challenges in one field are both read"
    );
    assert_eq!(
        c.challenges[1].param("algs"),
        Some("ES256"),
        "algs belongs to DPoP, not to Bearer"
    );
    let headers = vec![
        ("Content-Type".to_owned(), "text/plain".to_owned()),
        (
            "WWW-Authenticate".to_owned(),
            r#"Bearer realm="a""#.to_owned(),
        ),
        (
            "www-authenticate".to_owned(),
            r#"DPoP algs="ES256", error="use_dpop_nonce""#.to_owned(),
        ),
    ];
    let c = from_headers(&headers);
    let o = c.oauth();
    assert_eq!(
        (o.len(), o[0].realm.as_deref(), o[1].error.as_deref()),
        (2, Some("a"), Some("use_dpop_nonce")),
        "every WWW-Authenticate line counts, names matched case-insensitively"
    );
    let c = one(" , ,Bearer realm=\"a\", , ,error=\"x\",, ");
    assert_eq!(
        (
            c.challenges.len(),
            c.challenges[0].params.len(),
            c.problems.len()
        ),
        (1, 2, 0),
        "empty list elements are allowed anywhere (RFC 9110 §5.6.1): {:?}",
        c.problems
    );
}

#[test]
fn duplicated_parameter_is_a_problem_and_the_first_wins() {
    let c = one(r#"Bearer error="invalid_token", Error="insufficient_scope""#);
    assert_eq!(
        c.challenges[0].params.len(),
        2,
        "both occurrences are kept raw"
    );
    let r = &c.oauth()[0];
    assert_eq!(
        r.error.as_deref(),
        Some("invalid_token"),
        "the first occurrence is used"
    );
    assert!(
        r.problems
            .iter()
            .any(|p| p.contains("error appears 2 times") && p.contains("RFC 6750 §3")),
        "a duplicated parameter is reported (RFC 6750 §3 MUST NOT appear more than once): {:?}",
        r.problems
    );
}

#[test]
fn max_age_that_is_no_number() {
    for (v, why) in [
        ("-1", "negative"),
        ("abc", "not a number"),
        ("soon", "not a number"),
        ("99999999999999999999999", "too large"),
        ("", "empty"),
        ("+5", "not a number"),
    ] {
        let r = &one(&format!(r#"Bearer max_age="{v}""#)).oauth()[0];
        assert_eq!(r.max_age, None, "max_age={v:?} is not used as seconds");
        assert!(
            r.problems
                .iter()
                .any(|p| p.contains("max_age") && p.contains(why)),
            "max_age={v:?} is reported as {why}: {:?}",
            r.problems
        );
    }
}
