//! Text from outside never reaches the terminal raw: a pasted token's claims are shown with
//! their control characters escaped, and control characters on the command line are refused,
//! in words, before anything is sent or stored.

mod common;

use common::Home;

/// Unpadded base64url (RFC 4648 §5), as JWS compact serialisation writes its segments.
fn base64url(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

#[test]
fn decode_shows_claims_with_control_characters_escaped() {
    let home = Home::new();
    // JSON escapes: the decoded claim names and values hold real ESC, BEL and C1 CSI.
    let payload = r#"{"sub":"alice\u001b]0;pwned\u0007","x\u001b[31m":"\u009b2J","iss":"https://127.0.0.1\u001b[2J"}"#;
    let token = format!(
        "{}.{}.",
        base64url(br#"{"alg":"none"}"#),
        base64url(payload.as_bytes())
    );
    let out = home.run(&["decode", &token]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("claims"),
        "decode reads the token as a JWT and shows its claims: {stdout}"
    );
    assert!(
        !out.stdout.contains(&0x1b),
        "no raw ESC from a claim name or value reaches the terminal: {stdout:?}"
    );
    assert!(
        !out.stdout.contains(&0x07),
        "no raw BEL (the end of an OSC title sequence) reaches the terminal: {stdout:?}"
    );
    assert!(
        !stdout.contains('\u{9b}'),
        "no raw C1 CSI reaches the terminal: {stdout:?}"
    );
    assert!(
        stdout.contains(r"x\u{1b}[31m"),
        "the claim name is still shown, its ESC visible as \\u{{1b}}: {stdout}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "decode does not panic on such a token"
    );
}

/// `client add NAME …extra`, which must be refused with exit 2 and `reason` on stderr.
fn refused(home: &Home, name: &str, extra: &[&str], reason: &str) {
    let mut args = vec![
        "client",
        "add",
        name,
        "--client-id",
        "cli-test",
        "--auth-method",
        "none",
        "--token-endpoint",
        "http://127.0.0.1/token",
    ];
    args.extend(extra);
    let out = home.run(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{name:?} {extra:?} is a usage error (exit 2), refused before anything is stored: {stderr}"
    );
    assert!(
        stderr.contains(reason),
        "{name:?} {extra:?} is refused saying {reason:?}: {stderr}"
    );
}

#[test]
fn control_characters_on_the_command_line_are_refused() {
    let home = Home::new();
    refused(
        &home,
        "demo",
        &["--scope", "openid \u{1b}]0;pwned\u{7}"],
        "the scope contains a control character (U+001B); scopes are printable ASCII (RFC 6749 §3.3)",
    );
    refused(
        &home,
        "demo",
        &["--scope", "openid\nprofile"],
        "the scope contains a control character (U+000A)",
    );
    refused(
        &home,
        "demo",
        &["--scope", "say\"hi\""],
        "the scope contains '\"' (U+0022), which a scope token cannot hold",
    );
    refused(
        &home,
        "demo\u{1b}[2J",
        &[],
        "the client name contains a control character (U+001B)",
    );
    refused(
        &home,
        "demo",
        &["--param", "audience=api\u{7}"],
        "the parameter value contains a control character (U+0007)",
    );
    refused(
        &home,
        "demo",
        &["--userinfo-endpoint", "http://127.0.0.1/\tuserinfo"],
        "the value contains a control character (U+0009)",
    );
    refused(
        &home,
        "demo",
        &["--redirect-uri", "http://127.0.0.1/cb\u{202e}"],
        "the value contains a bidirectional formatting character (U+202E)",
    );
    let list = home.run(&["client", "list", "--json"]);
    assert_eq!(
        String::from_utf8_lossy(&list.stdout).trim(),
        "[]",
        "no refused client was stored"
    );
    let login = home.run(&["login", "demo", "--scope", "a\u{1b}b"]);
    assert_eq!(
        login.status.code(),
        Some(2),
        "login --scope is checked the same way, before any client lookup or request"
    );
}

#[test]
fn valid_scopes_are_accepted_and_stored_normalised() {
    let home = Home::new();
    let out = home.run(&[
        "client",
        "add",
        "demo",
        "--client-id",
        "cli-test",
        "--auth-method",
        "none",
        "--token-endpoint",
        "http://127.0.0.1/token",
        "--scope",
        "openid  api:read https://api.example/.default",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "printable ASCII scopes are accepted: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let client: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("client add --json prints the client");
    assert_eq!(
        client["scopes"], "openid api:read https://api.example/.default",
        "scopes are stored as RFC 6749 §3.3 writes them, one space between tokens"
    );
}
