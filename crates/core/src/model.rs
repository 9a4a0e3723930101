//! The domain's records and the views handed to the CLI and GUI. Views carry metadata, claims
//! and times, never a token or secret.

use oauthdesk_protocol::client_auth::AuthMethod;
use oauthdesk_protocol::discovery::ServerMetadata;
use serde::{Deserialize, Serialize};

/// The default redirect: loopback on an ephemeral port (RFC 8252 §7.3).
pub const DEFAULT_REDIRECT_URI: &str = "http://127.0.0.1/callback";

/// Endpoints a client uses. Explicit values override discovered ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct Endpoints {
    pub authorization: Option<String>,
    pub token: Option<String>,
    pub revocation: Option<String>,
    pub introspection: Option<String>,
    pub userinfo: Option<String>,
    pub device_authorization: Option<String>,
}

impl Endpoints {
    /// `self` where set, else the discovered value.
    pub fn or_discovered(&self, m: &ServerMetadata) -> Endpoints {
        let pick = |explicit: &Option<String>, found: &Option<String>| {
            explicit.clone().or_else(|| found.clone())
        };
        Endpoints {
            authorization: pick(&self.authorization, &m.authorization_endpoint),
            token: pick(&self.token, &m.token_endpoint),
            revocation: pick(&self.revocation, &m.revocation_endpoint),
            introspection: pick(&self.introspection, &m.introspection_endpoint),
            userinfo: pick(&self.userinfo, &m.userinfo_endpoint),
            device_authorization: pick(
                &self.device_authorization,
                &m.device_authorization_endpoint,
            ),
        }
    }

    pub fn all(&self) -> [(&'static str, &Option<String>); 6] {
        [
            ("authorization", &self.authorization),
            ("token", &self.token),
            ("revocation", &self.revocation),
            ("introspection", &self.introspection),
            ("userinfo", &self.userinfo),
            ("device-authorization", &self.device_authorization),
        ]
    }
}

/// What the user fills in to register a client (and what an export holds: no secret).
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct ClientSpec {
    pub name: String,
    pub client_id: String,
    pub issuer: Option<String>,
    #[serde(default)]
    pub endpoints: Endpoints,
    pub auth_method: Option<AuthMethod>,
    #[serde(default)]
    pub scopes: String,
    pub redirect_uri: Option<String>,
    #[serde(default)]
    pub extra_params: Vec<(String, String)>,
    #[serde(default = "yes")]
    pub pkce: bool,
    #[serde(default)]
    pub insecure: bool,
    /// The ID token signing algorithm registered for this client (`id_token_signed_response_alg`);
    /// `null` accepts what the server advertises, else RS256 (OIDC Registration §2).
    #[serde(default)]
    pub id_token_alg: Option<String>,
    /// Send authorization requests as pushed authorization requests (RFC 9126). Used anyway
    /// when the server's metadata says `require_pushed_authorization_requests`.
    #[serde(default)]
    pub par: bool,
    /// Signed request objects (RFC 9101): off, by value, or through PAR. Used by value anyway
    /// when the server (or the client's registration) says `require_signed_request_object`.
    #[serde(default)]
    pub jar: oauthdesk_protocol::jar::JarMode,
    /// `response_mode` to ask for: `null` for the default (query for `code`), `form_post`,
    /// `fragment`, or a JWT mode (JARM): `jwt`, `query.jwt`, `fragment.jwt`, `form_post.jwt`.
    #[serde(default)]
    pub response_mode: Option<String>,
    /// Bind tokens to a key with DPoP (RFC 9449).
    #[serde(default)]
    pub dpop: bool,
    /// Extra trusted CA certificates (PEM) for this client's requests, added to the global ones
    /// (Settings → Network). Public certificates, not secrets.
    #[serde(default)]
    pub ca_pem: Option<String>,
    /// Default `authorization_details` (RFC 9396): a JSON array of objects with a `type`.
    #[serde(default)]
    #[ts(optional, type = "Array<unknown> | null")]
    pub authorization_details: Option<serde_json::Value>,
}

fn yes() -> bool {
    true
}

/// A registered client as stored.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub client_id: String,
    pub issuer: Option<String>,
    pub endpoints: Endpoints,
    pub auth_method: AuthMethod,
    pub scopes: String,
    pub redirect_uri: String,
    pub extra_params: Vec<(String, String)>,
    pub pkce: bool,
    pub insecure: bool,
    /// The secret is in the keychain; the value is never here.
    pub has_secret: bool,
    #[serde(skip)]
    pub secret_ref: Option<String>,
    pub metadata: Option<ServerMetadata>,
    pub id_token_alg: Option<String>,
    pub par: bool,
    /// Signed request objects (RFC 9101); see `ClientSpec`.
    pub jar: oauthdesk_protocol::jar::JarMode,
    /// The `response_mode` asked for (JARM's JWT modes included); see `ClientSpec`.
    pub response_mode: Option<String>,
    /// Registered dynamically (RFC 7591): where the registration is read, updated and deleted
    /// (RFC 7592). Its access token is in the keychain.
    pub registration_client_uri: Option<String>,
    /// private_key_jwt: the public half of the client's key (RFC 7517), to register at the
    /// provider. The private half is the client's keychain secret.
    pub public_jwk: Option<serde_json::Value>,
    /// DPoP (RFC 9449): token and API requests carry proofs of the client's DPoP key.
    pub dpop: bool,
    /// Extra trusted CA certificates (PEM) for this client's requests (see `ClientSpec`).
    pub ca_pem: Option<String>,
    /// Mutual TLS (RFC 8705): the client certificate's chain (PEM, public); its key is the
    /// keychain item `tls/<id>`. Set only through `client cert import` (never by edits).
    #[serde(skip)]
    pub tls_cert_pem: Option<String>,
    /// What that certificate says: subject, thumbprint (`x5t#S256`), validity.
    pub tls_certificate: Option<oauthdesk_protocol::mtls::CertificateInfo>,
    /// Default `authorization_details` (RFC 9396) sent with every login (see `ClientSpec`).
    #[ts(type = "Array<unknown> | null")]
    pub authorization_details: Option<serde_json::Value>,
    pub created_at: i64,
}

