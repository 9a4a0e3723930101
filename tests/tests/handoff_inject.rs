//! Issue 14 — tokens handed to other programs, through the real `oauthdesk` binary against the
//! real oidc-provider: `header` (text and `--json`, the headers-helper format) used by the real
//! curl at the provider's userinfo (`/me`), Bearer and DPoP-bound; `exec` (the token in the
//! child's environment, exit codes and signals passed through); `curl` (the headers on a pipe,
//! never in curl's argv); the handoff history and "last used by"; log in when needed; and one
//! refresh at the server when ten `header` calls ask at once for an expiring token.

use oauthdesk_tests::json::str;
use oauthdesk_tests::{Desk, Run, wait_with_timeout};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The provider's userinfo endpoint.
fn userinfo(desk: &Desk) -> String {
    format!("{}/me", desk.provider.issuer)
}

/// The real curl with these headers at `url`: the HTTP status it got.
fn curl_status(headers: &[&str], url: &str) -> String {
    let mut cmd = Command::new("curl");
    cmd.args(["-s", "-o", "/dev/null", "-w", "%{http_code}"]);
    for h in headers {
        cmd.args(["-H", h]);
    }
    let out = cmd.arg(url).output().expect("curl is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sandbox(desk: &Desk) {
    desk.add_client(
        "sandbox",
        "native-public",
        None,
        &["--scope", "openid email offline_access"],
    )
    .ok();
    desk.run(&["login", "sandbox"]).ok();
}

#[test]
fn header_prints_what_curl_sends_to_userinfo_bearer_and_dpop() {
    let desk = Desk::new();
    sandbox(&desk);
    let me = userinfo(&desk);
    let text = desk.run(&["header", "sandbox"]).ok().stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "a Bearer token is one header line: {text}");
    assert!(
        lines[0].starts_with("Authorization: Bearer "),
        "the line is an Authorization header: {text}"
    );
    assert_eq!(
        curl_status(&[lines[0]], &me),
        "200",
        "the real curl with the printed header gets userinfo"
    );
    let json = desk.run(&["header", "sandbox", "--json"]).ok().json();
    let auth = str(&json["Authorization"], "the Authorization value");
    assert!(
        auth.starts_with("Bearer ") && json.get("DPoP").is_none(),
        "--json is {{\"Authorization\": \"Bearer …\"}} without DPoP for Bearer: {json}"
    );
    assert_eq!(
        curl_status(&[&format!("Authorization: {auth}")], &me),
        "200",
        "the --json header works with curl too"
    );

    // A DPoP-bound grant: `Authorization: DPoP …` and a proof for this method and URL, with
    // `ath` and the resource's nonce (the provider demands nonces everywhere).
    desk.add_client(
        "bound",
        "native-public",
        None,
        &["--scope", "openid email", "--dpop"],
    )
    .ok();
    desk.run(&["login", "bound"]).ok();
    let missing = desk.run(&["header", "bound"]);
    assert_eq!(
        missing.code, 1,
        "a DPoP proof needs a URL: {}",
        missing.stderr
    );
    assert!(
        missing.stderr.contains("--url"),
        "the error says to give --url: {}",
        missing.stderr
    );
    let text = desk.run(&["header", "bound", "--url", &me]).ok().stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.len() == 2
            && lines[0].starts_with("Authorization: DPoP ")
            && lines[1].starts_with("DPoP: "),
        "a DPoP-bound grant prints the DPoP scheme and a proof line: {text}"
    );
    let claims = jwt_claims(lines[1].trim_start_matches("DPoP: "));
    assert_eq!(claims["htm"], "GET", "the proof is for GET: {claims}");
    assert_eq!(
        claims["htu"],
        me.as_str(),
        "the proof is for the URL: {claims}"
    );
    assert!(
        claims["ath"].is_string(),
        "the proof carries ath (RFC 9449 §4.2): {claims}"
    );
    assert_eq!(
        curl_status(&lines, &me),
        "200",
        "userinfo accepts the DPoP token with the printed proof"
    );
    let json = desk
        .run(&["header", "bound", "--json", "--url", &me])
        .ok()
        .json();
    let auth = format!(
        "Authorization: {}",
        str(&json["Authorization"], "the Authorization value")
    );
    let proof = format!("DPoP: {}", str(&json["DPoP"], "the DPoP proof"));
    assert_eq!(
        curl_status(&[&auth, &proof], &me),
        "200",
        "--json carries the DPoP proof for a headers helper, and it works"
    );
    // `oauthdesk curl` finds the URL and method itself and sends the proof.
    let run = desk.run(&[
        "curl",
        "bound",
        "--",
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        &me,
    ]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "200"),
        "oauthdesk curl with a DPoP-bound grant gets userinfo: {}",
        run.stderr
    );
}

