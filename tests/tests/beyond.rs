//! Issue 5 — beyond the basics, through the real `oauthdesk` binary against the real
//! oidc-provider: pushed authorization requests (RFC 9126) and resource indicators (RFC 8707).

use oauthdesk_tests::Desk;

#[test]
fn pushed_authorization_requests_send_only_a_reference_through_the_browser() {
    let desk = Desk::new();
    desk.add_client("par", "native-public", None, &["--scope", "openid email", "--par"]).ok();
    let view = desk.run(&["login", "par", "--json"]).ok().json();
    assert_eq!(view["status"], "active");
    let log = std::fs::read_to_string(&desk.browser_log).unwrap();
    let opened = log.lines().find(|l| l.contains("request_uri")).unwrap_or_else(|| panic!("the browser got a request_uri: {log}"));
    for param in ["code_challenge", "nonce", "state", "redirect_uri", "scope"] {
        assert!(!opened.contains(&format!("{param}=")), "{param} travels in the pushed request, not the browser URL: {opened}");
    }
    let transcript = desk.run(&["log", "par"]).ok().stdout;
    assert!(transcript.contains("pushed authorization request") && transcript.contains("201"), "the PAR exchange is recorded: {transcript}");
    // The ID token still passes every check (the nonce went through the pushed request).
    assert_eq!(desk.run(&["inspect", "par", "--no-introspect"]).code, 0);

    // A client the server requires to use PAR: without it the server refuses, in words; with it, it works.
    desk.add_client("strict", "par-required", None, &["--scope", "openid"]).ok();
    let refused = desk.run(&["login", "strict"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.to_lowercase().contains("pushed authorization request"), "the server's reason is shown: {}", refused.stderr);
    desk.add_client("strict-par", "par-required", None, &["--scope", "openid", "--par"]).ok();
    desk.run(&["login", "strict-par"]).ok();
    assert_eq!(desk.run(&["client", "show", "strict-par", "--json"]).ok().json()["par"], true);
}

#[test]
fn resource_indicators_reach_the_token_request_and_the_refresh() {
    let desk = Desk::new();
    desk.add_client("api", "native-public", None, &["--scope", "openid api:read offline_access", "--param", "prompt=consent"]).ok();
    let bad = desk.run(&["login", "api", "--resource", "not a uri"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("RFC 8707"), "{}", bad.stderr);

    desk.run(&["login", "api", "--resource", "urn:oauthdesk:jwt-api", "--json"]).ok();
    let log = std::fs::read_to_string(&desk.browser_log).unwrap();
    assert!(log.contains("resource=urn%3Aoauthdesk%3Ajwt-api"), "the authorization request names the resource: {log}");
    // oidc-provider issues the JWT access token only when the token request names the resource too.
    let at = |desk: &Desk| {
        let v = desk.run(&["inspect", "api", "--no-introspect", "--json"]).json();
        v["tokens"].as_array().unwrap().iter().find(|t| t["token"] == "access_token").cloned().unwrap()
    };
    let first = at(&desk);
    assert_eq!(first["format"], "jws", "an RFC 9068 token for the resource: {first}");
    assert_eq!(first["claims"]["aud"], "urn:oauthdesk:jwt-api");
    let aud = first["checks"].as_array().unwrap().iter().find(|c| c["name"] == "aud").unwrap().clone();
    assert_eq!(aud["status"], "pass", "{aud}");
    let transcript = desk.run(&["log", "api", "--json"]).ok().json();
    let token_request = transcript[0]["exchanges"].as_array().unwrap().iter().find(|e| e["step"] == "token request (authorization_code)").unwrap().clone();
    assert!(token_request["request"]["body"].as_str().unwrap().contains("resource=urn%3Aoauthdesk%3Ajwt-api"), "{token_request}");

    // A refresh asks for the same resource: the new token has the same audience.
    desk.run(&["refresh", "api"]).ok();
    let after = at(&desk);
    assert_eq!(after["format"], "jws", "still a JWT for the resource after refresh: {after}");
    assert_eq!(after["claims"]["aud"], "urn:oauthdesk:jwt-api");
    assert_ne!(after["claims"]["jti"], first["claims"]["jti"], "a new token");
}
