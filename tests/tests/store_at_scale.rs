//! The store at scale through the real binary (issue 16): `grants --json` and the audit exports
//! stream thousands of grants — every row, newest first, in valid documents — and a reader
//! that goes away ends the process quietly. Timings are the benchmark's (`scripts/bench`);
//! here the behaviour and a memory bound that only streaming can keep.

use oauthdesk_tests::{Desk, bin, wait_with_timeout, workspace_root};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

const GRANTS: usize = 20_000;
const CLIENTS: usize = 50;

/// A store of `GRANTS` grants over `CLIENTS` clients, by the benchmark's seeder (real SQLite).
fn seeded() -> Desk {
    let desk = Desk::new();
    let done = Command::new("python3")
        .arg(workspace_root().join("benches/seed.py"))
        .arg(bin("oauthdesk"))
        .arg(desk.home.path())
        .arg(CLIENTS.to_string())
        .arg(GRANTS.to_string())
        .status()
        .expect("python3 runs benches/seed.py");
    assert!(done.success(), "the seeder fills the store");
    desk
}

/// Peak RSS in KiB of `oauthdesk ARGS` (GNU time's %M), its output thrown away.
fn peak_rss_kib(desk: &Desk, args: &[&str]) -> u64 {
    let report = desk.home.path().join("rss.txt");
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-o")
        .arg(&report)
        .arg("-f")
        .arg("%M")
        .arg(bin("oauthdesk"))
        .args(args)
        .env("OAUTHDESK_HOME", desk.home.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let out = wait_with_timeout(
        cmd.spawn().expect("GNU time runs"),
        Duration::from_secs(120),
    );
    assert!(
        out.status.success(),
        "{args:?} succeeds: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&report)
        .expect("time wrote its report")
        .trim()
        .parse()
        .expect("a number of KiB")
}

#[test]
fn thousands_of_grants_stream_whole_in_every_format_in_bounded_memory() {
    let desk = seeded();

    let grants = desk.run(&["grants", "--json"]).ok().json();
    let list = grants
        .as_array()
        .expect("`grants --json` is one JSON array");
    assert_eq!(list.len(), GRANTS, "every grant is listed");
    let issued: Vec<i64> = list
        .iter()
        .map(|g| g["issued_at"].as_i64().expect("issued_at is a number"))
        .collect();
    assert!(
        issued.windows(2).all(|w| w[0] >= w[1]),
        "newest issued first, as before streaming"
    );
    assert_eq!(
        list[0]["id"], "00000000-0000-4000-8000-000000000000",
        "the seeder's newest grant leads"
    );

    let audit = desk.run(&["audit", "--json"]).ok().json();
    assert_eq!(
        audit["grants"].as_array().map(Vec::len),
        Some(GRANTS),
        "the JSON audit holds every grant"
    );
    assert!(
        audit["generated_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "the document says when it was made: {}",
        audit["generated_at"]
    );

    let csv = desk.run(&["audit", "--csv"]).ok().stdout;
    assert_eq!(
        csv.split("\r\n").filter(|l| !l.is_empty()).count(),
        GRANTS + 1,
        "the CSV is the header and one line per grant"
    );
    let md = desk.run(&["audit", "--markdown"]).ok().stdout;
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| ")).count(),
        GRANTS + 1,
        "the Markdown table is the header and one row per grant"
    );
    assert!(
        md.trim_end().ends_with(&format!("{GRANTS} grant(s).")),
        "the Markdown ends with the count of rows it wrote"
    );

    let filtered = desk
        .run(&["audit", "--csv", "--client", "client-07", "--hide-revoked"])
        .ok()
        .stdout;
    let rows: Vec<&str> = filtered
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .collect();
    assert!(
        !rows.is_empty() && rows.iter().all(|l| l.starts_with("client-07,")),
        "a client filter keeps that client's grants only"
    );
    assert!(
        rows.iter().all(|l| !l.contains(",revoked,")),
        "hide-revoked leaves revoked grants out"
    );

    // Collecting 20 000 grants before writing took ~60 MB here; streaming holds one row.
    for args in [
        &["grants", "--json"][..],
        &["audit", "--json"],
        &["audit", "--csv"],
        &["audit", "--markdown"],
    ] {
        let kib = peak_rss_kib(&desk, args);
        assert!(
            kib < 40 * 1024,
            "{args:?} streams: peak RSS {kib} KiB stays far below what collecting would take"
        );
    }
}

#[test]
fn a_reader_that_goes_away_ends_a_streamed_listing_quietly() {
    let desk = seeded();
    for args in [&["grants", "--json"][..], &["audit", "--markdown"]] {
        let mut child = desk
            .command(args, "none")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .expect("oauthdesk runs");
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let mut first = [0u8; 1];
        stdout
            .read_exact(&mut first)
            .expect("the listing starts before it ends");
        drop(stdout);
        let out = wait_with_timeout(child, Duration::from_secs(60));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: a closed pipe ends the listing with 0, like `head`"
        );
        assert!(
            out.stderr.is_empty(),
            "{args:?}: nothing on stderr, no panic: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