/// The claims of a JWT (not verified: the server does that).
fn jwt_claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("a JWT has a payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url payload");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

#[test]
fn exec_puts_the_token_in_the_environment_and_passes_exit_codes_and_signals() {
    let desk = Desk::new();
    sandbox(&desk);
    let me = userinfo(&desk);
    let script = format!(
        r#"test "$(curl -s -o /dev/null -w '%{{http_code}}' -H "Authorization: Bearer $OAUTHDESK_TOKEN" {me})" = 200"#
    );
    let run = desk.run(&["exec", "sandbox", "--", "sh", "-c", &script]);
    assert_eq!(
        run.code, 0,
        "the command gets a working token in $OAUTHDESK_TOKEN: {}",
        run.stderr
    );
    let run = desk.run(&[
        "exec",
        "sandbox",
        "--env",
        "T",
        "--env-header",
        "AUTH",
        "--",
        "sh",
        "-c",
        r#"test -n "$T" && test "$AUTH" = "Bearer $T" && test -z "$OAUTHDESK_TOKEN""#,
    ]);
    assert_eq!(
        run.code, 0,
        "--env VAR holds the token, --env-header VAR the header value, and no default: {}",
        run.stderr
    );
    let run = desk.run(&["exec", "sandbox", "--", "sh", "-c", "exit 7"]);
    assert_eq!(run.code, 7, "the command's exit code is passed through");
    let run = desk.run(&["exec", "sandbox", "--", "sh", "-c", "kill -TERM $$"]);
    assert_eq!(run.code, 143, "a command ended by SIGTERM exits 128 + 15");
    let run = desk.run(&["exec", "sandbox", "--", "/nonexistent/command"]);
    assert_eq!(run.code, 127, "a command not found is 127, as in a shell");

    // SIGTERM to oauthdesk reaches the command: its trap decides the exit code.
    let mut child = desk
        .command(
            &[
                "exec",
                "sandbox",
                "--",
                "sh",
                "-c",
                "trap 'exit 9' TERM; echo ready; while :; do sleep 0.1; done",
            ],
            "consent",
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("oauthdesk runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the command prints");
    assert_eq!(line.trim(), "ready", "the command started");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let out = wait_with_timeout(child, Duration::from_secs(20));
    assert_eq!(
        out.status.code(),
        Some(9),
        "SIGTERM is passed on to the command, whose exit code (its trap's) is oauthdesk's"
    );

    // The handoffs are in the history and on the grant.
    let history = desk.run(&["history", "sandbox", "--json"]).ok().json();
    let details: Vec<&str> = history
        .as_array()
        .expect("history is a list")
        .iter()
        .filter(|e| e["kind"] == "handoff")
        .filter_map(|e| e["detail"].as_str())
        .collect();
    assert!(
        details.contains(&"token handed to exec for sh"),
        "each exec is a history event naming the command: {details:?}"
    );
    let grants = desk.run(&["grants", "sandbox", "--json"]).ok().json();
    assert_eq!(
        grants[0]["last_used_by"], "exec for sh",
        "the grant shows who used it last: {grants}"
    );
}

#[test]
fn curl_gets_the_header_on_a_pipe_never_on_its_command_line() {
    let desk = Desk::new();
    sandbox(&desk);
    let me = userinfo(&desk);
    // A curl first on PATH that records its own command line, then runs the real curl.
    let bin = desk.home.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    let argv_log = desk.home.path().join("curl-argv.log");
    let real = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v curl"])
            .output()
            .expect("sh")
            .stdout,
    )
    .expect("path");
    let wrapper = bin.join("curl");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nexec '{}' \"$@\"\n",
            argv_log.display(),
            real.trim()
        ),
    )
    .expect("wrapper");
    Command::new("chmod")
        .args(["+x", &wrapper.display().to_string()])
        .status()
        .expect("chmod");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = desk.command(
        &[
            "curl",
            "sandbox",
            "--",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &me,
        ],
        "consent",
    );
    let out = cmd.env("PATH", path).output().expect("oauthdesk runs");
    let run = Run::from(out);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "200"),
        "oauthdesk curl gets userinfo with the token: {}",
        run.stderr
    );
    let argv = std::fs::read_to_string(&argv_log).expect("the wrapper ran");
    let token = desk.run(&["token", "sandbox"]).ok().stdout;
    assert!(
        !argv.contains(token.trim()) && !argv.contains("Bearer"),
        "the token is not on curl's command line: {argv}"
    );
    assert!(
        argv.lines().any(|a| a.starts_with("@/dev/fd/")),
        "curl reads the headers from a pipe: {argv}"
    );
    let history = desk.run(&["history", "sandbox", "--json"]).ok().json();
    assert!(
        history
            .as_array()
            .expect("a list")
            .iter()
            .any(|e| e["detail"] == "token handed to curl for 127.0.0.1"),
        "the curl handoff is a history event naming the host: {history}"
    );
    let run = desk.run(&["curl", "sandbox", "--", "-s", "example.com"]);
    assert_eq!(run.code, 1, "no http(s) URL: an error, not a guess");
}

