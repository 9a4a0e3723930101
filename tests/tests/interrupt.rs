//! Interrupted refreshes against a rotating token endpoint (RFC 6749 §6 with rotation, RFC
//! 9700 §4.14.2 reuse detection). A mock server is right here: it rotates on every refresh,
//! refuses a spent refresh token as reuse, and holds its answer back on request, so a signal
//! or a kill can land after the server rotated and before OAuth Desk stored the new token —
//! the window a real server gives no test control over.
//!
//! - SIGTERM or SIGINT inside that window: the CLI finishes the keychain write, then exits
//!   143 / 130, and the next refresh works.
//! - kill -9 at random points of login and refresh, 30 runs: after each, every grant row has
//!   its keychain item and every item of this installation a row; a refresh refused because
//!   a killed one had rotated the token says so in words.

use oauthdesk_tests::Desk;
use oauthdesk_tests::json::str;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The rotating token endpoint's state. Each grant (each password login) has its own chain of
/// refresh tokens, as on a real server: a refresh spends its token and issues the next one,
/// and a login never spends another grant's token.
#[derive(Default)]
struct Rotation {
    /// The refresh token issued last.
    valid: Mutex<String>,
    /// The refresh tokens not spent yet, one per grant.
    live: Mutex<std::collections::HashSet<String>>,
    issued: AtomicUsize,
    /// Refresh requests received.
    refreshes: AtomicUsize,
    /// How long a refresh answer is held back, in ms.
    hold_ms: AtomicU64,
}

impl Rotation {
    fn issue(&self) -> String {
        let n = self.issued.fetch_add(1, Ordering::SeqCst);
        let refresh = format!("rt-{n}-{}", "r".repeat(24));
        *self.valid.lock().unwrap_or_else(|p| p.into_inner()) = refresh.clone();
        self.live
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(refresh.clone());
        format!(
            r#"{{"access_token":"at-{n}-{}","token_type":"Bearer","expires_in":3600,"refresh_token":"{refresh}"}}"#,
            "a".repeat(24)
        )
    }

    fn answer(&self, body: &str) -> (u16, String) {
        let form: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        let get = |k: &str| {
            form.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        match get("grant_type").as_str() {
            "password" => (200, self.issue()),
            "refresh_token" => {
                self.refreshes.fetch_add(1, Ordering::SeqCst);
                let spent = !self
                    .live
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&get("refresh_token"));
                if spent {
                    return (
                        400,
                        r#"{"error":"invalid_grant","error_description":"refresh token reuse detected; grant revoked"}"#.into(),
                    );
                }
                // Rotate first, answer later: the server has spent the old token either way.
                let answer = self.issue();
                std::thread::sleep(Duration::from_millis(self.hold_ms.load(Ordering::SeqCst)));
                (200, answer)
            }
            _ => (400, r#"{"error":"unsupported_grant_type"}"#.into()),
        }
    }
}

fn serve(state: Arc<Rotation>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let state = state.clone();
            std::thread::spawn(move || handle(stream, &state));
        }
    });
    port
}

fn handle(mut stream: TcpStream, state: &Rotation) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_end, length) = loop {
        let Ok(n) = stream.read(&mut chunk) else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..i]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (i + 4, length);
        }
    };
    while buf.len() < head_end + length {
        let Ok(n) = stream.read(&mut chunk) else {
            return;
        };
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).into_owned();
    let (status, json) = state.answer(&body);
    let reply = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{json}",
        json.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

/// The kill test compares the whole keychain before and after: the tests here take turns.
static KEYCHAIN: Mutex<()> = Mutex::new(());

fn setup() -> (Desk, Arc<Rotation>) {
    let desk = Desk::new();
    let state = Arc::new(Rotation::default());
    let port = serve(state.clone());
    let token = format!("http://127.0.0.1:{port}/token");
    desk.run(&[
        "client",
        "add",
        "rot",
        "--client-id",
        "rotating",
        "--auth-method",
        "none",
        "--token-endpoint",
        &token,
    ])
    .ok();
    (desk, state)
}

fn login(desk: &Desk) -> oauthdesk_tests::Run {
    desk.run_mode(
        &[
            "login",
            "rot",
            "--grant",
            "password",
            "--username",
            "u",
            "--password-stdin",
        ],
        Some("pw"),
        "consent",
    )
}

