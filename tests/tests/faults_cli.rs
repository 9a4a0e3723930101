//! The real `oauthdesk` binary against the fault server, with the private keyring of
//! scripts/test: the documented exit codes (0 ok, 1 error, 3 needs login, 4 checks failed),
//! messages in words, no raw control character on the terminal, no secret in any output or
//! in `log`/`history`, and grant rows and keychain items that agree after every case.
//!
//! The cases run one at a time: each compares the keychain's items before and after.

mod faults_support;

use faults_support::{junk_jwt, token_response, token_response_expiring};
use oauthdesk_tests::Run;
use oauthdesk_tests::fault_server::cli::{Installation, assert_rows_match_keychain, keychain_keys};
use oauthdesk_tests::fault_server::{Fault, FaultServer};
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// One CLI case: an installation with client "app" (secret SECRET-cs-cli) whose endpoints are all
/// on `server`; every run's output is kept for the final checks.
struct Case {
    name: &'static str,
    install: Installation,
    server: FaultServer,
    before: BTreeSet<String>,
    outputs: Vec<String>,
    _serial: std::sync::MutexGuard<'static, ()>,
}

impl Case {
    fn new(name: &'static str, server: FaultServer) -> Case {
        let serial = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        let mut case = Case {
            name,
            install: Installation::new(),
            before: keychain_keys(),
            server,
            outputs: Vec::new(),
            _serial: serial,
        };
        let s = &case.server;
        let (token, revoke, device) = (s.url("/token"), s.url("/revoke"), s.url("/device"));
        let args = [
            "client",
            "add",
            "app",
            "--client-id",
            "fault-client",
            "--token-endpoint",
            &token,
            "--revocation-endpoint",
            &revoke,
            "--device-authorization-endpoint",
            &device,
            "--scope",
            "api",
            "--client-secret-stdin",
        ];
        let run = case
            .install
            .run_within(&args, Some("SECRET-cs-cli"), Duration::from_secs(60));
        case.keep(run).ok();
        case
    }

    fn keep(&mut self, run: Run) -> Run {
        self.outputs.push(format!("{}\n{}", run.stdout, run.stderr));
        run
    }

    /// Runs `args`, expecting exit `code`.
    #[track_caller]
    fn expect(&mut self, args: &[&str], code: i32, what: &str) -> Run {
        let started = Instant::now();
        let run = self.install.run(args);
        let run = self.keep(run);
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{}: {what}: `oauthdesk {}` finishes in bounded time",
            self.name,
            args.join(" ")
        );
        assert_eq!(
            run.code,
            code,
            "{}: {what}: `oauthdesk {}` exits {code}\nstdout: {}\nstderr: {}",
            self.name,
            args.join(" "),
            run.stdout,
            run.stderr
        );
        run
    }

    fn login(&mut self, code: i32, what: &str) -> Run {
        self.expect(
            &["login", "app", "--grant", "client_credentials"],
            code,
            what,
        )
    }

    /// The checks every case ends with: rows match the keychain; nothing shown holds a secret
    /// or a raw control character.
    fn finish(mut self) {
        assert_rows_match_keychain(&self.install, &self.before, self.name);
        for args in [
            &["log", "app", "--flows", "50"][..],
            &["log", "app", "--flows", "50", "--curl"],
            &["history", "app"],
            &["grants"],
        ] {
            let run = self.install.run(args);
            self.keep(run);
        }
        for out in &self.outputs {
            assert!(
                !out.contains("SECRET-"),
                "{}: no secret in any output: {out}",
                self.name
            );
            assert!(
                !out.contains('\u{1b}') && !out.contains('\u{7}'),
                "{}: no raw ESC or BEL from the server reaches the terminal: {out:?}",
                self.name
            );
        }
    }
}

