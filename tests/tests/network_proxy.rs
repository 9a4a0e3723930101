//! Proxies end to end (issue 12), through a real forward proxy that logs what it carries: the
//! explicit proxy for every request of a login, refresh and API call, `none` and the no-proxy
//! list bypassing it, `system` following the environment (CLI), and the proxy password kept in
//! the keychain only (engine and CLI). Extra CAs and the timeout: network.rs.

mod engine_support;

use base64::Engine as _;
use engine_support::{engine, quiet, spec};
use oauthdesk_core::desk::{ApiRequest, ProxyMode};
use oauthdesk_core::launcher::Launcher;
use oauthdesk_core::model::GrantType;
use oauthdesk_core::secrets::{MemoryStore, SecretStore};
use oauthdesk_core::{DeskConfig, GrantRef, LoginOptions};
use oauthdesk_tests::network::{HttpProxy, run_with_env};
use oauthdesk_tests::{Desk, Provider};
use std::sync::Arc;

/// A `Desk` with the in-memory secret store whose data dir and store the test can read.
async fn engine_with_store() -> (oauthdesk_core::Desk, tempfile::TempDir, Arc<MemoryStore>) {
    let home = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(MemoryStore::default());
    let mut config = DeskConfig::with_secrets(home.path().to_path_buf(), store.clone());
    config.launcher = Launcher::Command(env!("CARGO_BIN_EXE_oauthdesk-test-browser").into());
    let desk = oauthdesk_core::Desk::open(config)
        .await
        .expect("desk opens");
    (desk, home, store)
}

fn provider_authority(p: &Provider) -> String {
    p.issuer
        .strip_prefix("http://")
        .and_then(|r| r.split('/').next())
        .expect("http issuer")
        .to_owned()
}

#[tokio::test]
async fn explicit_proxy_carries_every_request_and_none_or_no_proxy_bypass_it() {
    let e = engine().await;
    let (desk, provider) = (&e.desk, &e.provider);
    let proxy = HttpProxy::start(None);
    let mut s = desk.settings().await.unwrap();
    s.network.proxy = ProxyMode::Explicit;
    s.network.proxy_url = Some(proxy.url.clone());
    desk.set_settings(s.clone()).await.unwrap();

    desk.add_client(
        spec(
            "app",
            "native-public",
            &provider.issuer,
            "openid offline_access",
        ),
        None,
    )
    .await
    .unwrap();
    let target = provider_authority(provider);
    let log = proxy.log();
    assert!(
        !log.is_empty() && log.iter().all(|l| l.contains(&target)),
        "discovery went through the proxy, to the provider: {log:?}"
    );
    let mut counted = proxy.carried();
    let mut grew = |what: &str| {
        let now = proxy.carried();
        assert!(
            now > counted,
            "{what} went through the proxy: {:?}",
            proxy.log()
        );
        counted = now;
    };
    let grant = desk
        .login(
            "app",
            LoginOptions::new(GrantType::AuthorizationCode),
            quiet(),
        )
        .await
        .unwrap();
    grew("the login's token request");
    assert!(
        proxy
            .log()
            .iter()
            .any(|l| l.starts_with("POST") && l.ends_with("/token")),
        "the token request itself was proxied: {:?}",
        proxy.log()
    );
    desk.refresh(GrantRef::Id(&grant.id)).await.unwrap();
    grew("the refresh");
    let resp = desk
        .call_api(
            GrantRef::Id(&grant.id),
            ApiRequest {
                method: "GET".into(),
                url: format!("{}/me", provider.issuer),
                headers: vec![],
                body: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        resp.status, 200,
        "the API call through the proxy answered: {}",
        resp.body
    );
    grew("the API call");

    s.network.proxy = ProxyMode::None;
    desk.set_settings(s.clone()).await.unwrap();
    desk.refresh(GrantRef::Id(&grant.id)).await.unwrap();
    assert_eq!(
        proxy.carried(),
        counted,
        "with `none` nothing goes through the proxy"
    );

    s.network.proxy = ProxyMode::Explicit;
    s.network.no_proxy = "example.org,127.0.0.1".into();
    desk.set_settings(s).await.unwrap();
    desk.refresh(GrantRef::Id(&grant.id)).await.unwrap();
    assert_eq!(
        proxy.carried(),
        counted,
        "a host in the no-proxy list is reached directly"
    );
}

#[tokio::test]
async fn proxy_password_lives_in_the_keychain_only() {
    let provider = Provider::start();
    let (desk, home, store) = engine_with_store().await;
    let password = "pr0xy-Pass-9f3e1c";
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("alice:{password}"))
    );
    let proxy = HttpProxy::start(Some(expected));
    let authority = proxy.url.strip_prefix("http://").unwrap().to_owned();
    let mut s = desk.settings().await.unwrap();
    s.network.proxy = ProxyMode::Explicit;
    s.network.proxy_url = Some(format!("http://alice:{password}@{authority}"));
    let saved = desk.set_settings(s).await.unwrap();
    assert_eq!(
        saved.network.proxy_url.as_deref(),
        Some(format!("http://alice@{authority}").as_str()),
        "the saved URL keeps the user and drops the password"
    );
    assert!(
        saved.network.proxy_password_stored,
        "the settings say a password is stored"
    );
    let answers = serde_json::to_string(&(&saved, desk.settings().await.unwrap())).unwrap();
    assert!(
        !answers.contains(password),
        "no settings answer (what IPC carries) holds the password"
    );
    assert_eq!(
        store
            .get("network/proxy")
            .unwrap()
            .map(|v| v.expose().to_owned())
            .as_deref(),
        Some(password),
        "the password is in the keychain"
    );

    desk.add_client(
        spec("app", "native-public", &provider.issuer, "openid"),
        None,
    )
    .await
    .expect("the proxy accepted the stored credentials");
    assert!(
        proxy.carried() > 0 && !proxy.log().iter().any(|l| l.starts_with("refused")),
        "requests carried the password from the keychain: {:?}",
        proxy.log()
    );
    let transcripts = serde_json::to_string(&desk.transcripts("app", 10).await.unwrap()).unwrap();
    assert!(
        !transcripts.contains(password),
        "no transcript holds the password"
    );
    let mut db = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        db.extend(
            std::fs::read(home.path().join(format!("oauthdesk.db{suffix}"))).unwrap_or_default(),
        );
    }
    assert!(
        !db.windows(password.len()).any(|w| w == password.as_bytes()),
        "the password is nowhere in the SQLite files"
    );

    let mut s = desk.settings().await.unwrap();
    s.network.proxy_password_stored = false;
    desk.set_settings(s.clone()).await.unwrap();
    assert!(
        store.get("network/proxy").unwrap().is_none(),
        "forgetting deletes the keychain item"
    );

    // A proxy that cannot be reached is named (without credentials) in the error.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    s.network.proxy_url = Some(format!(
        "http://alice:{password}@{}",
        dead_url.trim_start_matches("http://")
    ));
    desk.set_settings(s).await.unwrap();
    let e = desk
        .discover(&provider.issuer, false)
        .await
        .expect_err("an unreachable proxy fails the request")
        .to_string();
    assert!(
        e.contains(&format!("through the proxy {dead_url}")) && !e.contains(password),
        "the error names the proxy, never its password: {e}"
    );
}

