//! Issue 5 — beyond the basics, through the real `oauthdesk` binary against the real
//! oidc-provider: pushed authorization requests (RFC 9126).

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
