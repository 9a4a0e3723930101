//! Issue 5 — beyond the basics, through the real `oauthdesk` binary against the real
//! oidc-provider: what the authorization and token requests carry beyond RFC 6749 — pushed
//! authorization requests (RFC 9126), resource indicators (RFC 8707) and DPoP (RFC 9449).

use oauthdesk_tests::json::{array, check, exchange, steps, str, token};
use oauthdesk_tests::{Desk, contains_bytes};

#[test]
fn pushed_authorization_requests_send_only_a_reference_through_the_browser() {
    let desk = Desk::new();
    desk.add_client(
        "par",
        "native-public",
        None,
        &["--scope", "openid email", "--par"],
    )
    .ok();
    let view = desk.run(&["login", "par", "--json"]).ok().json();
    assert_eq!(
        view["status"], "active",
        "a login through PAR stores an active grant: {view}"
    );
    let log = desk.read_browser_log();
    let opened = log
        .lines()
        .find(|l| l.contains("request_uri"))
        .unwrap_or_else(|| panic!("the browser got a request_uri: {log}"));
    for param in ["code_challenge", "nonce", "state", "redirect_uri", "scope"] {
        assert!(
            !opened.contains(&format!("{param}=")),
            "{param} travels in the pushed request, not the browser URL: {opened}"
        );
    }
    let transcript = desk.run(&["log", "par"]).ok().stdout;
    assert!(
        transcript.contains("pushed authorization request") && transcript.contains("201"),
        "the PAR exchange is recorded: {transcript}"
    );
    // The ID token still passes every check (the nonce went through the pushed request).
    let inspected = desk.run(&["inspect", "par", "--no-introspect"]);
    assert_eq!(
        inspected.code, 0,
        "the ID token of a PAR login passes every check (its nonce went in the pushed request): {}",
        inspected.stdout
    );

    // A client the server requires to use PAR: without it the server refuses, in words; with it, it works.
    desk.add_client("strict", "par-required", None, &["--scope", "openid"])
        .ok();
    let refused = desk.run(&["login", "strict"]);
    assert_eq!(
        refused.code, 1,
        "a client that must use PAR cannot log in without it: {}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .to_lowercase()
            .contains("pushed authorization request"),
        "the server's reason is shown: {}",
        refused.stderr
    );
    desk.add_client(
        "strict-par",
        "par-required",
        None,
        &["--scope", "openid", "--par"],
    )
    .ok();
    desk.run(&["login", "strict-par"]).ok();
    let shown = desk
        .run(&["client", "show", "strict-par", "--json"])
        .ok()
        .json();
    assert_eq!(
        shown["par"], true,
        "the client remembers it uses PAR: {shown}"
    );
}

#[test]
fn resource_indicators_reach_the_token_request_and_the_refresh() {
    let desk = Desk::new();
    desk.add_client(
        "api",
        "native-public",
        None,
        &[
            "--scope",
            "openid api:read offline_access",
            "--param",
            "prompt=consent",
        ],
    )
    .ok();
    let bad = desk.run(&["login", "api", "--resource", "not a uri"]);
    assert_eq!(
        bad.code, 1,
        "a resource that is not an absolute URI is refused: {}",
        bad.stderr
    );
    assert!(
        bad.stderr.contains("RFC 8707"),
        "the refusal cites RFC 8707: {}",
        bad.stderr
    );

    desk.run(&[
        "login",
        "api",
        "--resource",
        "urn:oauthdesk:jwt-api",
        "--json",
    ])
    .ok();
    let log = desk.read_browser_log();
    assert!(
        log.contains("resource=urn%3Aoauthdesk%3Ajwt-api"),
        "the authorization request names the resource: {log}"
    );
    // oidc-provider issues the JWT access token only when the token request names the resource too.
    let at = |desk: &Desk| {
        let v = desk
            .run(&["inspect", "api", "--no-introspect", "--json"])
            .json();
        token(&v, "access_token").clone()
    };
    let first = at(&desk);
    assert_eq!(
        first["format"], "jws",
        "an RFC 9068 token for the resource: {first}"
    );
    assert_eq!(
        first["claims"]["aud"], "urn:oauthdesk:jwt-api",
        "the token's audience is the resource: {first}"
    );
    let aud = check(&first["checks"], "aud");
    assert_eq!(
        aud["status"], "pass",
        "the aud check accepts the resource as the audience: {aud}"
    );
    let transcript = desk.run(&["log", "api", "--json"]).ok().json();
    let token_request = exchange(&transcript[0], "token request (authorization_code)");
    assert!(
        str(
            &token_request["request"]["body"],
            "the token request's body"
        )
        .contains("resource=urn%3Aoauthdesk%3Ajwt-api"),
        "the token request names the resource too: {token_request}"
    );

    // A refresh asks for the same resource: the new token has the same audience.
    desk.run(&["refresh", "api"]).ok();
    let after = at(&desk);
    assert_eq!(
        after["format"], "jws",
        "still a JWT for the resource after refresh: {after}"
    );
    assert_eq!(
        after["claims"]["aud"], "urn:oauthdesk:jwt-api",
        "the refresh asks for the same resource, so the same audience: {after}"
    );
    assert_ne!(
        after["claims"]["jti"], first["claims"]["jti"],
        "the refresh brought a new token, not the old one"
    );
}

