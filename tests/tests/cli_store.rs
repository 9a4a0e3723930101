//! Storage behaviour of the real binary: single-flight refresh across processes, a missing
//! keychain, input validation, and the redacted transcript.

use oauthdesk_tests::{Desk, Provider, Run, wait_with_timeout};
use std::process::Stdio;
use std::time::Duration;

#[test]
fn twenty_processes_on_an_expired_token_refresh_once() {
    let desk = Desk::new();
    desk.add_client("short", "short-lived", None, &["--scope", "openid"])
        .ok();
    let v = desk.run(&["login", "short", "--json"]).ok().json();
    assert!(
        v["expires_at"].as_i64().unwrap() - v["issued_at"].as_i64().unwrap() <= 1,
        "test server issues a 1 s token: {v}"
    );
    std::thread::sleep(Duration::from_millis(2100));
    desk.provider.reset_stats();

    let children: Vec<_> = (0..20)
        .map(|_| {
            let mut c = desk.command(&["token", "short"], "none");
            c.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .stdin(Stdio::null());
            c.spawn().expect("spawn")
        })
        .collect();
    let runs: Vec<Run> = children
        .into_iter()
        .map(|c| Run::from(wait_with_timeout(c, Duration::from_secs(60))))
        .collect();
    for r in &runs {
        assert_eq!(r.code, 0, "every process gets a token: {}", r.stderr);
    }
    let first = runs[0].stdout.trim();
    assert!(
        runs.iter().all(|r| r.stdout.trim() == first),
        "all 20 print the same token"
    );
    assert_eq!(
        desk.provider.refresh_requests(),
        1,
        "exactly one refresh request reached the server"
    );
    let grant = desk.run(&["grants", "short", "--json"]).ok().json();
    assert_eq!(grant[0]["refresh_count"], 1, "one refresh recorded");
    let again = desk.run(&["refresh", "short", "--json"]).ok().json();
    assert_eq!(
        again["refresh_count"], 2,
        "the rotated refresh token is still usable"
    );
    assert_eq!(
        desk.provider.refresh_requests(),
        2,
        "the explicit refresh is the second refresh request at the server"
    );
}

#[test]
fn without_a_keychain_commands_fail_clearly_and_write_nothing() {
    let desk = Desk::new();
    let no_bus = |args: &[&str], stdin: Option<&str>| {
        let mut c = desk.command(args, "consent");
        c.env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/oauthdesk-test-bus",
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        {
            use std::io::Write;
            let mut input = child.stdin.take().unwrap();
            if let Some(s) = stdin {
                input.write_all(s.as_bytes()).unwrap();
            }
        }
        Run::from(wait_with_timeout(child, Duration::from_secs(30)))
    };
    let r = no_bus(
        &[
            "client",
            "add",
            "svc",
            "--client-id",
            "service",
            "--issuer",
            &desk.provider.issuer,
            "--client-secret-stdin",
        ],
        Some("service-secret"),
    );
    assert_eq!(
        r.code, 1,
        "adding a client with a secret fails without a keychain: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains("keychain is not usable") && r.stderr.contains("fix:"),
        "cause and fix named: {}",
        r.stderr
    );
    assert_eq!(
        desk.run(&["client", "list", "--json"]).ok().json(),
        serde_json::json!([]),
        "no client written half-way"
    );

    // A public client needs no secret to register, but a login must not start without a keychain.
    desk.add_client("app", "native-public", None, &[]).ok();
    let login = no_bus(&["login", "app"], None);
    assert_eq!(
        login.code, 1,
        "a login fails without a keychain: {}",
        login.stderr
    );
    assert!(
        login.stderr.contains("keychain"),
        "the failure names the keychain: {}",
        login.stderr
    );
    assert!(
        !desk.browser_log.exists(),
        "no browser was opened for a login that could not be stored"
    );
    assert!(
        no_bus(&["client", "list"], None).code == 0,
        "commands that need no secret still work"
    );
}