#[test]
fn system_proxy_follows_the_environment_and_cli_keeps_the_password_in_the_keychain() {
    let d = Desk::new();
    let proxy = HttpProxy::start(None);
    let via = [("HTTP_PROXY", proxy.url.as_str())];
    let add = |name: &str, env: &[(&str, &str)]| {
        run_with_env(
            &d,
            &[
                "client",
                "add",
                name,
                "--client-id",
                "native-public",
                "--issuer",
                &d.provider.issuer,
            ],
            None,
            env,
        )
    };
    add("env", &via).ok();
    let seen = proxy.carried();
    assert!(
        seen > 0
            && proxy
                .log()
                .iter()
                .all(|l| l.contains(&provider_authority(&d.provider))),
        "`system` (the default) uses HTTP_PROXY from the environment: {:?}",
        proxy.log()
    );
    add("env-bypass", &[via[0], ("NO_PROXY", "127.0.0.1")]).ok();
    assert_eq!(
        proxy.carried(),
        seen,
        "NO_PROXY from the environment is honoured"
    );
    run_with_env(&d, &["settings", "--proxy", "none"], None, &[]).ok();
    add("direct", &via).ok();
    assert_eq!(
        proxy.carried(),
        seen,
        "`none` ignores the environment's proxy"
    );

    let password = "cli-Proxy-pw-7d2a";
    let refused = run_with_env(
        &d,
        &[
            "settings",
            "--proxy",
            &format!("http://bob:{password}@127.0.0.1:3128"),
        ],
        None,
        &[],
    );
    assert!(
        refused.code == 1
            && refused.stderr.contains("--proxy-password-stdin")
            && !refused.stderr.contains(password),
        "a password on the command line is refused, without echoing it: {}",
        refused.stderr
    );
    let set = run_with_env(
        &d,
        &[
            "settings",
            "--proxy",
            "http://bob@127.0.0.1:3128",
            "--proxy-password-stdin",
            "--json",
        ],
        Some(password),
        &[],
    )
    .ok();
    assert!(
        !set.stdout.contains(password),
        "the settings printed hold no password: {}",
        set.stdout
    );
    assert_eq!(
        d.keychain_item("network/proxy"),
        Some(serde_json::Value::String(password.into())),
        "the password is in the real keychain"
    );
    assert!(
        !d.database_bytes()
            .windows(password.len())
            .any(|w| w == password.as_bytes()),
        "and nowhere in SQLite"
    );
    run_with_env(&d, &["settings", "--proxy", "system"], None, &[]).ok();
    assert_eq!(
        d.keychain_item("network/proxy"),
        None,
        "leaving the explicit proxy deletes its password"
    );
}
