//! `Desk`: the one facade the GUI and the CLI call. Every user action is one async method.
//! State lives here (no globals): the database pool, the secret store, the HTTP client.

mod audit;
mod audit_export;
mod audit_index;
mod auto_refresh;
mod call_api;
mod ciba;
mod clients;
mod credentials;
mod decode;
mod docker_hosts;
mod environments;
mod exchange;
mod grant_list;
mod handoff;
mod inspect;
mod keychain_write;
mod login;
mod logout;
mod mcp;
mod mtls;
mod network;
mod postman_environment;
pub(crate) mod rar;
mod refresh;
mod registration;
mod report;
mod resource;
mod row_index;
mod settings;
mod step_up;
mod substitution;
mod token_views;
mod tokens;
mod transfer;

pub use audit::{AuditFilter, AuditFormat, AuditPage, AuditRow, iso8601};
pub use auto_refresh::AutoRefreshOutcome;
pub use call_api::{ApiRequest, ApiResponse, SavedRequest};
pub use ciba::{CibaSettings, CibaUpdate};
pub use decode::DecodedToken;
pub use docker_hosts::{DEFAULT_DOCKER_USERNAME, DockerHost, normalize_registry_host};
pub use environments::{Environment, EnvironmentImport, Variable};
pub use exchange::{ExchangeRequest, TokenSource};
pub use handoff::{HandedToken, Handoff, parse_http_url};
pub use inspect::{
    InspectOptions, Inspection, ScopeComparison, TokenFindings, TokenVerification, VerifyOptions,
    split_scopes,
};
pub use login::{CibaOptions, JwtBearerOptions, LoginOptions};
pub use logout::LogoutOutcome;
pub use mcp::{McpOptions, McpOutcome, McpReport, McpStep, RevisionVerdict};
pub use mtls::CertificateImport;
pub use network::{NetworkSettings, PROXY_PASSWORD_KEY, ProxyMode, TIMEOUT_RANGE};
pub use rar::{compare_grant, held_types, parse_authorization_details};
pub use registration::RegistrationRequest;
pub use report::{
    Finding, ProfileReport, ProfileVerdict, ProviderReport, Severity, analyze, fapi2_verdict,
};
pub use resource::{
    ClientIdentity, ProbeOptions, ResourceClient, ResourceClientRequest, ResourceProbe,
    ServerProbe, metadata_document_template,
};
pub use settings::{KeychainStatus, Settings};
pub use step_up::{CallChallenge, ChallengeKind, StepUpPlan, SteppedUp, TokenVerdict};
pub use token_views::{GrantInspection, JwtParts, TokenInfo, TokenKind};
pub use tokens::{GrantRef, RevokeWhich};
pub use transfer::{ClientsFile, EXPORT_FORMAT, ExportedClient, ImportReport, parse_postman};

use crate::error::{CoreError, Result};
use crate::launcher::Launcher;
use crate::model::{FlowTranscript, HistoryEvent};
use crate::secrets::{KeyringStore, SecretStore};
use crate::store;
use oauthdesk_protocol::http::HttpConfig;
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::{Clock, KeychainValue, SystemClock};
use sqlx::SqlitePool;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub struct DeskConfig {
    /// The data dir: database and lock files.
    pub home: PathBuf,
    pub secrets: Arc<dyn SecretStore>,
    pub launcher: Launcher,
    pub http: HttpConfig,
    pub clock: Arc<dyn Clock>,
    /// How long a browser login may take.
    pub callback_timeout: Duration,
    /// SQLite connections: 1 for a short-lived CLI process, a few for the GUI.
    pub db_connections: u32,
    /// The environment to use instead of the active one (the CLI's `--env NAME`).
    pub environment: Option<String>,
}

impl DeskConfig {
    /// The real thing: `$OAUTHDESK_HOME` or the platform data dir, the OS keychain, `$BROWSER`.
    pub fn from_env() -> Result<Self> {
        Ok(Self::with_secrets(
            default_home()?,
            Arc::new(KeyringStore::default()),
        ))
    }

    pub fn with_secrets(home: PathBuf, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            home,
            secrets,
            launcher: Launcher::System,
            http: HttpConfig::default(),
            clock: Arc::new(SystemClock),
            callback_timeout: Duration::from_secs(300),
            db_connections: 4,
            environment: None,
        }
    }
}

/// `$OAUTHDESK_HOME`, else the platform's data dir (`~/.local/share/oauthdesk` on Linux).
pub fn default_home() -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("OAUTHDESK_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    directories::ProjectDirs::from("dev", "oauthdesk", "oauthdesk")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or(CoreError::NoHome)
}

pub struct Desk {
    db: SqlitePool,
    /// Bulk reads of the same file on the caller's thread (`store/scan.rs`).
    scan: store::scan::Source,
    /// The Audit screen's row ids for its last filter (`audit_index.rs`).
    audit_index: audit_index::SharedIndex,
    /// The Tokens screen's row ids for its last client filter (`grant_list.rs`).
    grant_list: grant_list::SharedList,
    /// The names of the clients that have grants, for both lists' filter (`row_index.rs`).
    clients_with_grants: row_index::SharedClients,
    secrets: Arc<dyn SecretStore>,
    /// HTTP clients by network configuration (`network.rs`).
    http: network::HttpCache,
    config: DeskConfig,
    critical: Arc<Critical>,
    /// Secret variable values substituted so far: masked in every transcript saved.
    hidden_values: std::sync::Mutex<Vec<String>>,
}