/// The refresh token OAuth Desk holds for the client's current grant.
fn stored_refresh_token(desk: &Desk) -> Option<String> {
    let grants = desk.run(&["grants", "rot", "--json"]).ok().json();
    let id = str(&grants[0]["id"], "the grant's id").to_owned();
    desk.keychain_item(&format!("grant/{id}"))
        .and_then(|v| v["refresh_token"].as_str().map(str::to_owned))
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what} within {limit:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn signal(pid: u32, name: &str) {
    let sent = std::process::Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "SIG{name} was delivered to {pid}");
}

#[test]
fn a_signal_inside_the_rotation_window_waits_for_the_keychain_write() {
    let _turn = KEYCHAIN.lock().unwrap_or_else(|p| p.into_inner());
    for (name, code) in [("TERM", 143), ("INT", 130)] {
        let (desk, state) = setup();
        login(&desk).ok();
        state.hold_ms.store(600, Ordering::SeqCst);
        let mut child = desk
            .command(&["refresh", "rot"], "consent")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("oauthdesk runs");
        // The request is at the server, which has rotated: the window is open.
        wait_until(
            "the refresh reaches the server",
            Duration::from_secs(20),
            || state.refreshes.load(Ordering::SeqCst) == 1,
        );
        signal(child.id(), name);
        let status = child.wait().expect("oauthdesk ends");
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr is piped")
            .read_to_string(&mut stderr)
            .expect("stderr reads");
        assert_eq!(
            status.code(),
            Some(code),
            "SIG{name} ends the command with the shell's code, after the write: {stderr}"
        );
        assert!(
            stderr.contains("finishing the write in progress"),
            "the user is told why the exit waits: {stderr}"
        );
        let valid = state
            .valid
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        assert_eq!(
            stored_refresh_token(&desk).as_deref(),
            Some(valid.as_str()),
            "SIG{name} did not cut between the rotation and the keychain write"
        );
        state.hold_ms.store(0, Ordering::SeqCst);
        let again = desk.run(&["refresh", "rot"]);
        assert_eq!(
            again.code, 0,
            "the next refresh works with the rotated token: {}",
            again.stderr
        );
    }
}

/// The `grant/…` items in the keychain right now.
fn keychain_grants() -> BTreeSet<String> {
    let out = std::process::Command::new("secret-tool")
        .args(["search", "--all", "service", "oauthdesk"])
        .output()
        .expect("secret-tool runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("attribute.username = "))
        .filter(|u| u.starts_with("grant/"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn kill_9_at_random_points_never_leaves_a_row_without_its_secret() {
    let _turn = KEYCHAIN.lock().unwrap_or_else(|p| p.into_inner());
    let (desk, state) = setup();
    let before = keychain_grants();
    login(&desk).ok();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    let (mut refused, mut completed) = (0, 0);
    for run in 0..30 {
        state.hold_ms.store(random(60), Ordering::SeqCst);
        let args: &[&str] = if run % 5 == 4 {
            &[
                "login",
                "rot",
                "--grant",
                "password",
                "--username",
                "u",
                "--password-stdin",
            ]
        } else {
            &["refresh", "rot"]
        };
        let mut child = desk
            .command(args, "consent")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("oauthdesk runs");
        if let Some(mut input) = child.stdin.take() {
            let _ = input.write_all(b"pw");
        }
        // A random point: anywhere from start-up to after the answer.
        std::thread::sleep(Duration::from_millis(random(120)));
        let _ = child.kill();
        let _ = child.wait();

        let grants = desk.run(&["grants", "--json"]).ok().json();
        let rows: BTreeSet<String> = grants
            .as_array()
            .expect("grants --json is a list")
            .iter()
            .map(|g| format!("grant/{}", str(&g["id"], "a grant's id")))
            .collect();
        let items: BTreeSet<String> = keychain_grants().difference(&before).cloned().collect();
        assert_eq!(
            rows, items,
            "run {run}: every grant row has its keychain item and every item its row"
        );
        state.hold_ms.store(0, Ordering::SeqCst);
        let next = desk.run(&["refresh", "rot"]);
        if next.code == 0 {
            completed += 1;
            continue;
        }
        refused += 1;
        assert_eq!(
            next.code, 3,
            "run {run}: a refused refresh exits 3: {}",
            next.stderr
        );
        assert!(
            next.stderr.contains("interrupted") || next.stderr.contains("never stored"),
            "run {run}: a refusal after a killed refresh says an earlier refresh was interrupted: {}",
            next.stderr
        );
        login(&desk).ok();
    }
    eprintln!("kill -9 runs: {completed} refreshed afterwards, {refused} refused as interrupted");
    assert_eq!(completed + refused, 30, "every run was checked");
}