#[test]
fn dpop_binds_tokens_to_a_key_and_answers_nonce_challenges() {
    let desk = Desk::new();
    desk.add_client(
        "dpop",
        "native-public",
        None,
        &[
            "--scope",
            "openid offline_access api:read",
            "--param",
            "prompt=consent",
            "--dpop",
        ],
    )
    .ok();
    let grant = desk
        .run(&[
            "login",
            "dpop",
            "--resource",
            "urn:oauthdesk:jwt-api",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(grant["token_type"], "DPoP", "a DPoP-bound token: {grant}");
    // The server demands a nonce (use_dpop_nonce); the token request is retried once with it.
    let flows = desk.run(&["log", "dpop", "--json"]).ok().json();
    let steps = steps(&flows[0]);
    assert!(
        steps.contains(&"token request (authorization_code)")
            && steps.contains(&"token request (authorization_code) (with the server's DPoP nonce)"),
        "the token request is retried once with the server's DPoP nonce: {steps:?}"
    );
    let retry = exchange(
        &flows[0],
        "token request (authorization_code) (with the server's DPoP nonce)",
    );
    assert!(
        array(&retry["request"]["headers"], "the retry's headers")
            .iter()
            .any(|h| h[0] == "dpop"),
        "the proof is sent: {retry}"
    );
    // The JWT access token is bound to our key: cnf.jkt is its thumbprint.
    let inspection = desk
        .run(&["inspect", "dpop", "--no-introspect", "--json"])
        .json();
    let at = token(&inspection, "access_token");
    let cnf = check(&at["checks"], "cnf.jkt");
    assert_eq!(
        cnf["status"], "pass",
        "the access token is bound to the client's DPoP key: {cnf}"
    );
    assert_eq!(
        at["claims"]["cnf"]["jkt"].as_str().map(|j| str(
            &cnf["reason"],
            "the cnf.jkt check's reason"
        )
        .contains(j)),
        Some(true),
        "the cnf.jkt check names the token's key thumbprint: {cnf}"
    );
    // A refresh is a DPoP request too; the new token stays bound.
    let refreshed = desk.run(&["refresh", "dpop", "--json"]).ok().json();
    assert_eq!(
        refreshed["token_type"], "DPoP",
        "the refreshed token is DPoP-bound too: {refreshed}"
    );
    let shown = desk.run(&["client", "show", "dpop", "--json"]).ok().json();
    let id = str(&shown["id"], "the client's id");
    let key = desk.keychain_bytes(&format!("dpop/{id}"));
    assert!(!key.is_empty(), "the DPoP private key is in the keychain");
    assert!(
        !contains_bytes(&desk.database_bytes(), String::from_utf8_lossy(&key).trim()),
        "the DPoP private key is not in the database"
    );

    // Userinfo with a DPoP-bound token: DPoP scheme, proof with ath, nonce retry at the resource.
    desk.add_client(
        "dpop-oidc",
        "native-public",
        None,
        &["--scope", "openid email", "--dpop"],
    )
    .ok();
    desk.run(&["login", "dpop-oidc"]).ok();
    let info = desk.run(&["userinfo", "dpop-oidc"]).ok().json();
    assert_eq!(
        info["sub"], "alice",
        "userinfo accepts the DPoP-bound token: {info}"
    );
    let flows = desk.run(&["log", "dpop-oidc", "--json"]).ok().json();
    let first = exchange(&flows[0], "userinfo");
    assert!(
        array(
            &first["request"]["headers"],
            "the userinfo request's headers"
        )
        .iter()
        .any(|h| h[0] == "authorization"
            && str(&h[1], "the authorization header").starts_with("DPoP ")),
        "userinfo is called with the DPoP authorization scheme: {first}"
    );
}
