//! The engine (`Desk`) in-process as time passes: a cached JWKS is fetched again after a day
//! (with a clock the test moves), and auto-refresh renews due grants and reports failures once.

mod engine_support;

use engine_support::{engine, quiet, spec};
use oauthdesk_core::desk::TokenKind;
use oauthdesk_core::model::{GrantStatus, GrantType};
use oauthdesk_core::secrets::MemoryStore;
use oauthdesk_core::{Desk, DeskConfig, LoginOptions};
use oauthdesk_tests::Provider;
use std::sync::Arc;

/// A clock the test moves.
struct TestClock(std::sync::atomic::AtomicI64);

impl oauthdesk_protocol::Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

#[tokio::test]
async fn a_cached_jwks_is_fetched_again_after_a_day() {
    let issuer = Provider::controlled();
    let home = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(std::sync::atomic::AtomicI64::new({
        use oauthdesk_protocol::Clock;
        oauthdesk_protocol::SystemClock.now()
    })));
    let mut config =
        DeskConfig::with_secrets(home.path().to_path_buf(), Arc::new(MemoryStore::default()));
    config.clock = clock.clone();
    let desk = Desk::open(config).await.unwrap();
    desk.add_client(
        spec("ctl", "controlled-client", &issuer.issuer, "openid"),
        None,
    )
    .await
    .unwrap();
    let token = issuer.control("/__test/mint", serde_json::json!({}))["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let fetches = || issuer.stats()["jwks_fetches"].as_u64().unwrap();
    let opts = || oauthdesk_core::desk::VerifyOptions {
        client: Some("ctl".into()),
        ..Default::default()
    };
    let v = desk.verify_token(&token, opts()).await.unwrap();
    assert_eq!(
        v.failed, 0,
        "a fresh token of the controlled issuer passes every check: {:?}",
        v.findings.checks
    );
    desk.verify_token(&token, opts()).await.unwrap();
    assert_eq!(fetches(), 1, "the second check uses the cache");
    clock
        .0
        .fetch_add(25 * 3600, std::sync::atomic::Ordering::SeqCst);
    let later = desk.verify_token(&token, opts()).await.unwrap();
    assert_eq!(fetches(), 2, "a day later the JWKS is fetched again");
    let sig = later
        .findings
        .checks
        .iter()
        .find(|c| c.name == "signature")
        .expect("the verification has a signature check");
    assert!(
        !sig.reason.contains("cached"),
        "verified with the fresh set: {}",
        sig.reason
    );
    let exp = later
        .findings
        .checks
        .iter()
        .find(|c| c.name == "exp")
        .expect("the verification has an exp check");
    assert_eq!(
        exp.code.as_deref(),
        Some("expired"),
        "and the moved clock makes the token expired"
    );
}

#[tokio::test]
async fn auto_refresh_renews_due_grants_and_reports_failures_once() {
    let e = engine().await;
    e.desk
        .add_client(
            spec(
                "short",
                "short-lived",
                &e.provider.issuer,
                "openid offline_access",
            ),
            None,
        )
        .await
        .unwrap();
    let mut opts = LoginOptions::new(GrantType::AuthorizationCode);
    opts.extra_params = vec![("prompt".into(), "consent".into())];
    let a = e.desk.login("short", opts.clone(), quiet()).await.unwrap();
    let b = e.desk.login("short", opts, quiet()).await.unwrap();
    assert!(
        e.desk.refresh_due(60).await.unwrap().is_empty(),
        "nothing is refreshed unless asked for"
    );
    assert!(
        e.desk
            .set_auto_refresh(&a.id, true)
            .await
            .unwrap()
            .auto_refresh,
        "auto-refresh is switched on for the grant"
    );
    e.desk.set_auto_refresh(&b.id, true).await.unwrap();
    // b's refresh token is revoked behind OAuth Desk's back: its auto-refresh will fail.
    let rt = e
        .desk
        .reveal_token(&b.id, TokenKind::Refresh)
        .await
        .unwrap();
    let (status, _) = oauthdesk_tests::http(
        reqwest::Method::POST,
        &format!("{}/token/revocation", e.provider.issuer),
        &[("token", rt.as_str()), ("client_id", "short-lived")],
        None,
    );
    assert_eq!(status, 200, "the server revoked b's refresh token");

    let outcomes = e.desk.refresh_due(60).await.unwrap();
    assert_eq!(outcomes.len(), 2, "both 1-second tokens are due");
    let ok = outcomes
        .iter()
        .find(|o| o.grant_id == a.id)
        .expect("a's grant is among the refresh outcomes");
    assert!(
        ok.error.is_none() && ok.grant.as_ref().is_some_and(|g| g.refresh_count == 1),
        "a's due grant is refreshed once: {ok:?}"
    );
    let failed = outcomes
        .iter()
        .find(|o| o.grant_id == b.id)
        .expect("b's grant is among the refresh outcomes");
    assert!(
        failed
            .error
            .as_deref()
            .is_some_and(|err| err.contains("invalid_grant")),
        "b's failed refresh is reported with the server's invalid_grant: {failed:?}"
    );
    let b_now = e
        .desk
        .grants(Some("short"))
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.id == b.id)
        .expect("b's grant is still listed");
    assert_eq!(
        b_now.status,
        GrantStatus::NeedsLogin,
        "a grant whose refresh failed needs a new login"
    );
    assert!(!b_now.auto_refresh, "a failed grant is not retried");
    // a's new token lives an hour: not due again; b is not retried.
    assert!(
        e.desk.refresh_due(60).await.unwrap().is_empty(),
        "nothing is due again: a's new token lasts an hour and b is not retried"
    );
}
