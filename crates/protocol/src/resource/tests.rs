use super::*;

fn response(body: &str) -> HttpResponse {
    HttpResponse {
        url: "https://api.example.com/.well-known/oauth-protected-resource".into(),
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    }
}

fn urls(resource: &str) -> Vec<(MetadataSource, String)> {
    well_known_urls(&Url::parse(resource).unwrap())
        .into_iter()
        .map(|(s, u)| (s, u.to_string()))
        .collect()
}

#[test]
fn well_known_url_inserts_the_path_then_falls_back_to_the_root() {
    assert_eq!(
        urls("https://resource.example.com/resource1"),
        [
            (
                MetadataSource::WellKnown,
                "https://resource.example.com/.well-known/oauth-protected-resource/resource1"
                    .into()
            ),
            (
                MetadataSource::WellKnownRoot,
                "https://resource.example.com/.well-known/oauth-protected-resource".into()
            ),
        ],
        "RFC 9728 §3.1's example: the path goes after the well-known suffix; the root is MCP's fallback"
    );
    assert_eq!(
        urls("https://resource.example.com/"),
        [(
            MetadataSource::WellKnownRoot,
            "https://resource.example.com/.well-known/oauth-protected-resource".into()
        )],
        "a resource without a path has only the root location (a terminating slash is removed)"
    );
    assert_eq!(
        urls("http://127.0.0.1:8080/mcp/?tenant=a#frag")[0].1,
        "http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp?tenant=a",
        "a trailing slash of the path is removed, the query kept and the fragment dropped (§3.1)"
    );
}

#[test]
fn identifiers_drop_the_fragment_and_keep_the_rest() {
    let u = Url::parse("https://api.example.com:8443/mcp?x=1#top").unwrap();
    assert_eq!(
        resource_identifier(&u),
        "https://api.example.com:8443/mcp?x=1",
        "the resource identifier is the URL without its fragment"
    );
    assert_eq!(
        origin_identifier(&u),
        "https://api.example.com:8443",
        "the origin identifier has no path and no trailing slash"
    );
}

#[test]
fn metadata_is_read_and_wrong_types_are_reported_not_fatal() {
    let (m, problems) = parse(&response(
        r#"{"resource":"https://api.example.com/mcp","authorization_servers":["https://as.example.com"],
            "scopes_supported":"read write","bearer_methods_supported":["header","cookie"],
            "dpop_bound_access_tokens_required":"yes","resource_name":"Example"}"#,
    ))
    .unwrap();
    assert_eq!(
        m.resource, "https://api.example.com/mcp",
        "resource is read"
    );
    assert_eq!(
        m.authorization_servers,
        ["https://as.example.com"],
        "authorization_servers are read"
    );
    assert!(
        m.scopes_supported.is_empty()
            && problems
                .iter()
                .any(|p| p.contains("`scopes_supported` is not an array")),
        "a string where an array belongs is dropped and reported: {problems:?}"
    );
    assert!(
        !m.dpop_bound_access_tokens_required
            && problems
                .iter()
                .any(|p| p.contains("dpop_bound_access_tokens_required")),
        "a non-boolean flag reads as false and is reported: {problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("\"cookie\"")),
        "an unknown bearer method is reported: {problems:?}"
    );
}

#[test]
fn a_document_without_a_resource_or_not_an_object_is_refused() {
    for (body, words) in [
        (r#"{"authorization_servers":[]}"#, "no `resource`"),
        (r#"{"resource":42}"#, "not a non-empty string"),
        (r#"["https://api.example.com"]"#, "not a JSON object"),
    ] {
        let e = parse(&response(body)).expect_err(body).to_string();
        assert!(
            e.contains(words),
            "{body} is refused, saying {words:?}: {e}"
        );
    }
}

#[test]
fn signed_metadata_is_decoded_and_compared_but_not_trusted() {
    use base64::Engine;
    let b64 = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    let jwt = format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"ES256"}"#),
        b64(
            r#"{"iss":"https://api.example.com","resource":"https://api.example.com/mcp","scopes_supported":["admin"]}"#
        )
    );
    let body = format!(
        r#"{{"resource":"https://api.example.com/mcp","scopes_supported":["read"],"signed_metadata":"{jwt}"}}"#
    );
    let (m, _) = parse(&response(&body)).unwrap();
    let signed = m.signed.expect("signed_metadata is read");
    assert_eq!(
        signed.iss.as_deref(),
        Some("https://api.example.com"),
        "its iss is reported"
    );
    assert_eq!(signed.alg.as_deref(), Some("ES256"), "its alg is reported");
    assert_eq!(
        signed.differs,
        ["scopes_supported"],
        "members whose signed value differs from the plain one are named (the signed one wins, §2.2)"
    );
    let (m, _) = parse(&response(
        r#"{"resource":"https://a/","signed_metadata":"not a jwt"}"#,
    ))
    .unwrap();
    assert!(
        m.signed
            .and_then(|s| s.unreadable)
            .is_some_and(|u| u.contains("not a JWT")),
        "an undecodable signed_metadata is reported, not fatal"
    );
}

#[test]
fn a_parent_resource_is_the_same_origin_and_a_parent_path_segment_by_segment() {
    let parent = |n: &str, r: &str| is_parent_resource(n, r);
    assert!(
        parent(
            "https://api.example.com/api",
            "https://api.example.com/api/profile"
        ),
        "a parent path on the same origin"
    );
    assert!(
        parent(
            "https://api.example.com",
            "https://api.example.com/anything"
        ),
        "the origin is a parent of every path"
    );
    assert!(
        parent("https://api.example.com/mcp", "https://api.example.com/mcp"),
        "a path is its own parent"
    );
    assert!(
        !parent(
            "https://api.example.com/mcp",
            "https://api.example.com/mcpx"
        ),
        "a prefix that is not a whole segment is not a parent"
    );
    assert!(
        !parent(
            "https://api.example.com/mcp",
            "https://api.example.com/bad-mcp"
        ),
        "a sibling path is not a parent"
    );
    assert!(
        !parent(
            "https://evil.example.com/api",
            "https://api.example.com/api/x"
        ),
        "another host is never a parent"
    );
    assert!(
        !parent(
            "http://api.example.com/api",
            "https://api.example.com/api/x"
        ),
        "another scheme is never a parent"
    );
    assert!(
        !parent(
            "https://api.example.com:8443/api",
            "https://api.example.com/api/x"
        ),
        "another port is never a parent"
    );
    assert!(
        !parent(
            "https://api.example.com/api?x=1",
            "https://api.example.com/api/x"
        ),
        "a resource with a query is not a parent"
    );
    assert!(
        !parent("urn:example:api", "https://api.example.com/api"),
        "a URN is not a parent of a URL"
    );
}