#[test]
fn a_needed_login_is_named_or_done_when_asked() {
    let desk = Desk::new();
    sandbox(&desk);
    desk.run(&["revoke", "sandbox"]).ok();
    let run = desk.run(&["header", "sandbox"]);
    assert_eq!(
        run.code, 3,
        "no tty, no --login-if-needed: exit 3: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("oauthdesk login sandbox") && run.stderr.contains("--login-if-needed"),
        "stderr names the command to run: {}",
        run.stderr
    );
    let before = desk.authorization_requests().len();
    let run = desk.run(&["header", "sandbox", "--login-if-needed"]).ok();
    assert!(
        run.stdout.starts_with("Authorization: Bearer ") && run.stdout.lines().count() == 1,
        "after the login the header is printed, alone on stdout: {}",
        run.stdout
    );
    assert_eq!(
        desk.authorization_requests().len(),
        before + 1,
        "--login-if-needed ran the browser login once"
    );
    assert_eq!(
        curl_status(&[run.stdout.trim()], &userinfo(&desk)),
        "200",
        "the new login's token works"
    );
    let run = desk.run(&["revoke", "sandbox"]).ok();
    drop(run);
    let run = desk.run(&["token", "sandbox", "--login-if-needed"]).ok();
    assert!(
        !run.stdout.trim().is_empty(),
        "`token --login-if-needed` logs in and prints the token"
    );
}

#[test]
fn ten_header_calls_at_once_refresh_once() {
    let desk = Desk::new();
    // `short-lived`: 1 s access tokens (an hour from a refresh).
    desk.add_client(
        "short",
        "short-lived",
        None,
        &[
            "--scope",
            "openid offline_access",
            "--param",
            "prompt=consent",
        ],
    )
    .ok();
    desk.run(&["login", "short"]).ok();
    std::thread::sleep(Duration::from_millis(1500));
    desk.provider.reset_stats();
    let children: Vec<_> = (0..10)
        .map(|_| {
            desk.command(&["header", "short"], "consent")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("oauthdesk runs")
        })
        .collect();
    let outputs: Vec<Run> = children
        .into_iter()
        .map(|c| Run::from(wait_with_timeout(c, Duration::from_secs(60))))
        .collect();
    let headers: Vec<&str> = outputs.iter().map(|r| r.stdout.trim()).collect();
    for r in &outputs {
        assert_eq!(r.code, 0, "every caller gets a header: {}", r.stderr);
    }
    assert!(
        headers.iter().all(|h| *h == headers[0]),
        "all ten get the same, refreshed token"
    );
    let stats = desk.provider.stats();
    assert_eq!(
        stats["refresh_success"], 1,
        "ten callers at once cause exactly one refresh at the server: {stats}"
    );
    assert_eq!(
        curl_status(&[headers[0]], &userinfo(&desk)),
        "200",
        "the refreshed token works"
    );
}
