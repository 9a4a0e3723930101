//! What the engine tests share: a `Desk` on a private data dir with the in-memory secret store,
//! the test browser as its launcher, and one server of its own (so tests never share state).

use oauthdesk_core::launcher::Launcher;
use oauthdesk_core::model::{ClientSpec, Endpoints};
use oauthdesk_core::secrets::MemoryStore;
use oauthdesk_core::{Desk, DeskConfig};
use oauthdesk_tests::Provider;
use std::sync::Arc;

pub struct Engine {
    pub desk: Desk,
    pub provider: Provider,
    _home: tempfile::TempDir,
}

pub async fn engine() -> Engine {
    let provider = Provider::start();
    let home = tempfile::tempdir().unwrap();
    let mut config =
        DeskConfig::with_secrets(home.path().to_path_buf(), Arc::new(MemoryStore::default()));
    config.launcher = Launcher::Command(env!("CARGO_BIN_EXE_oauthdesk-test-browser").into());
    Engine {
        desk: Desk::open(config).await.unwrap(),
        provider,
        _home: home,
    }
}

pub fn spec(name: &str, client_id: &str, issuer: &str, scopes: &str) -> ClientSpec {
    ClientSpec {
        name: name.into(),
        client_id: client_id.into(),
        issuer: Some(issuer.into()),
        endpoints: Endpoints::default(),
        auth_method: None,
        scopes: scopes.into(),
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

pub fn quiet() -> oauthdesk_core::model::Progress {
    Arc::new(|_| {})
}
