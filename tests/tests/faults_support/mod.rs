//! What the in-process fault tests share: a `Desk` with short HTTP timeouts and a secret store
//! that can list its keys, pointed at a [`FaultServer`]; healthy answers to start from; and the
//! checks every case ends with — rows and keychain items agree, and no secret appears in any
//! error, transcript, history event or grant view.

#![allow(dead_code)] // each faults_*.rs uses its own part of this

use oauthdesk_core::launcher::Launcher;
use oauthdesk_core::model::{ClientSpec, Endpoints, GrantStatus, GrantType, GrantView};
use oauthdesk_core::secrets::SecretStore;
use oauthdesk_core::{CoreError, Desk, DeskConfig, GrantRef, LoginOptions};
use oauthdesk_protocol::http::HttpConfig;
use oauthdesk_protocol::{CredentialInput, KeychainValue};
use oauthdesk_tests::fault_server::{Fault, FaultServer};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Every secret of the suite starts with this, so one search finds any leak.
pub const SECRET_MARK: &str = "SECRET-";
/// The client secret every fault client authenticates with.
pub const CLIENT_SECRET: &str = "SECRET-cs-1";
/// The HTTP timeout of the fault desks: a hang must end with a message saying so.
pub const TIMEOUT: Duration = Duration::from_secs(2);
/// A generous bound for any one case that does not wait for a timeout.
pub const QUICK: Duration = Duration::from_secs(10);

/// A secret store whose keys can be listed (the point: after a fault, no item without a row).
#[derive(Default)]
pub struct ListingStore(Mutex<BTreeMap<String, KeychainValue>>);

impl ListingStore {
    pub fn keys(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }
    pub fn value(&self, key: &str) -> Option<String> {
        self.lock().get(key).map(|v| v.expose().to_owned())
    }
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, KeychainValue>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for ListingStore {
    fn get(&self, key: &str) -> oauthdesk_core::Result<Option<KeychainValue>> {
        Ok(self.lock().get(key).cloned())
    }
    fn set(&self, key: &str, value: &KeychainValue) -> oauthdesk_core::Result<()> {
        self.lock().insert(key.to_owned(), value.clone());
        Ok(())
    }
    fn delete(&self, key: &str) -> oauthdesk_core::Result<()> {
        self.lock().remove(key);
        Ok(())
    }
    fn describe(&self) -> String {
        "listing in-memory store (fault tests)".into()
    }
}

pub struct FaultDesk {
    pub desk: Desk,
    pub store: Arc<ListingStore>,
    pub server: FaultServer,
    /// Where the launcher script writes each URL it is asked to open, one a line.
    pub opened_log: std::path::PathBuf,
    pub home: tempfile::TempDir,
}

/// A desk with 2 s HTTP timeouts against `server`; its "browser" only logs the URL.
pub async fn fault_desk(server: FaultServer) -> FaultDesk {
    let home = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(ListingStore::default());
    let mut config = DeskConfig::with_secrets(home.path().join("data"), store.clone());
    config.http = HttpConfig {
        connect_timeout: TIMEOUT,
        timeout: TIMEOUT,
        ..HttpConfig::default()
    };
    config.callback_timeout = Duration::from_secs(3);
    let opened_log = home.path().join("opened.log");
    let script = home.path().join("open-url");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" >> '{}'\n", opened_log.display()),
    )
    .expect("write the launcher script");
    make_executable(&script);
    config.launcher = Launcher::Command(script.display().to_string());
    FaultDesk {
        desk: Desk::open(config).await.expect("desk opens"),
        store,
        server,
        opened_log,
        home,
    }
}

fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

