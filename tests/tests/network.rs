//! Network settings end to end (issue 12), through the real CLI and keychain: extra trusted CAs
//! (global and per client) against a TLS server whose certificate a private CA made at test time
//! signed, and the request timeout against a server that never answers. Proxies:
//! network_proxy.rs.

use oauthdesk_tests::Desk;
use oauthdesk_tests::network::{PrivateCa, SilentServer, TlsStub, run_with_env};
use std::time::{Duration, Instant};

const UNKNOWN_CA: &str = "certificate signed by an unknown authority";

#[test]
fn private_ca_trusted_globally_or_for_one_client_only() {
    let ca = PrivateCa::new();
    let stub = TlsStub::start(&ca);
    let d = Desk::new();
    let ca_file = ca.ca_pem_path();
    let ca_file = ca_file.to_str().expect("utf-8 path");
    let add = |name: &str, extra: &[&str]| {
        let mut args = vec!["client", "add", name, "--client-id", name];
        args.extend_from_slice(extra);
        args.push("--client-secret-stdin");
        run_with_env(&d, &args, Some("stub-secret"), &[])
    };

    let refused = add("plain", &["--issuer", &stub.issuer]);
    assert_eq!(
        refused.code, 1,
        "discovery of a private-CA server fails without the CA"
    );
    assert!(
        refused.stderr.contains(UNKNOWN_CA) && refused.stderr.contains("Settings → Network"),
        "the failure names the cause and where to add the CA: {}",
        refused.stderr
    );

    run_with_env(&d, &["settings", "--ca-file", ca_file], None, &[]).ok();
    add("global", &["--issuer", &stub.issuer]).ok();
    run_with_env(
        &d,
        &["login", "global", "--grant", "client_credentials"],
        None,
        &[],
    )
    .ok();
    run_with_env(&d, &["settings", "--no-ca"], None, &[]).ok();
    let after = run_with_env(
        &d,
        &["login", "global", "--grant", "client_credentials"],
        None,
        &[],
    );
    assert!(
        after.code == 1 && after.stderr.contains(UNKNOWN_CA),
        "removing the global CA takes effect at the next request: {}",
        after.stderr
    );

    add("a", &["--issuer", &stub.issuer, "--ca-file", ca_file]).ok();
    let shown = run_with_env(&d, &["client", "show", "a"], None, &[]).ok();
    assert!(
        shown
            .stdout
            .contains("trusted CAs:   1 certificate(s) for this client"),
        "client show says the client has its own CA: {}",
        shown.stdout
    );
    let token = format!("{}/token", stub.issuer);
    add("b", &["--token-endpoint", &token]).ok();
    run_with_env(
        &d,
        &["login", "a", "--grant", "client_credentials"],
        None,
        &[],
    )
    .ok();
    let b = run_with_env(
        &d,
        &["login", "b", "--grant", "client_credentials"],
        None,
        &[],
    );
    assert!(
        b.code == 1 && b.stderr.contains(UNKNOWN_CA),
        "client A's CA is not trusted for client B's requests: {}",
        b.stderr
    );
    run_with_env(
        &d,
        &["client", "set-ca", "b", "--ca-file", ca_file],
        None,
        &[],
    )
    .ok();
    run_with_env(
        &d,
        &["login", "b", "--grant", "client_credentials"],
        None,
        &[],
    )
    .ok();

    let broken = d.home.path().join("broken.pem");
    let good = ca.ca_pem();
    std::fs::write(
        &broken,
        format!("{good}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
    )
    .expect("write broken.pem");
    let r = run_with_env(
        &d,
        &["settings", "--ca-file", broken.to_str().expect("utf-8")],
        None,
        &[],
    );
    assert!(
        r.code == 1
            && r.stderr.contains("certificate 2")
            && r.stderr.contains("not a usable X.509"),
        "a bundle with one broken certificate is refused, naming which and why: {}",
        r.stderr
    );
    let shown = run_with_env(&d, &["settings", "--json"], None, &[])
        .ok()
        .json();
    assert!(
        shown["network"]["ca_pem"].is_null(),
        "the refused bundle was not saved: {shown}"
    );
}

#[test]
fn the_request_timeout_setting_is_honoured() {
    let d = Desk::new();
    let silent = SilentServer::start();
    let r = run_with_env(&d, &["settings", "--timeout", "0"], None, &[]);
    assert!(
        r.code == 1 && r.stderr.contains("between 1 and 600"),
        "a zero timeout is refused with the range: {}",
        r.stderr
    );
    run_with_env(&d, &["settings", "--timeout", "2"], None, &[]).ok();
    let started = Instant::now();
    let r = run_with_env(
        &d,
        &[
            "client",
            "add",
            "hang",
            "--client-id",
            "x",
            "--issuer",
            &silent.url,
        ],
        None,
        &[],
    );
    let took = started.elapsed();
    assert!(
        r.code == 1 && r.stderr.contains("did not answer within 2 s"),
        "a server that never answers fails with the configured timeout: {}",
        r.stderr
    );
    assert!(
        took < Duration::from_secs(15),
        "within the configured time (2 s, generous bound 15 s), not the default 30 s: {took:?}"
    );
}