impl Client {
    /// A stand-in for checks of a pasted token with no registered client: only an issuer.
    pub fn bare(issuer: Option<String>) -> Client {
        Client {
            id: String::new(),
            name: String::new(),
            client_id: String::new(),
            issuer,
            endpoints: Endpoints::default(),
            auth_method: AuthMethod::None,
            scopes: String::new(),
            redirect_uri: String::new(),
            extra_params: vec![],
            pkce: true,
            insecure: false,
            has_secret: false,
            secret_ref: None,
            metadata: None,
            id_token_alg: None,
            par: false,
            jar: Default::default(),
            response_mode: None,
            registration_client_uri: None,
            public_jwk: None,
            dpop: false,
            ca_pem: None,
            tls_cert_pem: None,
            tls_certificate: None,
            authorization_details: None,
            created_at: 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    AuthorizationCode,
    DeviceCode,
    ClientCredentials,
    Password,
    Implicit,
    /// RFC 8693: obtained by trading another token.
    TokenExchange,
    /// OpenID Connect CIBA: the user approved on their authentication device.
    Ciba,
    /// RFC 7523 §2.1: obtained with a JWT assertion.
    JwtBearer,
}

impl GrantType {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::DeviceCode => "device_code",
            GrantType::ClientCredentials => "client_credentials",
            GrantType::Password => "password",
            GrantType::Implicit => "implicit",
            GrantType::TokenExchange => "token_exchange",
            GrantType::Ciba => "ciba",
            GrantType::JwtBearer => "jwt_bearer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "authorization_code" | "code" => GrantType::AuthorizationCode,
            "device_code" | "device" | "urn:ietf:params:oauth:grant-type:device_code" => {
                GrantType::DeviceCode
            }
            "client_credentials" => GrantType::ClientCredentials,
            "password" => GrantType::Password,
            "implicit" => GrantType::Implicit,
            "token_exchange" | "urn:ietf:params:oauth:grant-type:token-exchange" => {
                GrantType::TokenExchange
            }
            "ciba" | oauthdesk_protocol::grant::ciba::GRANT_TYPE => GrantType::Ciba,
            "jwt_bearer" | "jwt-bearer" | oauthdesk_protocol::grant::jwt_bearer::GRANT_TYPE => {
                GrantType::JwtBearer
            }
            _ => return None,
        })
    }

    /// Grants the OAuth 2.0 Security BCP (RFC 9700 §2.1.2, §2.4) says not to use.
    pub fn legacy_note(self) -> Option<&'static str> {
        match self {
            GrantType::Password => Some(
                "legacy: the password grant hands the user's password to the client (RFC 9700 §2.4 says MUST NOT)",
            ),
            GrantType::Implicit => Some(
                "legacy: the implicit grant exposes tokens in the browser and cannot be sender-constrained (RFC 9700 §2.1.2)",
            ),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum GrantStatus {
    Active,
    /// The refresh failed with `invalid_grant` or similar: log in again.
    NeedsLogin,
    Revoked,
}

impl GrantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantStatus::Active => "active",
            GrantStatus::NeedsLogin => "needs_login",
            GrantStatus::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "active" => GrantStatus::Active,
            "needs_login" => GrantStatus::NeedsLogin,
            "revoked" => GrantStatus::Revoked,
            _ => return None,
        })
    }
}

