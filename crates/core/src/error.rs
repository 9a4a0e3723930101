//! The core crate's one error type. Every message says what happened and, where there is one,
//! what to do; none contains a secret.

use oauthdesk_protocol::ProtocolError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error("the OS keychain is not usable: {cause}.\n  fix: {fix}")]
    Keychain { cause: String, fix: &'static str },
    #[error(
        "the keychain item {key:?} that holds this {what} is missing (deleted outside OAuth Desk?)"
    )]
    SecretMissing { key: String, what: &'static str },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A bulk read (`store/scan.rs`) failed; the text says what and why.
    #[error("database error: {0}")]
    Store(String),
    #[error("the database could not be brought up to date: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The store could not be opened: names the data dir, the cause, and what to do.
    #[error("cannot open the database in {dir}: {source}{hint}")]
    OpenStore {
        dir: std::path::PathBuf,
        #[source]
        source: sqlx::Error,
        hint: &'static str,
    },
    #[error("no client named {0:?}; `oauthdesk client list` shows the registered ones")]
    ClientNotFound(String),
    #[error("a client named {0:?} already exists")]
    ClientExists(String),
    #[error("{client}: a login is needed ({reason}); run `oauthdesk login {client}`")]
    NeedsLogin { client: String, reason: String },
    #[error("{0}")]
    InvalidInput(String),
    #[error(
        "the client has no {0} endpoint; add it with --{0}-endpoint or register the client by issuer"
    )]
    MissingEndpoint(&'static str),
    #[error("could not open the browser: {0}")]
    Browser(String),
    /// A login's ID token failed validation (OIDC Core §3.1.3.7); `checks` are the failed
    /// checks, so the GUI can show them as rows. Nothing was stored.
    #[error(
        "the ID token failed validation: {}; the tokens were not stored",
        checks.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    )]
    IdToken {
        checks: Vec<oauthdesk_protocol::verify::Check>,
    },
    /// A login's JWT authorization response (JARM §2.4) failed its checks; `checks` are the
    /// failed ones. The code was not used.
    #[error(
        "the JWT authorization response (JARM) failed validation: {}; the code was not used",
        checks.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    )]
    Jarm {
        checks: Vec<oauthdesk_protocol::verify::Check>,
    },
    /// `what` says what was being done ("cannot write /tmp/x", "reading the token from stdin").
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{what}: {source}")]
    Json {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// A background task (keychain worker, write task) ended without an answer.
    #[error("the {0} failed: {1}")]
    Task(&'static str, #[source] tokio::task::JoinError),
    #[error("no home directory found; set OAUTHDESK_HOME")]
    NoHome,
}

impl CoreError {
    /// An IO error with what was being done.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        CoreError::Io {
            what: what.into(),
            source,
        }
    }
}

impl CoreError {
    /// The OAuth error behind this error, if the server sent one.
    pub fn oauth(&self) -> Option<&oauthdesk_protocol::OAuthError> {
        match self {
            CoreError::Protocol(p) => p.oauth(),
            _ => None,
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