impl FaultDesk {
    /// URLs the desk asked the browser to open.
    pub fn opened(&self) -> Vec<String> {
        std::fs::read_to_string(&self.opened_log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// A confidential client "app" (secret [`CLIENT_SECRET`]) with every endpoint on the server.
    pub async fn add_explicit_client(&self) {
        let s = &self.server;
        let spec = ClientSpec {
            endpoints: Endpoints {
                authorization: Some(s.url("/authorize")),
                token: Some(s.url("/token")),
                revocation: Some(s.url("/revoke")),
                introspection: Some(s.url("/introspect")),
                userinfo: Some(s.url("/userinfo")),
                device_authorization: Some(s.url("/device")),
            },
            ..spec("app", None)
        };
        self.desk
            .add_client(spec, Some(CredentialInput::new(CLIENT_SECRET)))
            .await
            .expect("a client with explicit endpoints is added without any request");
    }

    /// A client-credentials login of "app".
    pub async fn login_cc(&self) -> oauthdesk_core::Result<GrantView> {
        self.login(GrantType::ClientCredentials).await
    }

    pub async fn login(&self, grant: GrantType) -> oauthdesk_core::Result<GrantView> {
        let progress: oauthdesk_core::model::Progress = Arc::new(|_| {});
        self.desk
            .login("app", LoginOptions::new(grant), progress)
            .await
    }

    /// "app" logged in with `token_response(1)` (tokens SECRET-at-1, SECRET-rt-1).
    pub async fn logged_in(&self) -> GrantView {
        self.add_explicit_client().await;
        self.server
            .route("/token", Fault::json(200, &token_response(1)));
        self.login_cc()
            .await
            .expect("a healthy token response logs in")
    }

    pub async fn current(&self) -> GrantView {
        let mut grants = self.desk.grants(Some("app")).await.expect("grants list");
        assert_eq!(grants.len(), 1, "the client has exactly one grant");
        grants.remove(0)
    }

    /// The access token the keychain holds for `grant`.
    pub fn stored_access_token(&self, grant: &GrantView) -> Option<String> {
        let item = self.store.value(&format!("grant/{}", grant.id))?;
        let v: Value = serde_json::from_str(&item).expect("the grant item is JSON");
        v["access_token"].as_str().map(str::to_owned)
    }

    /// Refreshes "app"'s current grant.
    pub async fn refresh(&self) -> oauthdesk_core::Result<GrantView> {
        self.desk.refresh(GrantRef::Current("app")).await
    }

    /// Nothing half-written: each grant row that is not revoked has its keychain item, each
    /// client with a secret has its item, and every item belongs to a row.
    pub async fn assert_consistent(&self, case: &str) {
        let grants = self.desk.grants(None).await.expect("grants list");
        let clients = self.desk.list_clients().await.expect("client list");
        let keys = self.store.keys();
        for g in &grants {
            let key = format!("grant/{}", g.id);
            if g.status != GrantStatus::Revoked {
                assert!(
                    keys.contains(&key),
                    "{case}: grant {} ({:?}) has its keychain item",
                    g.id,
                    g.status
                );
            }
        }
        for c in &clients {
            if c.has_secret {
                assert!(
                    keys.contains(&format!("client/{}", c.id)),
                    "{case}: client {:?} has its secret in the keychain",
                    c.name
                );
            }
        }
        for key in &keys {
            let belongs = match key.split_once('/') {
                Some(("grant", id)) => grants.iter().any(|g| g.id == id),
                Some((_, id)) => clients.iter().any(|c| c.id == id),
                None => false,
            };
            assert!(belongs, "{case}: keychain item {key} belongs to a row");
        }
    }

    /// Everything shown about the desk: history, every client's transcripts, grant views.
    pub async fn shown(&self) -> String {
        let mut all = String::new();
        all.push_str(
            &serde_json::to_string(&self.desk.history(None).await.expect("history")).expect("JSON"),
        );
        for c in self.desk.list_clients().await.expect("client list") {
            let flows = self.desk.transcripts(&c.name, 1000).await.expect("flows");
            all.push_str(&serde_json::to_string(&flows).expect("JSON"));
            all.push_str(&format!("{c:?}"));
        }
        let grants = self.desk.grants(None).await.expect("grants");
        all.push_str(&serde_json::to_string(&grants).expect("JSON"));
        all.push_str(&format!("{grants:?}"));
        all
    }

    /// No secret in `texts` nor in anything the desk shows.
    pub async fn assert_no_secret(&self, texts: &[&str], case: &str) {
        for t in texts {
            assert!(
                !t.contains(SECRET_MARK),
                "{case}: no secret in what is shown to the user: {t}"
            );
        }
        let shown = self.shown().await;
        if let Some(i) = shown.find(SECRET_MARK) {
            let from = shown[..i]
                .char_indices()
                .rev()
                .nth(200)
                .map_or(0, |(j, _)| j);
            panic!(
                "{case}: no secret in history, transcripts or grant views; found at …{}…",
                &shown[from..(i + 40).min(shown.len())]
            );
        }
    }

    /// The checks every case ends with.
    pub async fn assert_clean(&self, texts: &[&str], case: &str) {
        self.assert_consistent(case).await;
        self.assert_no_secret(texts, case).await;
    }
}

/// A client spec with no endpoints; `issuer` for discovery.
pub fn spec(name: &str, issuer: Option<&str>) -> ClientSpec {
    ClientSpec {
        name: name.into(),
        client_id: "fault-client".into(),
        issuer: issuer.map(str::to_owned),
        endpoints: Endpoints::default(),
        auth_method: None,
        scopes: "api".into(),
        redirect_uri: None,
        extra_params: vec![],
        pkce: true,
        insecure: false,
        id_token_alg: None,
        par: false,
        jar: Default::default(),
        response_mode: None,
        dpop: false,
        ca_pem: None,
        authorization_details: None,
    }
}

/// A healthy token response with tokens `SECRET-at-<n>` and `SECRET-rt-<n>`.
pub fn token_response(n: u32) -> Value {
    json!({
        "access_token": format!("SECRET-at-{n}"),
        "token_type": "Bearer",
        "expires_in": 3600,
        "refresh_token": format!("SECRET-rt-{n}"),
        "scope": "api",
    })
}

/// The same as text with `expires_in` written as `expires` (verbatim: `1e30`, `"3600"`, …).
pub fn token_response_expiring(n: u32, expires: &str) -> String {
    format!(
        r#"{{"access_token":"SECRET-at-{n}","token_type":"Bearer","expires_in":{expires},"refresh_token":"SECRET-rt-{n}","scope":"api"}}"#
    )
}

/// Metadata for the server as issuer (every endpoint on it), with `overrides` merged in.
pub fn discovery_document(server: &FaultServer, overrides: Value) -> Value {
    let mut doc = json!({
        "issuer": server.base(),
        "authorization_endpoint": server.url("/authorize"),
        "token_endpoint": server.url("/token"),
        "jwks_uri": server.url("/jwks"),
        "registration_endpoint": server.url("/register"),
        "pushed_authorization_request_endpoint": server.url("/par"),
        "device_authorization_endpoint": server.url("/device"),
        "revocation_endpoint": server.url("/revoke"),
        "introspection_endpoint": server.url("/introspect"),
        "userinfo_endpoint": server.url("/userinfo"),
        "response_types_supported": ["code"],
    });
    if let (Some(d), Value::Object(o)) = (doc.as_object_mut(), overrides) {
        d.extend(o);
    }
    doc
}

/// `err` as the user sees it and as a developer's log would (`Debug`).
pub fn shown(err: &CoreError) -> String {
    format!("{err}\n{err:?}")
}

/// Asserts `text` contains each of `parts`, saying what the message must tell.
#[track_caller]
pub fn assert_says(text: &str, parts: &[&str], what: &str) {
    for p in parts {
        assert!(
            text.contains(p),
            "{what}: the message says {p:?}; it was: {text}"
        );
    }
}

/// Asserts `started` is at most `limit` ago.
#[track_caller]
pub fn assert_within(started: Instant, limit: Duration, what: &str) {
    let took = started.elapsed();
    assert!(
        took <= limit,
        "{what}: finished within {limit:?} (took {took:?})"
    );
}

/// A compact JWT with `claims` (its signature is junk: these tests are about fetching keys).
pub fn junk_jwt(kid: &str, claims: Value) -> String {
    use base64::Engine;
    let b64 = |v: &Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
    };
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": kid});
    format!("{}.{}.c2lnbmF0dXJl", b64(&header), b64(&claims))
}
