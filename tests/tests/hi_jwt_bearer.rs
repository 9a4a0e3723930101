//! Issue 15 — the JWT bearer grant (RFC 7523 §2.1), through the real `oauthdesk` binary against
//! the real oidc-provider (tests/provider/extensions/jwt_bearer.mjs): assertions signed here with
//! the client's secret (HS256) or key (ES256), and one piped in that a trusted issuer (the
//! controlled issuer, tests/provider/issuer.mjs) signed. The assertion never shows anywhere.

use oauthdesk_tests::{Desk, Provider, contains_bytes};

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Nothing the CLI printed, no transcript and no database byte holds `secret`.
#[track_caller]
fn never_shown(desk: &Desk, name: &str, secret: &str, what: &str, printed: &[&str]) {
    assert!(
        secret.len() > 10,
        "the {what} is known to the test: {secret:?}"
    );
    for out in printed {
        assert!(!out.contains(secret), "the {what} is never printed: {out}");
    }
    let log = desk
        .run(&["log", name, "--flows", "5", "--json"])
        .ok()
        .stdout;
    assert!(
        !log.contains(secret),
        "the {what} is not in any transcript: {log}"
    );
    assert!(
        !contains_bytes(&desk.database_bytes(), secret),
        "the {what} is not in the database"
    );
}

#[test]
fn jwt_bearer_with_self_signed_and_piped_assertions() {
    let idp = Provider::controlled();
    let provider = Provider::start_with(&[("JWT_BEARER_TRUSTED_ISSUER", &idp.issuer)]);
    let desk = Desk::with_provider(provider);
    let secret = "jwt-bearer-secret-0123456789-0123456789-abcdef";
    desk.add_client(
        "jb",
        "jwt-bearer",
        Some(secret),
        &["--scope", "openid api:read"],
    )
    .ok();

    // Signed here with the client's secret (HS256), with a given subject.
    desk.provider.reset_stats();
    let view = desk
        .run(&[
            "login",
            "jb",
            "--grant",
            "jwt_bearer",
            "--assertion-claims",
            r#"{"sub":"alice"}"#,
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        (view["status"].as_str(), view["grant_type"].as_str()),
        (Some("active"), Some("jwt_bearer")),
        "a self-signed assertion buys an active jwt_bearer grant: {view}"
    );
    assert_eq!(
        desk.provider.stats()["token_success"][JWT_BEARER].as_u64(),
        Some(1),
        "the server accepted one JWT bearer token request: {}",
        desk.provider.stats()
    );
    let log = desk.run(&["log", "jb"]).ok().stdout;
    assert!(
        log.contains("assertion=[redacted]")
            && log.contains(JWT_BEARER.replace(':', "%3A").as_str()),
        "the token request is recorded with the assertion redacted: {log}"
    );

    // After the log check: inspecting records a flow of its own.
    let inspected = desk.run(&["inspect", "jb", "--json"]).ok().stdout;
    assert!(
        inspected.contains("\"alice\""),
        "the token is for the assertion's subject (introspection): {inspected}"
    );

    // Given on stdin: one the trusted issuer signed for this server's token endpoint.
    let token_endpoint = format!("{}/token", desk.provider.issuer);
    let minted = idp.control(
        "/__test/mint",
        serde_json::json!({"case": "ok", "aud": token_endpoint}),
    );
    let assertion = minted["token"]
        .as_str()
        .expect("a minted assertion")
        .to_owned();
    let piped = desk.run_mode(
        &[
            "login",
            "jb",
            "--grant",
            "jwt_bearer",
            "--assertion-stdin",
            "--json",
        ],
        Some(&assertion),
        "consent",
    );
    let view = piped.json();
    assert_eq!(
        view["status"], "active",
        "a piped assertion of a trusted issuer is accepted: {view} {}",
        piped.stderr
    );
    never_shown(
        &desk,
        "jb",
        &assertion,
        "assertion",
        &[&piped.stdout, &piped.stderr],
    );

    // One for another audience is refused by the server, and said so.
    let wrong = idp.control(
        "/__test/mint",
        serde_json::json!({"case": "ok", "aud": "https://elsewhere.example"}),
    );
    let wrong = wrong["token"].as_str().expect("a minted assertion");
    let refused = desk.run_mode(
        &["login", "jb", "--grant", "jwt_bearer", "--assertion-stdin"],
        Some(wrong),
        "consent",
    );
    assert_eq!(
        refused.code, 1,
        "an assertion for another audience fails: {}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("invalid_grant"),
        "the server's answer is shown: {}",
        refused.stderr
    );
    assert!(
        !refused.stderr.contains(wrong),
        "the refused assertion is not echoed: {}",
        refused.stderr
    );

    // Not a JWT at all: refused before anything is sent.
    let junk = desk.run_mode(
        &["login", "jb", "--grant", "jwt_bearer", "--assertion-stdin"],
        Some("not a jwt"),
        "consent",
    );
    assert!(
        junk.code == 1 && junk.stderr.contains("RFC 7523"),
        "a non-JWT assertion is refused in words: {}",
        junk.stderr
    );

    // Signed with the client's own ES256 key (private_key_jwt), registered with its JWKS.
    let registered = desk
        .run(&[
            "client",
            "register",
            "pk",
            "--issuer",
            &desk.provider.issuer,
            "--auth-method",
            "private_key_jwt",
            "--grant-type",
            JWT_BEARER,
            "--scope",
            "api:read",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        registered["auth_method"], "private_key_jwt",
        "registered with a key: {registered}"
    );
    let view = desk
        .run(&["login", "pk", "--grant", "jwt_bearer", "--json"])
        .ok()
        .json();
    assert_eq!(
        view["grant_type"], "jwt_bearer",
        "an ES256 assertion of the client's key is accepted: {view}"
    );
}