/// A grant's metadata: what `oauthdesk grants --json` prints and the GUI shows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct GrantView {
    pub id: String,
    pub client: String,
    pub grant_type: GrantType,
    pub status: GrantStatus,
    pub scopes_requested: String,
    /// `null` when the server omitted `scope`: same as requested (RFC 6749 §5.1).
    pub scopes_granted: Option<String>,
    pub token_type: String,
    pub has_access_token: bool,
    pub has_refresh_token: bool,
    pub has_id_token: bool,
    /// Unix seconds; `null` when the server gave no `expires_in`.
    pub expires_at: Option<i64>,
    pub issued_at: i64,
    pub refreshed_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// The tool the access token was last handed to ("git for github.com", "exec for make");
    /// `null` when it was only used inside OAuth Desk.
    #[ts(optional = nullable)]
    pub last_used_by: Option<String>,
    pub refresh_count: i64,
    pub subject: Option<String>,
    /// Claims of the ID token and of a JWT access token (decoded, not verified).
    pub claims: Option<serde_json::Value>,
    pub deviations: Vec<oauthdesk_protocol::endpoint::Deviation>,
    pub revoked_at: Option<i64>,
    /// Refreshed before it expires while the app runs.
    pub auto_refresh: bool,
    /// `authorization_details` sent (RFC 9396 §2) and granted (§7: token response, else the JWT
    /// access token's claim §9.1). Metadata, not secrets.
    #[ts(type = "Array<unknown> | null")]
    pub authorization_details_requested: Option<serde_json::Value>,
    #[ts(type = "Array<unknown> | null")]
    pub authorization_details_granted: Option<serde_json::Value>,
}

impl GrantView {
    /// An active authorization-code grant with nothing else known: the base for views read
    /// in part (`store/scan.rs`, the audit's filter keys) and for tests, which set what they use.
    pub(crate) fn blank() -> Self {
        GrantView {
            id: String::new(),
            client: String::new(),
            grant_type: GrantType::AuthorizationCode,
            status: GrantStatus::Active,
            scopes_requested: String::new(),
            scopes_granted: None,
            token_type: String::new(),
            has_access_token: false,
            has_refresh_token: false,
            has_id_token: false,
            expires_at: None,
            issued_at: 0,
            refreshed_at: None,
            last_used_at: None,
            last_used_by: None,
            refresh_count: 0,
            subject: None,
            claims: None,
            deviations: Vec::new(),
            revoked_at: None,
            auto_refresh: false,
            authorization_details_requested: None,
            authorization_details_granted: None,
        }
    }

    /// Seconds until the access token expires (negative once expired).
    pub fn expires_in(&self, now: i64) -> Option<i64> {
        self.expires_at.map(|e| e.saturating_sub(now))
    }
}

