//! A reader that stops early (`oauthdesk client list | head -1`) must not make `oauthdesk` panic
//! ("failed printing to stdout: Broken pipe", exit 101): it ends quietly, with exit code 0.

mod common;

use common::Home;

/// Runs `args` with stdout's read end closed before the command can write, and checks it ended
/// quietly.
fn into_closed_pipe(home: &Home, args: &[&str]) {
    let mut child = home.command(args).spawn().expect("starting oauthdesk");
    // Closed at once: the process is still starting (runtime, SQLite) when this returns, so its
    // first write meets a pipe without a reader.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("waiting for oauthdesk");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "`oauthdesk {}` into a closed pipe must not panic: {stderr}",
        args.join(" ")
    );
    assert_ne!(
        out.status.code(),
        Some(101),
        "`oauthdesk {}` into a closed pipe must not exit with a panic's 101",
        args.join(" ")
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "`oauthdesk {}` into a closed pipe exits 0, the documented choice (the reader had what it wanted)",
        args.join(" ")
    );
    assert!(
        stderr.is_empty(),
        "`oauthdesk {}` into a closed pipe ends without a message: {stderr}",
        args.join(" ")
    );
}

#[test]
fn listings_into_a_closed_pipe_end_quietly() {
    let home = Home::new();
    for name in ["alpha", "beta", "gamma"] {
        home.add_client(name);
    }
    for args in [
        &["presets"][..],
        &["presets", "--json"],
        &["client", "list"],
        &["client", "list", "--json"],
        &["client", "show", "alpha"],
        &["client", "export"],
        &["grants"],
        &["audit"],
        &["audit", "--csv"],
        &["audit", "--markdown"],
    ] {
        into_closed_pipe(&home, args);
    }
}

#[test]
fn help_into_a_closed_pipe_ends_quietly() {
    let home = Home::new();
    into_closed_pipe(&home, &["--help"]);
}
