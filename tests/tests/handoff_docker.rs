//! The docker credential helper (`docker-credential-oauthdesk`): the docker-credential-helpers
//! protocol driven as the docker CLI drives it (the action as the argument, the server URL or
//! credentials JSON on stdin, JSON on stdout, exit codes), and — when the docker CLI is on
//! PATH — the docker CLI itself finding the helper through `credHelpers` in a throwaway
//! `DOCKER_CONFIG` and using its token: `docker manifest inspect` talks to the registry from the
//! CLI, without a daemon, against a minimal registry behind the test gate, which accepts only
//! tokens the test oidc-provider introspects as active (`tests/src/token_gate`).

use oauthdesk_tests::token_gate::{Backend, TokenGate, registry};
use oauthdesk_tests::{Desk, Run, bin, http, wait_with_timeout};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

const NOT_FOUND: &str = "credentials not found in native keychain\n";

struct Setup {
    desk: Desk,
    gate: TokenGate,
}

impl Setup {
    /// The client `reg` (the server's public `native-public` client, with a refresh token)
    /// logged in, and the registry behind the gate.
    fn new() -> Setup {
        let desk = Desk::new();
        desk.add_client(
            "reg",
            "native-public",
            None,
            &["--scope", "openid offline_access"],
        )
        .ok();
        desk.run(&["login", "reg"]).ok();
        let gate = TokenGate::start(&desk.provider.issuer, Backend::Registry);
        Setup { desk, gate }
    }

    /// `docker-credential-oauthdesk ACTION` with `input` on stdin, as docker runs it.
    fn helper(&self, action: &str, input: &[u8]) -> Run {
        let mut cmd = Command::new(bin("docker-credential-oauthdesk"));
        cmd.arg(action)
            .env("OAUTHDESK_HOME", self.desk.home.path())
            .env("BROWSER", bin("oauthdesk-test-browser"))
            .env("OAUTHDESK_TEST_BROWSER_MODE", "none")
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("the helper runs");
        {
            let mut stdin = child.stdin.take().expect("stdin");
            // docker may close early on a refusal; a broken pipe here is the helper's business.
            let _ = stdin.write_all(input);
        }
        Run::from(wait_with_timeout(child, Duration::from_secs(60)))
    }

    fn get(&self, server_url: &str) -> Run {
        self.helper("get", server_url.as_bytes())
    }

    /// The registry's answer to `GET /v2/` with these Basic credentials.
    fn registry_status(&self, username: &str, secret: &str) -> u16 {
        http(
            reqwest::Method::GET,
            &format!("{}/v2/", self.gate.url),
            &[],
            Some((username, secret)),
        )
        .0
    }
}