/// A grant as a list row: what the Tokens list and pickers show, without claims or deviations,
/// so a list of thousands crosses IPC light.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct GrantSummary {
    pub id: String,
    pub client: String,
    pub grant_type: GrantType,
    pub status: GrantStatus,
    pub scopes_requested: String,
    pub scopes_granted: Option<String>,
    pub has_access_token: bool,
    pub has_refresh_token: bool,
    pub expires_at: Option<i64>,
    pub issued_at: i64,
    pub refreshed_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// The ID token's `sub` (or the introspected one), to tell grants of one client apart.
    pub subject: Option<String>,
    #[ts(optional = nullable)]
    pub last_used_at: Option<i64>,
    /// The tool the access token was last handed to (see [`GrantView::last_used_by`]).
    #[ts(optional = nullable)]
    pub last_used_by: Option<String>,
    /// What the grant holds at the time of the listing (crate::grant_state).
    pub tokens: crate::grant_state::TokenStates,
}

/// A page of grant summaries.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct GrantPage {
    /// All grants matching (of the client, or of all clients).
    pub total: i64,
    /// Names of the clients that have grants, for the list's filter.
    pub clients: Vec<String>,
    pub offset: i64,
    pub rows: Vec<GrantSummary>,
}

/// Progress of a flow, for the CLI's status lines and the GUI's timeline.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FlowEvent {
    /// The first event of every login: the id its transcript is saved under.
    Started {
        flow_id: String,
    },
    Step {
        name: String,
    },
    AuthorizationUrl {
        url: String,
        opened: bool,
    },
    WaitingForCallback {
        redirect_uri: String,
        timeout_secs: u64,
    },
    CallbackReceived {
        iss_checked: bool,
    },
    DeviceCode {
        user_code: String,
        verification_uri: String,
        verification_uri_complete: Option<String>,
        expires_in: u64,
        opened: bool,
    },
    DevicePoll {
        remaining_secs: u64,
        next_poll_in_secs: u64,
        interval_secs: u64,
        polls: u32,
        last: String,
    },
    TokenReceived {
        grant_id: String,
    },
    /// CIBA: the server took the backchannel authentication request (CIBA §7.3); the user now
    /// answers on their authentication device.
    CibaRequested {
        login_hint: Option<String>,
        binding_message: Option<String>,
        /// `poll` or `ping`.
        mode: String,
        expires_in: u64,
        interval_secs: u64,
        /// Ping mode: where the server's notification is awaited.
        notification_endpoint: Option<String>,
    },
    /// CIBA: the wait, every second (poll mode: the next poll; ping mode: the notification).
    CibaWait {
        mode: String,
        remaining_secs: u64,
        /// Poll mode only.
        next_poll_in_secs: Option<u64>,
        interval_secs: u64,
        polls: u32,
        /// `waiting`, `authorization_pending`, `slow_down`, or `notified` (ping).
        last: String,
    },
    /// An HTTP exchange (or browser hand-off) of the flow, already redacted.
    Exchange {
        exchange: oauthdesk_protocol::transcript::Exchange,
    },
}

/// Receives [`FlowEvent`]s.
pub type Progress = std::sync::Arc<dyn Fn(FlowEvent) + Send + Sync>;

/// One event of a client's history.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HistoryEvent {
    pub at: i64,
    pub client: String,
    pub grant_id: Option<String>,
    pub kind: String,
    pub detail: String,
    /// The flow whose transcript this event left (logins), for `flow_transcript`.
    pub flow_id: Option<String>,
    /// How to run this login again (login events only).
    pub rerun: Option<RerunOptions>,
}

/// A login's options as kept with its history event: what "run again" needs, never a secret
/// (no password; extra parameters with a secret's name are left out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct RerunOptions {
    pub grant: GrantType,
    pub scope: Option<String>,
    pub extra_params: Vec<(String, String)>,
    pub username: Option<String>,
}

/// A recorded flow: its exchanges in order.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FlowTranscript {
    pub flow_id: String,
    pub operation: String,
    pub grant_id: Option<String>,
    pub at: i64,
    pub exchanges: Vec<oauthdesk_protocol::transcript::Exchange>,
}
