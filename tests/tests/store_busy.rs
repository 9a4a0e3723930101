//! A busy store never delays a valid token: while another process holds SQLite's write lock
//! (a long `sqlite3` transaction, another OAuth Desk writing), a cached `oauthdesk token`
//! hands out the token at once and skips recording "last used".

use oauthdesk_tests::Desk;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_locked_database_does_not_delay_a_cached_token() {
    let desk = Desk::new();
    desk.add_client("svc", "service", Some("service-secret"), &[])
        .ok();
    desk.run(&["login", "svc", "--grant", "client_credentials"])
        .ok();
    // Another writer takes the write lock and keeps it until we close its stdin.
    let mut holder = Command::new("sqlite3")
        .arg(desk.db_path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sqlite3 runs");
    let mut stdin = holder.stdin.take().expect("sqlite3's stdin");
    stdin
        .write_all(
            b"BEGIN IMMEDIATE; UPDATE grants SET refresh_count = refresh_count; SELECT 'locked';\n",
        )
        .expect("the lock is asked for");
    stdin.flush().expect("the lock request is sent");
    // Wait for the lock to be held (sqlite3 answers once it is), not a fixed time.
    let mut out = holder.stdout.take().expect("sqlite3's stdout");
    let mut buf = [0u8; 16];
    let n = std::io::Read::read(&mut out, &mut buf).expect("sqlite3 answers");
    assert!(
        String::from_utf8_lossy(&buf[..n]).contains("locked"),
        "the other writer holds the write lock"
    );
    let started = Instant::now();
    let token = desk.run(&["token", "svc"]);
    let took = started.elapsed();
    drop(stdin);
    let _ = holder.wait();
    assert_eq!(
        token.code, 0,
        "the cached token is handed out: {}",
        token.stderr
    );
    assert!(!token.stdout.trim().is_empty(), "the token is printed");
    assert!(
        took < Duration::from_secs(5),
        "the write lock held elsewhere cost {took:?}, not SQLite's 30 s busy timeout"
    );
}