#[test]
fn the_helper_speaks_the_docker_credential_protocol() {
    let s = Setup::new();
    let host = s.gate.host.clone();

    let unknown = s.get(&host);
    assert_eq!(
        (unknown.code, unknown.stdout.as_str()),
        (1, NOT_FOUND),
        "an unmapped registry is docker's exact not-found answer and exit 1: {}",
        unknown.stderr
    );

    // Mapped with a scheme and a path: the host is what counts.
    s.desk
        .run(&["docker", "map", &format!("http://{host}/v2/"), "reg"])
        .ok();
    let maps = s.desk.run(&["docker", "maps", "--json"]).ok().json();
    assert_eq!(
        maps,
        serde_json::json!([{ "host": host, "client": "reg", "username": "oauth2accesstoken" }]),
        "the map is stored normalised, with the default username"
    );
    s.desk.provider.reset_stats();

    let got = s.get(&host).ok().json();
    assert_eq!(
        got["ServerURL"],
        host.as_str(),
        "ServerURL is what docker asked for"
    );
    assert_eq!(got["Username"], "oauth2accesstoken", "the map's username");
    let secret = got["Secret"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        s.registry_status("oauth2accesstoken", &secret),
        200,
        "the Secret is an access token the registry's gate accepts"
    );
    assert_eq!(
        s.registry_status("oauth2accesstoken", "not-a-token"),
        401,
        "the gate refuses anything else: the check above means something"
    );
    let with_scheme = s.get(&format!("http://{host}/v2/\n")).ok().json();
    assert_eq!(
        with_scheme["Secret"],
        secret.as_str(),
        "docker's other spellings of the registry find the same map"
    );
    assert_eq!(
        s.desk.provider.refresh_requests(),
        0,
        "a fresh token is handed out without a refresh"
    );

    let listed = s.helper("list", b"").ok().json();
    assert_eq!(
        listed,
        serde_json::json!({ host.clone(): "oauth2accesstoken" }),
        "list maps each registry to its username"
    );

    // store: a no-op for a mapped registry (docker login stores what it just used); refused in
    // words for others, and the secret is never repeated.
    let stored = s.helper(
        "store",
        format!(r#"{{"ServerURL":"{host}","Username":"x","Secret":"{secret}"}}"#).as_bytes(),
    );
    assert_eq!(
        (stored.code, stored.stdout.as_str()),
        (0, ""),
        "store for a mapped registry is a no-op"
    );
    let elsewhere = s.helper(
        "store",
        br#"{"ServerURL":"other.example.com","Username":"u","Secret":"typed-password-123"}"#,
    );
    assert_eq!(
        elsewhere.code, 1,
        "store for an unmapped registry is refused"
    );
    assert!(
        elsewhere
            .stdout
            .contains("oauthdesk docker map other.example.com")
            && !elsewhere.stdout.contains("typed-password-123")
            && !elsewhere.stderr.contains("typed-password-123"),
        "the refusal says what to do instead and never repeats the password: {}",
        elsewhere.stdout
    );

    // erase → the next get refreshes although the token had not expired.
    let erased = s.helper("erase", host.as_bytes());
    assert_eq!(
        erased.code, 0,
        "erase of a mapped registry: {}",
        erased.stderr
    );
    let after = s.get(&host).ok().json();
    let renewed = after["Secret"].as_str().unwrap_or_default().to_owned();
    assert_ne!(renewed, secret, "after erase docker gets a new token");
    assert_eq!(
        s.desk.provider.refresh_requests(),
        1,
        "erase made the next get refresh once"
    );
    assert_eq!(
        s.registry_status("oauth2accesstoken", &renewed),
        200,
        "the new token works"
    );

    let history = s.desk.run(&["history", "reg", "--json"]).ok().stdout;
    let who = format!("token handed to docker for {host}");
    assert!(
        history.contains(&who),
        "the history says {who:?}: {history}"
    );

    // Another username per map.
    s.desk
        .run(&["docker", "map", &host, "reg", "--username", "robot"])
        .ok();
    assert_eq!(
        s.get(&host).ok().json()["Username"],
        "robot",
        "the map's own username"
    );

    // Hostile and odd input.
    let hostile = s.get("\u{1b}]0;pwned\u{7}");
    assert_eq!(
        (hostile.code, hostile.stdout.as_str()),
        (1, NOT_FOUND),
        "a server URL that is not a host is simply not found"
    );
    assert!(
        !hostile.stderr.contains('\u{1b}'),
        "nothing docker sent reaches the terminal raw: {:?}",
        hostile.stderr
    );
    let huge = s.helper("get", &vec![b'a'; 100 * 1024]);
    assert_eq!(huge.code, 1, "input over 64 KiB is refused");
    let empty = s.get("");
    assert_eq!(
        (empty.code, empty.stdout.trim()),
        (1, "no credentials server URL"),
        "no server URL is docker-credential-helpers' own message"
    );
    let usage = s.helper("frobnicate", b"");
    assert_eq!(usage.code, 1, "an unknown action is usage");
    assert!(usage.stdout.starts_with("Usage:"), "{}", usage.stdout);
    s.helper("version", b"").ok();

    s.desk.run(&["docker", "unmap", &host]).ok();
    assert_eq!(
        s.get(&host).stdout,
        NOT_FOUND,
        "an unmapped registry is not found again"
    );
    s.desk.run(&["docker", "map", &host, "reg"]).ok();
    s.desk.run(&["client", "remove", "reg"]).ok();
    assert_eq!(
        s.desk.run(&["docker", "maps", "--json"]).ok().json(),
        serde_json::json!([]),
        "removing the client removes its registry maps"
    );
    for run in [&stored, &erased, &hostile] {
        for token in [&secret, &renewed] {
            assert!(!run.stderr.contains(token.as_str()), "no token on stderr");
        }
    }
}

#[test]
fn the_docker_cli_uses_the_helper_through_cred_helpers() {
    if Command::new("docker").arg("--version").output().is_err() {
        eprintln!("skipped: no docker CLI on PATH (the protocol test above still ran)");
        return;
    }
    let s = Setup::new();
    let host = s.gate.host.clone();
    let config = tempfile::tempdir().expect("DOCKER_CONFIG");
    std::fs::write(
        config.path().join("config.json"),
        serde_json::json!({ "credHelpers": { host.clone(): "oauthdesk" } }).to_string(),
    )
    .expect("config.json");
    let helper_dir = bin("docker-credential-oauthdesk")
        .parent()
        .expect("target dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        helper_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let image = format!("{host}/{}:{}", registry::REPOSITORY, registry::TAG);
    let docker = || {
        let mut cmd = Command::new("docker");
        cmd.args(["manifest", "inspect", "--insecure", &image])
            .env("DOCKER_CONFIG", config.path())
            .env("HOME", config.path())
            .env("PATH", &path)
            // No daemon is needed, and none is used.
            .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
            .env("OAUTHDESK_HOME", s.desk.home.path())
            .env("OAUTHDESK_TEST_BROWSER_MODE", "none")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Run::from(wait_with_timeout(
            cmd.spawn().expect("docker runs"),
            Duration::from_secs(60),
        ))
    };

    let anonymous = docker();
    assert_ne!(
        anonymous.code, 0,
        "unmapped, the helper has no credentials and the registry refuses docker"
    );
    assert_eq!(s.gate.log().accepted.len(), 0, "no token was sent");

    s.desk.run(&["docker", "map", &host, "reg"]).ok();
    let inspected = docker();
    assert_eq!(
        inspected.code, 0,
        "docker manifest inspect works with the helper's token: {}",
        inspected.stderr
    );
    let config_digest = registry::digest(&registry::config_blob());
    assert!(
        inspected.stdout.contains(&config_digest),
        "docker read the manifest from the registry: {}",
        inspected.stdout
    );
    let log = s.gate.log();
    assert!(
        !log.accepted.is_empty() && log.usernames.iter().all(|u| u == "oauth2accesstoken"),
        "docker sent the helper's username and an active token: {log:?}"
    );
    let history = s.desk.run(&["history", "reg", "--json"]).ok().stdout;
    assert!(
        history.contains(&format!("token handed to docker for {host}")),
        "the handoff to docker is in the history: {history}"
    );

    // A revoked grant: docker fails and the helper's message names the login command.
    s.desk.run(&["revoke", "reg"]).ok();
    let revoked = docker();
    assert_ne!(
        revoked.code, 0,
        "no credentials after the grant was revoked"
    );
    assert!(
        revoked.stderr.contains("oauthdesk login reg"),
        "docker's output names the command to run: {}",
        revoked.stderr
    );
    let token = log.accepted.last().cloned().unwrap_or_default();
    assert!(
        !inspected.stderr.contains(&token) && !revoked.stderr.contains(&token),
        "the token is not in docker's output"
    );
}