#[test]
fn input_is_validated_with_reasons() {
    let desk = Desk::new();
    let insecure = desk.run(&[
        "client",
        "add",
        "x",
        "--client-id",
        "c",
        "--token-endpoint",
        "http://as.example/token",
    ]);
    assert_eq!(
        insecure.code, 1,
        "a plain-http token endpoint is refused: {}",
        insecure.stderr
    );
    assert!(
        insecure
            .stderr
            .contains("plain http is only allowed for loopback"),
        "the refusal says plain http is only for loopback: {}",
        insecure.stderr
    );
    desk.run(&[
        "client",
        "add",
        "x",
        "--client-id",
        "c",
        "--token-endpoint",
        "http://as.example/token",
        "--insecure",
    ])
    .ok();
    let redirect = desk.run(&[
        "client",
        "add",
        "y",
        "--client-id",
        "c",
        "--token-endpoint",
        "https://as.example/token",
        "--redirect-uri",
        "https://app.example/cb",
    ]);
    assert!(
        redirect.code == 1 && redirect.stderr.contains("loopback"),
        "a redirect URI that is not loopback is refused, saying so: {}",
        redirect.stderr
    );
    let usage = desk.run(&["login"]);
    assert_eq!(usage.code, 2, "usage errors exit 2");
    let missing = desk.run(&["token", "nobody"]);
    assert!(
        missing.code == 1 && missing.stderr.contains("no client named"),
        "an unknown client name is refused in words: {}",
        missing.stderr
    );
    let dup = desk.run(&[
        "client",
        "add",
        "x",
        "--client-id",
        "c",
        "--token-endpoint",
        "https://as.example/token",
    ]);
    assert!(
        dup.code == 1 && dup.stderr.contains("already exists"),
        "a second client of the same name is refused: {}",
        dup.stderr
    );
    let bad_issuer = desk.run(&[
        "client",
        "add",
        "z",
        "--client-id",
        "c",
        "--issuer",
        &format!("{}/nope", desk.provider.issuer),
    ]);
    assert!(
        bad_issuer.code == 1 && bad_issuer.stderr.contains("discovery failed"),
        "an issuer without a discovery document is refused, saying so: {}",
        bad_issuer.stderr
    );
}

#[test]
fn transcript_shows_every_step_redacted_and_as_curl() {
    let desk = Desk::new();
    desk.add_client("app", "native-public", None, &["--scope", "openid"])
        .ok();
    desk.run(&["login", "app"]).ok();
    let token = desk.run(&["token", "app"]).ok().stdout.trim().to_owned();
    let log = desk.run(&["log", "app"]).ok().stdout;
    for step in [
        "authorization request",
        "callback received",
        "token request (authorization_code)",
    ] {
        assert!(log.contains(step), "step {step:?} recorded: {log}");
    }
    assert!(
        log.contains("code=[redacted]") && log.contains("code_verifier=[redacted]"),
        "code and verifier redacted: {log}"
    );
    assert!(
        log.contains("\"access_token\":\"[redacted]\""),
        "response tokens redacted: {log}"
    );
    assert!(!log.contains(&token), "no token in the log");
    let curl = desk.run(&["log", "app", "--curl"]).ok().stdout;
    assert!(
        curl.contains("curl -X POST") && curl.contains("\"code_verifier=${CODE_VERIFIER}\""),
        "the curl rendering puts a variable where the verifier was: {curl}"
    );
    let json = desk.run(&["log", "app", "--json"]).ok().json();
    assert_eq!(
        json[0]["operation"], "login",
        "the newest transcript is the login's: {json}"
    );
    assert_eq!(
        json[0]["exchanges"][2]["response"]["status"], 200,
        "the token request (third step) is recorded with its status: {json}"
    );
}

#[test]
fn issuers_with_a_path_and_rfc8414_only_servers_are_discovered() {
    for (env, expected) in [
        (
            &[("ISSUER_PATH", "/tenant/a")][..],
            "OpenID Connect Discovery",
        ),
        (
            &[("ISSUER_PATH", "/tenant/a"), ("DISCOVERY", "rfc8414")][..],
            "RFC 8414",
        ),
    ] {
        let desk = Desk::with_provider(Provider::start_with(env));
        let issuer = desk.provider.issuer.clone();
        assert!(issuer.ends_with("/tenant/a"), "issuer has a path: {issuer}");
        let added = desk
            .add_client("t", "native-public", None, &["--scope", "openid", "--json"])
            .ok()
            .json();
        assert_eq!(
            added["endpoints"]["token"].as_str(),
            Some(format!("{issuer}/token").as_str()),
            "endpoints under the path via {expected}: {added}"
        );
        let log = desk.run(&["log", "t"]).ok().stdout;
        if expected == "RFC 8414" {
            assert!(
                log.contains("openid-configuration → 404")
                    && log.contains("/.well-known/oauth-authorization-server/tenant/a → 200"),
                "fell back to RFC 8414's inserted path: {log}"
            );
        } else {
            assert!(
                log.contains("/tenant/a/.well-known/openid-configuration → 200"),
                "OIDC appends to the path: {log}"
            );
        }
        let grant = desk.run(&["login", "t", "--json"]).ok().json();
        assert_eq!(
            grant["subject"], "alice",
            "a full code flow works against the path issuer ({expected})"
        );
    }
}