fn grant_status(case: &Case) -> String {
    let rows = case.install.grants();
    assert_eq!(rows.len(), 1, "{}: one grant", case.name);
    rows[0]["status"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn a_refresh_refused_with_an_empty_400_exits_3() {
    let mut case = Case::new("refresh 400 empty", FaultServer::start());
    case.server
        .route("/token", Fault::json(200, &token_response(1)));
    case.login(0, "a healthy login");
    case.server.route("/token", Fault::empty(400));
    let run = case.expect(&["refresh", "app"], 3, "a refused refresh needs a login");
    assert!(
        run.stderr.contains("oauthdesk login app"),
        "the message says what to run: {}",
        run.stderr
    );
    assert_eq!(
        grant_status(&case),
        "needs_login",
        "the grant needs a login"
    );
    case.expect(
        &["token", "app"],
        3,
        "a grant needing a login hands out nothing",
    );
    case.finish();
}

#[test]
fn a_refresh_during_an_outage_exits_1_and_keeps_the_grant() {
    let mut case = Case::new("refresh 503", FaultServer::start());
    case.server
        .route("/token", Fault::json(200, &token_response(1)));
    case.login(0, "a healthy login");
    case.server
        .route("/token", Fault::html(503, "Service Unavailable"));
    let run = case.expect(&["refresh", "app"], 1, "an outage is an error");
    assert!(
        run.stderr.contains("HTTP 503"),
        "the status is named: {}",
        run.stderr
    );
    assert_eq!(grant_status(&case), "active", "the grant stays active");
    case.expect(
        &["token", "app", "--min-ttl", "7200"],
        1,
        "a due refresh fails too",
    );
    case.server
        .route("/token", Fault::json(200, &token_response(2)));
    case.expect(
        &["refresh", "app"],
        0,
        "the refresh is retried once the server is back",
    );
    case.finish();
}

#[test]
fn a_truncated_token_response_exits_1_and_shows_no_token() {
    let full = token_response(7).to_string();
    let cut = full.find("SECRET-rt-7").expect("refresh token") + 8;
    let mut case = Case::new("truncated login", FaultServer::start());
    case.server
        .route("/token", Fault::truncated_json(&full, cut));
    let run = case.login(1, "a broken answer is an error");
    assert!(
        run.stderr.contains("not JSON"),
        "the body is named: {}",
        run.stderr
    );
    assert!(case.install.grants().is_empty(), "no grant stored");
    case.finish();
}

#[test]
fn control_characters_in_error_description_are_escaped_on_the_terminal() {
    let body = json!({"error": "invalid_client", "error_description": "no\u{1b}]0;pwned\u{7}"});
    let mut case = Case::new("hostile error_description", FaultServer::start());
    case.server.route("/token", Fault::json(401, &body));
    let run = case.login(1, "a refused login is an error");
    assert!(
        run.stderr.contains("invalid_client") && run.stderr.contains("no\\u{1b}]0;pwned"),
        "the error is named, its description shown with the ESC visible: {}",
        run.stderr
    );
    case.finish();
}

#[test]
fn control_characters_in_a_granted_scope_are_escaped_on_the_terminal() {
    let mut body = token_response(1);
    body["scope"] = json!("api \u{1b}[2Jadmin\u{1b}]0;pwned\u{7}");
    let mut case = Case::new("hostile scope", FaultServer::start());
    case.server.route("/token", Fault::json(200, &body));
    case.login(0, "the scope is data; the login works");
    let run = case.expect(&["grants", "app"], 0, "grants lists it");
    assert!(
        run.stdout.contains("\\u{1b}[2Jadmin"),
        "the scope is shown with the ESC visible: {}",
        run.stdout
    );
    case.expect(
        &["inspect", "app", "--no-introspect"],
        0,
        "inspect shows it",
    );
    case.finish();
}

#[test]
fn control_characters_in_a_device_user_code_are_escaped_on_the_terminal() {
    let server = FaultServer::start();
    let device = json!({
        "device_code": "SECRET-dc-cli", "user_code": "AB\u{1b}[2JCD",
        "verification_uri": server.url("/verify"), "expires_in": 30, "interval": 1,
    });
    server.route("/device", Fault::json(200, &device));
    server.route(
        "/token",
        Fault::json(400, &json!({"error": "access_denied"})),
    );
    let mut case = Case::new("hostile user_code", server);
    let run = case.expect(
        &["login", "app", "--grant", "device_code", "--no-open"],
        1,
        "denied",
    );
    assert!(
        run.stderr.contains("access_denied") && run.stderr.contains("AB\\u{1b}[2JCD"),
        "the user code is shown with the ESC visible, then the denial: {}",
        run.stderr
    );
    case.finish();
}

#[test]
fn an_absurd_expires_in_logs_in_without_crashing() {
    for expires in ["1e30", "9223372036854775807"] {
        let mut case = Case::new("absurd expires_in", FaultServer::start());
        let body = token_response_expiring(1, expires);
        case.server.route("/token", Fault::json_text(200, &body));
        case.login(0, "an absurd lifetime is capped, not a crash");
        // `token` prints the token by design: its output is not one of the shown texts.
        let token = case.install.run(&["token", "app"]);
        assert_eq!(
            (token.code, token.stdout.trim()),
            (0, "SECRET-at-1"),
            "the token is usable: {}",
            token.stderr
        );
        case.finish();
    }
}

#[test]
fn decode_with_an_unreachable_jwks_exits_4() {
    let server = FaultServer::start();
    let doc = faults_support::discovery_document(&server, json!({}));
    server.route("/.well-known/openid-configuration", Fault::json(200, &doc));
    server.route("/jwks", Fault::html(503, "Service Unavailable"));
    let token = junk_jwt(
        "k1",
        json!({"iss": server.base(), "sub": "alice", "exp": 4102444800u64}),
    );
    let base = server.base().to_owned();
    let mut case = Case::new("decode without keys", server);
    let run = case.expect(&["decode", &token, "--issuer", &base], 4, "a failed check");
    assert!(
        run.stdout.contains("HTTP 503") || run.stderr.contains("HTTP 503"),
        "the reason names the JWKS's status: {}{}",
        run.stdout,
        run.stderr
    );
    case.finish();
}
