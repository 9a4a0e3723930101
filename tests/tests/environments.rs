//! Environments and `{{variables}}` end to end: the real `oauthdesk` binary and `Desk` against
//! two real oidc-provider instances (dev and prod) with the real keychain. A client whose issuer
//! is `{{issuer}}` logs in through the active environment, fails clearly under one that lacks
//! the variable, and switching environments switches the server; a secret variable reaches the
//! server but not SQLite, the transcript or CLI output; a Postman environment imports with its
//! secret values in the keychain only.

use oauthdesk_core::desk::ApiRequest;
use oauthdesk_core::secrets::KeyringStore;
use oauthdesk_core::{Desk as Engine, DeskConfig, GrantRef};
use oauthdesk_tests::{Desk, Provider, contains_bytes};
use std::io::{Read, Write};
use std::sync::Arc;

fn logins(p: &Provider) -> u64 {
    p.stats()["token_success"]["authorization_code"]
        .as_u64()
        .unwrap_or(0)
}

/// `dev` points at the harness's provider, `prod` at a second one, `empty` has no variables.
fn three_environments(d: &Desk, prod: &Provider) {
    for env in ["dev", "prod", "empty"] {
        d.run(&["env", "create", env]).ok();
    }
    d.run(&["env", "set", "dev", "issuer", &d.provider.issuer])
        .ok();
    d.run(&["env", "set", "prod", "issuer", &prod.issuer]).ok();
    d.run(&["env", "use", "dev"]).ok();
}