/// Work a signal must not cut: from sending a refresh (after which the server may have rotated
/// the refresh token) until its answer is in the keychain. A CLI that gets SIGINT or SIGTERM
/// waits for [`Desk::settled`] before it exits.
#[derive(Default)]
struct Critical {
    running: std::sync::atomic::AtomicUsize,
    idle: tokio::sync::Notify,
}

/// Held while a critical section runs; dropping it ends the section.
pub(crate) struct CriticalSection(Arc<Critical>);

impl Drop for CriticalSection {
    fn drop(&mut self) {
        if self
            .0
            .running
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst)
            == 1
        {
            self.0.idle.notify_waiters();
        }
    }
}

impl Desk {
    pub async fn open(config: DeskConfig) -> Result<Desk> {
        std::fs::create_dir_all(&config.home).map_err(|e| {
            CoreError::io(
                format!("cannot create the data dir {}", config.home.display()),
                e,
            )
        })?;
        let (db, scan) =
            store::open(&config.home.join("oauthdesk.db"), config.db_connections).await?;
        let desk = Desk {
            db,
            scan,
            audit_index: Default::default(),
            grant_list: Default::default(),
            clients_with_grants: Default::default(),
            secrets: config.secrets.clone(),
            http: Default::default(),
            config,
            critical: Arc::default(),
            hidden_values: Default::default(),
        };
        desk.recover_pending_secrets().await;
        Ok(desk)
    }

    pub fn home(&self) -> &std::path::Path {
        &self.config.home
    }

    /// Starts a section a signal must not cut (see [`Desk::settled`]).
    pub(crate) fn critical_section(&self) -> CriticalSection {
        self.critical
            .running
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        CriticalSection(self.critical.clone())
    }

    /// Whether a refresh is between its request and its keychain write right now.
    pub fn in_critical_section(&self) -> bool {
        self.critical
            .running
            .load(std::sync::atomic::Ordering::SeqCst)
            > 0
    }

    /// Resolves when no critical section runs: a refresh that was sent has its answer stored.
    /// The caller must keep driving the work meanwhile (it runs in the caller's task).
    pub async fn settled(&self) {
        loop {
            let idle = self.critical.idle.notified();
            if !self.in_critical_section() {
                return;
            }
            idle.await;
        }
    }

    pub fn now(&self) -> i64 {
        self.config.clock.now()
    }

    /// Whether the secret store can be used, with the cause and fix when not.
    pub async fn keychain_status(&self) -> Result<()> {
        let s = self.secrets.clone();
        blocking(move || s.check()).await
    }

    pub fn keychain_description(&self) -> String {
        self.secrets.describe()
    }

    async fn secret_get(&self, key: &str) -> Result<Option<KeychainValue>> {
        let (s, k) = (self.secrets.clone(), key.to_owned());
        blocking(move || s.get(&k)).await
    }

    async fn secret_set(&self, key: &str, value: KeychainValue) -> Result<()> {
        let (s, k) = (self.secrets.clone(), key.to_owned());
        blocking(move || s.set(&k, &value)).await
    }

    /// Saves a flow's transcript under a new flow id.
    async fn save_transcript(
        &self,
        client_id: &str,
        grant_id: Option<&str>,
        operation: &str,
        transcript: &Transcript,
    ) {
        let flow_id = uuid::Uuid::new_v4().to_string();
        self.save_flow(&flow_id, client_id, grant_id, operation, transcript)
            .await;
    }

    /// Saves a flow's transcript under `flow_id`; a failure here must not hide the flow's own
    /// result.
    async fn save_flow(
        &self,
        flow_id: &str,
        client_id: &str,
        grant_id: Option<&str>,
        operation: &str,
        transcript: &Transcript,
    ) {
        let exchanges = self.masked(transcript.exchanges());
        if exchanges.is_empty() {
            return;
        }
        let now = self.now();
        if let Ok(mut conn) = self.db.acquire().await {
            let _ = store::history::save_transcript(
                &mut conn, flow_id, client_id, grant_id, operation, now, &exchanges,
            )
            .await;
        }
    }

    async fn event(&self, client_id: &str, grant_id: Option<&str>, kind: &str, detail: &str) {
        let _ =
            store::history::record_event(&self.db, self.now(), client_id, grant_id, kind, detail)
                .await;
    }

    /// The client's recorded flows, oldest first (`limit` newest flows).
    pub async fn transcripts(&self, client: &str, limit: i64) -> Result<Vec<FlowTranscript>> {
        let c = store::clients::by_name(&self.db, client).await?;
        store::history::transcripts(&self.db, &c.id, limit).await
    }

    /// One flow's transcript by its id (a login's comes first on its progress, as
    /// [`FlowEvent::Started`](crate::model::FlowEvent::Started)); saved for failed flows too.
    pub async fn flow_transcript(&self, flow_id: &str) -> Result<Option<FlowTranscript>> {
        store::history::flow(&self.db, flow_id).await
    }

    pub async fn history(&self, client: Option<&str>) -> Result<Vec<HistoryEvent>> {
        let id = match client {
            Some(name) => Some(store::clients::by_name(&self.db, name).await?.id),
            None => None,
        };
        store::history::events(&self.db, id.as_deref()).await
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| CoreError::Task("keychain worker", e))?
}

#[cfg(test)]
pub(crate) mod test_desk {
    /// A desk on a new store in a temp dir (kept alive by the returned guard), with an
    /// in-memory keychain.
    pub(crate) async fn open() -> (tempfile::TempDir, super::Desk) {
        let home = tempfile::tempdir().expect("a temp dir");
        let desk = super::Desk::open(super::DeskConfig::with_secrets(
            home.path().to_path_buf(),
            std::sync::Arc::new(crate::secrets::MemoryStore::default()),
        ))
        .await
        .expect("the desk opens");
        (home, desk)
    }
}
