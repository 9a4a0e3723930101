//! The command-line contract. Other tools script these names: keep them stable.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "oauthdesk",
    version,
    about = "OAuth 2.0 / OpenID Connect workbench: clients, grants and tokens, with every secret in the OS keychain."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Register, list, show and remove OAuth clients.
    Client {
        #[command(subcommand)]
        command: ClientCommand,
    },
    /// Obtain a grant: opens the system browser (or prints the URL) and stores the tokens in the keychain.
    Login(LoginArgs),
    /// Print a valid access token, refreshing it when it expires within --min-ttl seconds.
    Token {
        name: String,
        #[arg(long, default_value_t = 30)]
        min_ttl: i64,
        #[arg(long)]
        json: bool,
    },
    /// List grants (metadata only, never a token).
    Grants {
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Refresh the client's current grant now.
    Refresh {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Revoke tokens at the server (RFC 7009) and forget them locally.
    Revoke {
        name: String,
        #[arg(long, value_parser = ["access", "refresh", "all"], default_value = "all")]
        token: String,
        #[arg(long)]
        json: bool,
    },
    /// Ask the server about the current access token (RFC 7662).
    Introspect {
        name: String,
        /// Introspect the refresh token instead.
        #[arg(long)]
        refresh_token: bool,
        #[arg(long)]
        json: bool,
    },
    /// Call the userinfo endpoint with the current access token.
    Userinfo {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Show the recorded HTTP exchanges of the client's recent flows (secrets redacted).
    Log {
        name: String,
        /// Render each request as a curl command.
        #[arg(long)]
        curl: bool,
        /// How many recent flows to show.
        #[arg(long, default_value_t = 1)]
        flows: i64,
        #[arg(long)]
        json: bool,
    },
    /// Events: grants issued, refreshed, revoked, failed.
    History {
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Check the client's current grant: signatures, ID token (OIDC Core §3.1.3.7), JWT access
    /// token (RFC 9068), introspection, requested vs granted scopes. Exit 4 if a check fails.
    Inspect {
        name: String,
        /// A specific grant id instead of the client's current grant.
        #[arg(long)]
        grant: Option<String>,
        /// Do not ask the introspection endpoint about an opaque access token.
        #[arg(long)]
        no_introspect: bool,
        #[arg(long)]
        json: bool,
    },
    /// Decode and verify any token (argument, or `-`/nothing for stdin). Keys: --jwks, else
    /// --issuer's JWKS, else --client's issuer, else the token's own `iss`. Exit 4 if a check fails.
    Decode {
        token: Option<String>,
        #[arg(long)]
        issuer: Option<String>,
        /// A file with a JWKS, a JWK or a PEM public key.
        #[arg(long)]
        jwks: Option<std::path::PathBuf>,
        /// A registered client: its client id is the expected audience, its secret the HMAC key.
        #[arg(long)]
        client: Option<String>,
        /// The nonce sent in the authorization request.
        #[arg(long)]
        nonce: Option<String>,
        /// Clock-skew tolerance in seconds (default: the setting, 60 s).
        #[arg(long)]
        skew: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Every grant of every client: granted scopes, expiry, refresh token, last use, revocation.
    /// No token or secret is ever included.
    Audit {
        #[arg(long)]
        client: Option<String>,
        /// Only grants granted this scope.
        #[arg(long)]
        scope: Option<String>,
        /// Only grants expiring within this time (e.g. 90s, 30m, 2h, 7d).
        #[arg(long, value_parser = parse_duration)]
        expiring: Option<i64>,
        /// Only grants that got more scopes than they asked for.
        #[arg(long)]
        over_privileged: bool,
        /// Leave revoked grants out.
        #[arg(long)]
        hide_revoked: bool,
        #[arg(long, group = "format")]
        json: bool,
        #[arg(long, group = "format")]
        csv: bool,
        #[arg(long, group = "format")]
        markdown: bool,
    },
    /// Trade a token for another (RFC 8693 token exchange), authenticating as client NAME; the
    /// issued token is stored as a new grant of NAME.
    Exchange {
        name: String,
        /// The subject: a client name (its current grant) or a grant id.
        #[arg(long, required_unless_present = "subject_token_stdin")]
        subject: Option<String>,
        /// Which of the subject grant's tokens.
        #[arg(long, default_value = "access", value_parser = ["access", "id", "refresh"])]
        subject_token: String,
        /// Read the subject token from stdin instead (with --subject-token-type).
        #[arg(long, conflicts_with = "subject")]
        subject_token_stdin: bool,
        /// The type URI of a token given on stdin (default: access token).
        #[arg(long)]
        subject_token_type: Option<String>,
        /// The actor (RFC 8693 §1.1 delegation): a client name or grant id; its access token.
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        requested_token_type: Option<String>,
        #[arg(long)]
        audience: Option<String>,
        #[arg(long)]
        resource: Option<String>,
        #[arg(long)]
        scope: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Mark the client's current grant for auto-refresh (done by the desktop app while it runs).
    AutoRefresh {
        name: String,
        #[arg(value_parser = ["on", "off"])]
        state: String,
        #[arg(long)]
        json: bool,
    },
    /// Provider presets: endpoints, defaults and the quirks OAuth Desk handles.
    Presets {
        #[arg(long)]
        json: bool,
    },
    /// End the session: RP-initiated logout at the server (system browser, id_token_hint, loopback
    /// post_logout_redirect_uri), then revoke the grant's tokens and forget them.
    Logout {
        name: String,
        /// A specific grant id instead of the client's current grant.
        #[arg(long)]
        grant: Option<String>,
        /// Skip the server logout: only revoke and forget.
        #[arg(long)]
        local: bool,
        /// Print the end-session URL instead of opening the browser.
        #[arg(long)]
        no_open: bool,
        #[arg(long)]
        json: bool,
    },
    /// Where the client's authorization server departs from the specs, from everything recorded.
    Report {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num
        .parse()
        .map_err(|_| format!("expected a duration like 90s, 30m, 2h or 7d, got {s:?}"))?;
    let mult = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("unknown unit {unit:?} in {s:?} (use s, m, h or d)")),
    };
    Ok(n * mult)
}

#[derive(Subcommand)]
pub enum ClientCommand {
    /// Register a client by issuer (discovery) or by explicit endpoints.
    Add(ClientAddArgs),
    List {
        #[arg(long)]
        json: bool,
    },
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a client with its grants and keychain items.
    Remove {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Write client settings as JSON (all clients, or the named ones). Never includes a secret.
    Export {
        names: Vec<String>,
        /// Write to this file instead of stdout.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Register clients from an OAuth Desk export or a Postman collection (v2.1).
    Import {
        file: std::path::PathBuf,
        /// A Postman environment file for the collection's {{variables}}.
        #[arg(long)]
        postman_env: Option<std::path::PathBuf>,
        /// Move client secrets found in a Postman file into the keychain (off by default).
        #[arg(long)]
        with_secrets: bool,
        #[arg(long)]
        json: bool,
    },
    /// Register a new client at the issuer (RFC 7591 dynamic registration) and store it.
    Register {
        name: String,
        #[arg(long)]
        issuer: String,
        #[arg(long)]
        scope: Option<String>,
        #[arg(long, value_enum, default_value = "none")]
        auth_method: AuthMethodArg,
        /// Grant types to register (repeatable; default authorization_code and refresh_token).
        #[arg(long)]
        grant_type: Vec<String>,
        #[arg(long)]
        id_token_alg: Option<String>,
        /// Read an initial access token (RFC 7591 §3) from stdin, for servers that require one.
        #[arg(long)]
        initial_access_token_stdin: bool,
        #[arg(long)]
        insecure: bool,
        #[arg(long)]
        json: bool,
    },
    /// Read, change or delete a dynamically registered client's registration (RFC 7592).
    Registration {
        name: String,
        /// Change the registered scope (and the client's default scopes).
        #[arg(long, conflicts_with = "delete")]
        set_scope: Option<String>,
        /// Delete the registration at the server, then the client here.
        #[arg(long)]
        delete: bool,
        #[arg(long)]
        json: bool,
    },
    /// Store a client's secret in the keychain, read from stdin (e.g. after an import).
    SetSecret {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct ClientAddArgs {
    pub name: String,
    #[arg(long)]
    pub client_id: String,
    /// Issuer URL: endpoints are discovered (OIDC Discovery, then RFC 8414).
    #[arg(long)]
    pub issuer: Option<String>,
    #[arg(long)]
    pub authorization_endpoint: Option<String>,
    #[arg(long)]
    pub token_endpoint: Option<String>,
    #[arg(long)]
    pub revocation_endpoint: Option<String>,
    #[arg(long)]
    pub introspection_endpoint: Option<String>,
    #[arg(long)]
    pub userinfo_endpoint: Option<String>,
    #[arg(long)]
    pub device_authorization_endpoint: Option<String>,
    /// Default scopes, space-separated.
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long, value_enum)]
    pub auth_method: Option<AuthMethodArg>,
    /// Read the client secret from stdin (it goes to the keychain). For private_key_jwt: a P-256
    /// private key in PEM (without it, a new key pair is made; `client show` prints its public JWK).
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// Loopback redirect URI; without a port an ephemeral one is used.
    #[arg(long)]
    pub redirect_uri: Option<String>,
    /// Extra authorization parameter (audience, resource, prompt, …); repeatable.
    #[arg(long, value_parser = parse_param)]
    pub param: Vec<(String, String)>,
    /// Do not send PKCE (on by default).
    #[arg(long)]
    pub no_pkce: bool,
    /// Allow plain http to non-loopback hosts.
    #[arg(long)]
    pub insecure: bool,
    /// The ID token signing algorithm registered for the client (id_token_signed_response_alg).
    #[arg(long)]
    pub id_token_alg: Option<String>,
    /// Push authorization requests to the server first (RFC 9126); automatic when it requires them.
    #[arg(long)]
    pub par: bool,
    /// Bind tokens to a key pair with DPoP (RFC 9449); the key is made on first use, in the keychain.
    #[arg(long)]
    pub dpop: bool,
    /// Start from a provider preset (`oauthdesk presets` lists them); given options win.
    #[arg(long)]
    pub preset: Option<String>,
    /// A preset's placeholder, e.g. tenant=common or domain=example.okta.com; repeatable.
    #[arg(long, value_parser = parse_param)]
    pub preset_var: Vec<(String, String)>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum AuthMethodArg {
    ClientSecretBasic,
    ClientSecretPost,
    /// An HS256 assertion signed with the client secret (RFC 7523).
    ClientSecretJwt,
    /// An ES256 assertion signed with the client's key: a PEM on stdin, or a new key pair.
    PrivateKeyJwt,
    None,
}

impl From<AuthMethodArg> for oauthdesk_core::protocol::client_auth::AuthMethod {
    fn from(a: AuthMethodArg) -> Self {
        match a {
            AuthMethodArg::ClientSecretBasic => Self::ClientSecretBasic,
            AuthMethodArg::ClientSecretPost => Self::ClientSecretPost,
            AuthMethodArg::ClientSecretJwt => Self::ClientSecretJwt,
            AuthMethodArg::PrivateKeyJwt => Self::PrivateKeyJwt,
            AuthMethodArg::None => Self::None,
        }
    }
}

#[derive(Args)]
pub struct LoginArgs {
    pub name: String,
    #[arg(long, default_value = "authorization_code", value_parser = ["authorization_code", "device_code", "client_credentials", "password", "implicit"])]
    pub grant: String,
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long, value_parser = parse_param)]
    pub param: Vec<(String, String)>,
    /// A resource indicator (RFC 8707): the API the access token is for; repeatable. Sent in the
    /// authorization and token requests, and again on refresh.
    #[arg(long)]
    pub resource: Vec<String>,
    #[arg(long, requires = "password_stdin")]
    pub username: Option<String>,
    #[arg(long, requires = "username")]
    pub password_stdin: bool,
    /// Print the URL instead of opening the browser.
    #[arg(long)]
    pub no_open: bool,
    #[arg(long)]
    pub json: bool,
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("expected KEY=VALUE, got {s:?}")),
    }
}