#[test]
fn a_templated_issuer_follows_the_active_environment() {
    let d = Desk::new();
    let prod = Provider::start();
    three_environments(&d, &prod);
    d.run(&[
        "client",
        "add",
        "app",
        "--client-id",
        "native-public",
        "--issuer",
        "{{issuer}}",
        "--scope",
        "openid",
    ])
    .ok();
    let shown = d.run(&["client", "show", "app", "--json"]).ok().json();
    assert_eq!(
        shown["issuer"], "{{issuer}}",
        "the stored client keeps the template, not dev's value: {shown}"
    );

    d.run(&["login", "app"]).ok();
    assert_eq!(
        (logins(&d.provider), logins(&prod)),
        (1, 0),
        "under dev the login went to dev's server only"
    );
    let dev_token = d.run(&["token", "app"]).ok().stdout;

    let failed = d.run(&["--env", "empty", "login", "app"]);
    assert_ne!(failed.code, 0, "a login with an unknown variable fails");
    assert!(
        failed.stderr.contains("{{issuer}}") && failed.stderr.contains("\"empty\""),
        "the error names the variable and the environment: {}",
        failed.stderr
    );
    assert_eq!(
        logins(&d.provider) + logins(&prod),
        1,
        "nothing was sent with an empty issuer"
    );

    d.run(&["--env", "prod", "login", "app"]).ok();
    assert_eq!(
        logins(&prod),
        1,
        "--env prod sends the login to prod's server"
    );
    let prod_token = d.run(&["--env", "prod", "token", "app"]).ok().stdout;
    assert_ne!(
        dev_token, prod_token,
        "each environment has its own grant of the same client"
    );
    assert_eq!(
        d.run(&["token", "app"]).ok().stdout,
        dev_token,
        "back under the active dev environment, `token` hands out dev's token"
    );

    // One grant per environment, newest (prod's) first.
    let grants = d.run(&["grants", "app", "--json"]).ok().json();
    let ids: Vec<String> = grants
        .as_array()
        .expect("grants list")
        .iter()
        .filter_map(|g| g["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 2, "two grants, one per environment: {grants}");

    d.run(&["env", "use", "prod"]).ok();
    assert_eq!(
        d.run(&["token", "app"]).ok().stdout,
        prod_token,
        "`env use prod` is shared: the next command uses prod's grant"
    );
    let refreshed = d.run(&["refresh", "app"]).ok();
    assert_eq!(
        prod.stats()["refresh_success"].as_u64(),
        Some(1),
        "refresh under prod goes to prod: {}",
        refreshed.stdout
    );
    assert_eq!(
        d.provider.stats()["refresh_success"].as_u64(),
        Some(0),
        "and never to dev's server"
    );
    // A grant named by id is used against the environment it was obtained in, whichever is
    // active: dev's ID token checks out against dev's issuer while prod is active.
    let dev_grant = &ids[1];
    let checked = d.run(&["inspect", "app", "--grant", dev_grant, "--json"]);
    assert_eq!(
        checked.code, 0,
        "dev's grant is inspected against dev's issuer under prod: {}{}",
        checked.stdout, checked.stderr
    );
    let list = d.run(&["env", "list"]).ok().stdout;
    assert!(
        list.contains("* prod"),
        "`env list` marks the active environment: {list}"
    );
}

/// One HTTP request captured: the request head as received, answered 200.
fn capture_server() -> (String, std::thread::JoinHandle<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://127.0.0.1:{}",
        listener.local_addr().expect("addr").port()
    );
    let handle = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().expect("a request arrives");
        let mut buf = vec![0u8; 16 * 1024];
        let mut got = Vec::new();
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = s.read(&mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        String::from_utf8_lossy(&got).into_owned()
    });
    (url, handle)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_secret_variable_reaches_the_server_and_nothing_else() {
    let d = Desk::new();
    const SECRET: &str = "sk-live-9f8e7d6c5b4a-env-secret";
    d.run(&["env", "create", "dev"]).ok();
    d.run(&["env", "use", "dev"]).ok();
    d.run_mode(
        &["env", "set", "dev", "apikey", "--secret"],
        Some(SECRET),
        "consent",
    )
    .ok();
    d.add_client("app", "native-public", None, &["--scope", "openid"])
        .ok();
    d.run(&["login", "app"]).ok();

    let (url, captured) = capture_server();
    d.run(&["env", "set", "dev", "api", &url]).ok();
    let engine = Engine::open(DeskConfig::with_secrets(
        d.home.path().to_path_buf(),
        Arc::new(KeyringStore::default()),
    ))
    .await
    .expect("the desk opens on the same data dir");
    let resp = engine
        .call_api(
            GrantRef::Current("app"),
            ApiRequest {
                method: "GET".into(),
                url: "{{api}}/items?k={{apikey}}".into(),
                headers: vec![("X-Custom".into(), "key {{apikey}}".into())],
                body: None,
            },
        )
        .await
        .expect("the call is sent");
    assert_eq!(resp.status, 200, "the capture server answered");
    // An error quotes the URL it could not reach: the secret filled into it is masked there too.
    let refused = engine
        .call_api(
            GrantRef::Current("app"),
            ApiRequest {
                method: "GET".into(),
                url: "http://127.0.0.1:9/items?k={{apikey}}".into(),
                headers: vec![],
                body: None,
            },
        )
        .await
        .expect_err("nothing listens on port 9");
    let message = format!("{refused} {refused:?}");
    assert!(
        !message.contains(SECRET) && message.contains("k=[redacted]"),
        "the error of a refused call quotes its URL with the secret variable masked: {message}"
    );
    let request = captured.join().expect("captured");
    assert!(
        request.contains(&format!("x-custom: key {SECRET}"))
            && request.contains(&format!("/items?k={SECRET}")),
        "the server received the secret substituted in header and URL: {request}"
    );

    let transcripts = engine.transcripts("app", 10).await.expect("transcripts");
    let recorded = serde_json::to_string(&transcripts).expect("json");
    assert!(
        recorded.contains("[redacted]") && !recorded.contains(SECRET),
        "the saved transcript masks the substituted secret value: {recorded}"
    );
    drop(engine);
    assert!(
        !contains_bytes(&d.database_bytes(), SECRET),
        "the secret value is nowhere in the SQLite files"
    );
    for args in [
        vec!["log", "app", "--flows", "5"],
        vec!["log", "app", "--flows", "5", "--curl"],
        vec!["env", "show", "dev"],
        vec!["env", "show", "dev", "--json"],
        vec!["env", "list", "--json"],
    ] {
        let run = d.run(&args).ok();
        assert!(
            !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
            "`oauthdesk {}` does not print the secret: {}",
            args.join(" "),
            run.stdout
        );
    }
    assert_eq!(
        d.run(&["env", "get", "dev", "apikey"]).ok().stdout.trim(),
        SECRET,
        "`env get` is the explicit reveal, from the keychain"
    );
    d.run(&["env", "unset", "dev", "apikey"]).ok();
    assert!(
        !String::from_utf8_lossy(&keychain_dump()).contains(SECRET),
        "unset removes the secret from the keychain"
    );
}

/// Every oauthdesk item in the keychain, values included (`secret-tool search --all`).
fn keychain_dump() -> Vec<u8> {
    let out = std::process::Command::new("secret-tool")
        .args(["search", "--all", "--unlock", "service", "oauthdesk"])
        .output()
        .expect("secret-tool is installed");
    [out.stdout, out.stderr].concat()
}

#[test]
fn a_postman_environment_imports_with_its_secrets_in_the_keychain() {
    let d = Desk::new();
    const SECRET: &str = "pm-secret-1a2b3c4d5e6f7a8b";
    let file = d.home.path().join("staging.postman_environment.json");
    let doc = serde_json::json!({
        "id": "5d1c", "name": "staging", "_postman_variable_scope": "environment",
        "values": [
            {"key": "issuer", "value": d.provider.issuer, "type": "default", "enabled": true},
            {"key": "client_secret", "value": SECRET, "type": "secret", "enabled": true},
            {"key": "old", "value": "x", "type": "default", "enabled": false},
            {"key": "bad name", "value": "y", "type": "default", "enabled": true}
        ]
    });
    std::fs::write(&file, doc.to_string()).expect("write");
    let report = d
        .run(&["env", "import", file.to_str().expect("path"), "--json"])
        .ok()
        .json();
    assert_eq!(
        (report["variables"].as_u64(), report["secrets"].as_u64()),
        (Some(2), Some(1)),
        "two variables imported, one of them secret: {report}"
    );
    assert_eq!(
        report["skipped"].as_array().map(Vec::len),
        Some(2),
        "the disabled entry and the invalid name are skipped, with why: {report}"
    );
    let shown = d.run(&["env", "show", "staging", "--json"]).ok().json();
    let secret = shown["variables"]
        .as_array()
        .and_then(|v| v.iter().find(|x| x["name"] == "client_secret"))
        .cloned()
        .expect("the secret variable is listed");
    assert_eq!(
        (secret["secret"].as_bool(), secret["value"].is_null()),
        (Some(true), true),
        "a secret variable is shown without its value: {secret}"
    );
    assert!(
        !contains_bytes(&d.database_bytes(), SECRET),
        "the Postman secret is not in SQLite"
    );
    assert!(
        String::from_utf8_lossy(&keychain_dump()).contains(SECRET),
        "the Postman secret is in the keychain"
    );
    d.run(&["env", "use", "staging"]).ok();
    d.run(&[
        "client",
        "add",
        "app",
        "--client-id",
        "native-public",
        "--issuer",
        "{{issuer}}",
        "--scope",
        "openid",
    ])
    .ok();
    d.run(&["login", "app"]).ok();
    assert_eq!(
        logins(&d.provider),
        1,
        "the imported issuer variable is used for the login"
    );
    d.run(&["env", "delete", "staging"]).ok();
    assert!(
        !String::from_utf8_lossy(&keychain_dump()).contains(SECRET),
        "deleting the environment removes its secret from the keychain"
    );
}

#[test]
fn a_secret_variable_in_a_client_parameter_is_sent_but_masked_in_the_log() {
    let d = Desk::new();
    const SECRET: &str = "hint-secret-0a1b2c3d4e5f";
    d.run(&["env", "create", "dev"]).ok();
    d.run(&["env", "use", "dev"]).ok();
    d.run_mode(
        &["env", "set", "dev", "hint", "--secret"],
        Some(SECRET),
        "consent",
    )
    .ok();
    d.add_client(
        "app",
        "native-public",
        None,
        &["--scope", "openid", "--param", "login_hint={{hint}}"],
    )
    .ok();
    let shown = d.run(&["client", "show", "app", "--json"]).ok().stdout;
    assert!(
        shown.contains("{{hint}}") && !shown.contains(SECRET),
        "the client keeps the template: {shown}"
    );
    let logged = d.run(&["login", "app"]).ok();
    assert!(
        d.read_browser_log().contains(SECRET),
        "the browser was sent to the server with the value"
    );
    let log = d.run(&["log", "app", "--flows", "5"]).ok();
    assert!(
        !log.stdout.contains(SECRET) && log.stdout.contains("[redacted]"),
        "the recorded authorization URL masks the secret value: {}",
        log.stdout
    );
    assert!(
        !contains_bytes(&d.database_bytes(), SECRET),
        "the value is not in SQLite (transcripts included): {}",
        logged.stdout
    );
}
