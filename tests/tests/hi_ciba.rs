//! Issue 15 — CIBA (poll and ping), through the real `oauthdesk` binary against the real
//! oidc-provider (tests/provider/extensions/ciba.mjs): the "authentication device" approves
//! `alice` after ~1 s, denies `deny@example.test`, never answers `silent@example.test`. Ping mode's notification endpoint is
//! served by `oauthdesk` over TLS with a certificate of a CA made here, which node trusts through
//! NODE_EXTRA_CA_CERTS (oidc-provider requires an https notification endpoint).

use oauthdesk_tests::network::PrivateCa;
use oauthdesk_tests::{Desk, Provider, contains_bytes};
use std::process::{Command, Stdio};
use std::time::Duration;

const CIBA: &str = "urn:openid:params:grant-type:ciba";

/// The provider's last auth_req_id (tests/provider/extensions/ciba.mjs).
fn last_auth_req_id(p: &Provider) -> String {
    let out = Command::new("curl")
        .args(["-s", &format!("{}/__test/ciba", p.issuer)])
        .output()
        .expect("curl runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    v["last_auth_req_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn count(stats: &serde_json::Value, grant: &str) -> u64 {
    stats["token_requests"][grant].as_u64().unwrap_or(0)
}

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
fn ciba_poll_mode_approved_denied_and_expired() {
    let desk = Desk::new();
    desk.add_client(
        "ciba",
        "ciba-poll",
        Some("ciba-poll-secret"),
        &["--scope", "openid email"],
    )
    .ok();
    desk.provider.reset_stats();
    let run = desk
        .run(&[
            "login",
            "ciba",
            "--grant",
            "ciba",
            "--login-hint",
            "alice",
            "--binding-message",
            "W4SCT",
            "--json",
        ])
        .ok();
    let view = run.json();
    assert_eq!(
        (
            view["status"].as_str(),
            view["grant_type"].as_str(),
            view["subject"].as_str()
        ),
        (Some("active"), Some("ciba"), Some("alice")),
        "an approved CIBA request stores an active ciba grant for the user: {view}"
    );
    assert!(
        run.stderr.contains("W4SCT")
            && run.stderr.contains("Waiting for approval")
            && run.stderr.contains("left"),
        "the binding message and the countdown lines are printed: {}",
        run.stderr
    );
    assert!(
        count(&desk.provider.stats(), CIBA) >= 1,
        "the token endpoint was polled with the CIBA grant type: {}",
        desk.provider.stats()
    );
    let id = last_auth_req_id(&desk.provider);
    never_shown(
        &desk,
        "ciba",
        &id,
        "auth_req_id",
        &[&run.stdout, &run.stderr],
    );
    let log = desk.run(&["log", "ciba"]).ok().stdout;
    assert!(
        log.contains("backchannel authentication request")
            && log.contains("auth_req_id=[redacted]"),
        "the request and the polls are in the transcript, auth_req_id redacted: {log}"
    );

    let denied = desk.run(&[
        "login",
        "ciba",
        "--grant",
        "ciba",
        "--login-hint",
        "deny@example.test",
    ]);
    assert_eq!(
        denied.code, 1,
        "a denied request fails the login: {}",
        denied.stderr
    );
    assert!(
        denied.stderr.contains("access_denied")
            && denied.stderr.to_lowercase().contains("declined"),
        "the denial is named and explained: {}",
        denied.stderr
    );

    let expired = desk.run(&[
        "login",
        "ciba",
        "--grant",
        "ciba",
        "--login-hint",
        "silent@example.test",
        "--requested-expiry",
        "3",
    ]);
    assert_eq!(
        expired.code, 1,
        "an unanswered request fails the login: {}",
        expired.stderr
    );
    assert!(
        expired.stderr.contains("expired") && expired.stderr.contains("CIBA"),
        "the expiry is explained with the spec: {}",
        expired.stderr
    );
    // A binding message the server refuses (oidc-provider allows 1-20 plain characters).
    let refused = desk.run(&[
        "login",
        "ciba",
        "--grant",
        "ciba",
        "--login-hint",
        "alice",
        "--binding-message",
        "spaces are not allowed here",
    ]);
    assert!(
        refused.code == 1
            && refused.stderr.contains("invalid_binding_message")
            && refused.stderr.contains("CIBA §"),
        "a refused binding message is named and explained with its section: {}",
        refused.stderr
    );
    let grants = desk.run(&["grants", "--json"]).ok().json();
    assert_eq!(
        grants.as_array().map(Vec::len),
        Some(1),
        "only the approved request left a grant: {grants}"
    );
}

/// A free loopback port for the notification endpoint (registered before the provider starts).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[test]
fn ciba_ping_mode_one_token_request_after_the_notification_and_wrong_tokens_ignored() {
    let ca = PrivateCa::new();
    let endpoint = format!("https://127.0.0.1:{}/ciba", free_port());
    let ca_path = ca.ca_pem_path().display().to_string();
    let provider = Provider::start_with(&[
        ("CIBA_PING_ENDPOINT", &endpoint),
        ("NODE_EXTRA_CA_CERTS", &ca_path),
    ]);
    let desk = Desk::with_provider(provider);
    desk.add_client(
        "ping",
        "ciba-ping",
        Some("ciba-ping-secret"),
        &["--scope", "openid"],
    )
    .ok();
    let cert = ca.dir.path().join("server.pem").display().to_string();
    let key = ca.dir.path().join("server.key");
    let set = desk
        .run(&[
            "client",
            "ciba",
            "ping",
            "--mode",
            "ping",
            "--notification-endpoint",
            &endpoint,
            "--tls-cert-file",
            &cert,
            "--tls-key-file",
            &key.display().to_string(),
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        (
            set["delivery_mode"].as_str(),
            set["has_tls_certificate"].as_bool()
        ),
        (Some("ping"), Some(true)),
        "the client keeps ping mode and its endpoint's certificate: {set}"
    );
    let key_pem = std::fs::read_to_string(&key).expect("server.key");
    let key_line = key_pem.lines().nth(1).expect("a key line");
    assert!(
        !contains_bytes(&desk.database_bytes(), key_line),
        "the notification endpoint's key is not in the database"
    );

    desk.provider.reset_stats();
    let run = desk
        .run(&[
            "login",
            "ping",
            "--grant",
            "ciba",
            "--login-hint",
            "alice",
            "--json",
        ])
        .ok();
    assert_eq!(
        run.json()["grant_type"],
        "ciba",
        "ping mode stores a ciba grant: {}",
        run.stdout
    );
    assert_eq!(
        count(&desk.provider.stats(), CIBA),
        1,
        "exactly one token request, after the notification (CIBA §10.2): {}",
        desk.provider.stats()
    );
    assert!(
        run.stderr.contains("notification"),
        "the wait for the notification is shown: {}",
        run.stderr
    );
    let log = desk.run(&["log", "ping"]).ok().stdout;
    assert!(
        log.contains("ciba ping notification (received)") && log.contains("Bearer [redacted]"),
        "the notification is in the transcript, its bearer token redacted: {log}"
    );
    let id = last_auth_req_id(&desk.provider);
    never_shown(
        &desk,
        "ping",
        &id,
        "auth_req_id",
        &[&run.stdout, &run.stderr],
    );

    // A notification with a wrong bearer token (and the real auth_req_id) is refused and ignored.
    desk.provider.reset_stats();
    let mut login = desk.command(
        &[
            "login",
            "ping",
            "--grant",
            "ciba",
            "--login-hint",
            "silent@example.test",
            "--requested-expiry",
            "4",
        ],
        "consent",
    );
    let child = login
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("oauthdesk runs");
    std::thread::sleep(Duration::from_millis(1500));
    let id = last_auth_req_id(&desk.provider);
    let forged = Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--cacert",
            &ca_path,
            "-X",
            "POST",
            "-H",
            "Authorization: Bearer not-the-token",
            "-H",
            "Content-Type: application/json",
            "--data",
            &format!("{{\"auth_req_id\":\"{id}\"}}"),
            &endpoint,
        ])
        .output()
        .expect("curl runs");
    let out = oauthdesk_tests::wait_with_timeout(child, Duration::from_secs(30));
    assert_eq!(
        String::from_utf8_lossy(&forged.stdout),
        "401",
        "a notification with a wrong bearer token is refused: {}",
        String::from_utf8_lossy(&forged.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the login still ends in expiry: {stderr}"
    );
    assert!(
        stderr.contains("expired"),
        "the login expired instead of trusting the forged ping: {stderr}"
    );
    assert_eq!(
        count(&desk.provider.stats(), CIBA),
        0,
        "the forged notification caused no token request: {}",
        desk.provider.stats()
    );
}
