//! The handoff API (`Desk::hand_off`, `mark_token_rejected`, `dpop_proof_for`) in-process
//! against the real test server: what the git and docker helpers rely on when a tool says the
//! token was refused, and what every handoff records.

mod engine_support;

use engine_support::{engine, quiet, spec};
use oauthdesk_core::desk::TokenKind;
use oauthdesk_core::model::GrantType;
use oauthdesk_core::{Handoff, LoginOptions};

#[tokio::test]
async fn a_refused_token_is_refreshed_at_the_next_handoff_and_the_refresh_token_kept() {
    let e = engine().await;
    e.desk
        .add_client(
            spec(
                "app",
                "native-public",
                &e.provider.issuer,
                "openid offline_access",
            ),
            None,
        )
        .await
        .unwrap();
    let mut opts = LoginOptions::new(GrantType::AuthorizationCode);
    opts.extra_params.push(("prompt".into(), "consent".into()));
    e.desk.login("app", opts, quiet()).await.unwrap();
    let git = || Handoff::new("git", Some("github.com".into()));

    let first = e.desk.hand_off("app", git(), 30).await.unwrap();
    assert_eq!(first.scheme, "Bearer", "a Bearer token");
    let again = e.desk.hand_off("app", git(), 30).await.unwrap();
    assert_eq!(
        again.token.expose(),
        first.token.expose(),
        "a fresh token is handed over as it is, no refresh"
    );
    let before = e.provider.refresh_requests();
    e.desk.mark_token_rejected("app", git()).await.unwrap();
    let after = e.desk.hand_off("app", git(), 30).await.unwrap();
    assert_eq!(
        e.provider.refresh_requests(),
        before + 1,
        "the handoff after a refusal refreshes though the token has not expired"
    );
    assert_ne!(
        after.token.expose(),
        first.token.expose(),
        "a new token, not the refused one"
    );
    assert!(
        after.view.has_refresh_token,
        "the refresh token is kept (rotated), never dropped"
    );
    let next = e.desk.hand_off("app", git(), 30).await.unwrap();
    assert_eq!(
        (e.provider.refresh_requests(), next.token.expose()),
        (before + 1, after.token.expose()),
        "the mark is cleared by the refresh: the next handoff does not refresh again"
    );

    assert_eq!(
        after.view.last_used_by.as_deref(),
        Some("git for github.com"),
        "the handed token's grant says who used it"
    );
    let stored = e.desk.grants(Some("app")).await.unwrap();
    assert_eq!(
        stored[0].last_used_by.as_deref(),
        Some("git for github.com"),
        "last used by is stored on the grant"
    );
    let history = e.desk.history(Some("app")).await.unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.kind == "handoff" && h.detail == "token handed to git for github.com"),
        "each handoff is a history event naming the tool and host"
    );
    assert!(
        history.iter().any(|h| h.kind == "handoff_rejected"),
        "the refusal is in the history too"
    );
    assert_eq!(
        e.desk
            .dpop_proof_for("app", &next, "GET", "https://api.example.com/")
            .await
            .unwrap(),
        None,
        "no DPoP proof for a Bearer token"
    );
}

#[tokio::test]
async fn a_refused_auto_refresh_says_a_login_is_needed() {
    let e = engine().await;
    e.desk
        .add_client(
            spec(
                "app",
                "native-public",
                &e.provider.issuer,
                "openid offline_access",
            ),
            None,
        )
        .await
        .unwrap();
    let mut opts = LoginOptions::new(GrantType::AuthorizationCode);
    opts.extra_params.push(("prompt".into(), "consent".into()));
    let grant = e.desk.login("app", opts, quiet()).await.unwrap();
    let rt = e
        .desk
        .reveal_token(&grant.id, TokenKind::Refresh)
        .await
        .unwrap();
    let (status, _) = oauthdesk_tests::http(
        reqwest::Method::POST,
        &format!("{}/token/revocation", e.provider.issuer),
        &[("token", rt.as_str()), ("client_id", "native-public")],
        None,
    );
    assert_eq!(status, 200, "the refresh token is revoked at the server");
    e.desk.set_auto_refresh(&grant.id, true).await.unwrap();
    let outcomes = e.desk.refresh_due(7200).await.unwrap();
    assert_eq!(outcomes.len(), 1, "the grant was due");
    assert!(
        outcomes[0].error.is_some() && outcomes[0].needs_login,
        "a refused refresh is reported as needing a login (the app then offers Log in again)"
    );
}
