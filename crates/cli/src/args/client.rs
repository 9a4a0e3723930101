//! `oauthdesk client …`: the client subcommands and their arguments.

use super::values::{parse_client_name, parse_param, parse_scope, parse_text};
use clap::{Args, Subcommand, ValueEnum};

#[derive(Subcommand)]
pub enum ClientCommand {
    /// Register a client by issuer (discovery) or by explicit endpoints.
    Add(Box<ClientAddArgs>),
    /// Change a client's request signing (JAR) and response mode (JARM).
    Edit(super::jar::ClientEditArgs),
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
    Import(ImportArgs),
    /// Register a new client at the issuer (RFC 7591 dynamic registration) and store it.
    Register(RegisterArgs),
    /// Read, change or delete a dynamically registered client's registration (RFC 7592).
    Registration(RegistrationArgs),
    /// Set (--ca-file PEM) or remove (--no-ca) the client's extra trusted CA certificates.
    SetCa {
        name: String,
        #[arg(long, value_name = "PEM", required_unless_present = "no_ca")]
        ca_file: Option<std::path::PathBuf>,
        #[arg(long, conflicts_with = "ca_file")]
        no_ca: bool,
        #[arg(long)]
        json: bool,
    },
    /// A client's TLS certificate for mutual TLS (RFC 8705): import, show, remove.
    Cert(super::client_cert::ClientCertArgs),
    /// A client's CIBA delivery mode (poll, ping) and ping-mode notification endpoint.
    Ciba(super::ciba::ClientCibaArgs),
    /// Set a client's default authorization_details (RFC 9396): JSON or @FILE; --none removes it.
    SetAuthorizationDetails {
        name: String,
        #[arg(value_name = "JSON|@FILE", required_unless_present = "none")]
        details: Option<String>,
        #[arg(long, conflicts_with = "details")]
        none: bool,
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

// No doc comments on the argument structs: their variant's doc comment is the help (see
// `super::LoginArgs`).

#[derive(Args)]
pub struct ClientAddArgs {
    #[arg(value_parser = parse_client_name)]
    pub name: String,
    #[arg(long, value_parser = parse_text, required_unless_present_any = ["resource_url"])]
    pub client_id: Option<String>,
    /// Start from a protected resource (an API or MCP server URL): the issuer, the resource
    /// indicator (RFC 8707) and the scopes come from its challenge and metadata (RFC 9728).
    /// With --client-id, --register or --client-id-metadata-url.
    #[arg(long, value_parser = parse_text, value_name = "URL")]
    pub resource_url: Option<String>,
    /// With --resource-url: register a client dynamically (RFC 7591), native, with an exact
    /// loopback redirect URI whose port is fixed now and used for every later login.
    #[arg(long, requires = "resource_url", conflicts_with_all = ["client_id", "client_id_metadata_url"])]
    pub register: bool,
    /// With --resource-url: the client ID is this HTTPS URL of a Client ID Metadata Document.
    #[arg(long, value_parser = parse_text, value_name = "URL", requires = "resource_url", conflicts_with = "client_id")]
    pub client_id_metadata_url: Option<String>,
    /// With --resource-url: knock with an MCP initialize request instead of a GET.
    #[arg(long, requires = "resource_url")]
    pub mcp: bool,
    /// Issuer URL: endpoints are discovered (OIDC Discovery, then RFC 8414).
    #[arg(long, value_parser = parse_text)]
    pub issuer: Option<String>,
    #[arg(long, value_parser = parse_text)]
    pub authorization_endpoint: Option<String>,
    #[arg(long, value_parser = parse_text)]
    pub token_endpoint: Option<String>,
    #[arg(long, value_parser = parse_text)]
    pub revocation_endpoint: Option<String>,
    #[arg(long, value_parser = parse_text)]
    pub introspection_endpoint: Option<String>,
    #[arg(long, value_parser = parse_text)]
    pub userinfo_endpoint: Option<String>,
    #[arg(long, value_parser = parse_text)]
    pub device_authorization_endpoint: Option<String>,
    /// Default scopes, space-separated.
    #[arg(long, value_parser = parse_scope)]
    pub scope: Option<String>,
    #[arg(long, value_enum)]
    pub auth_method: Option<AuthMethodArg>,
    /// Read the client secret from stdin (it goes to the keychain). For private_key_jwt: a P-256
    /// private key in PEM (without it, a new key pair is made; `client show` prints its public JWK).
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// Loopback redirect URI; without a port an ephemeral one is used.
    #[arg(long, value_parser = parse_text)]
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
    #[arg(long, value_parser = parse_text)]
    pub id_token_alg: Option<String>,
    /// Push authorization requests to the server first (RFC 9126); automatic when it requires them.
    #[arg(long)]
    pub par: bool,
    /// Sign authorization requests (RFC 9101): off, value (`request`) or par (pushed).
    #[arg(long, value_enum)]
    pub jar: Option<super::jar::JarArg>,
    /// Response mode to ask for: query, fragment, form_post, or a JWT mode (JARM): jwt,
    /// query.jwt, fragment.jwt, form_post.jwt.
    #[arg(long, value_parser = super::jar::parse_response_mode)]
    pub response_mode: Option<String>,
    /// Bind tokens to a key pair with DPoP (RFC 9449); the key is made on first use, in the keychain.
    #[arg(long)]
    pub dpop: bool,
    /// Extra trusted CA certificates (PEM file) for this client's requests, added to the global ones.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<std::path::PathBuf>,
    /// Default rich authorization request (RFC 9396) for every login: JSON or @FILE.
    #[arg(long, value_name = "JSON|@FILE")]
    pub authorization_details: Option<String>,
    /// Start from a provider preset (`oauthdesk presets` lists them); given options win.
    #[arg(long)]
    pub preset: Option<String>,
    /// A preset's placeholder, e.g. tenant=common or domain=example.okta.com; repeatable.
    #[arg(long, value_parser = parse_param)]
    pub preset_var: Vec<(String, String)>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    pub file: std::path::PathBuf,
    /// A Postman environment file for the collection's {{variables}}.
    #[arg(long)]
    pub postman_env: Option<std::path::PathBuf>,
    /// Move client secrets found in a Postman file into the keychain (off by default).
    #[arg(long)]
    pub with_secrets: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct RegisterArgs {
    #[arg(value_parser = parse_client_name)]
    pub name: String,
    #[arg(long, value_parser = parse_text)]
    pub issuer: String,
    #[arg(long, value_parser = parse_scope)]
    pub scope: Option<String>,
    #[arg(long, value_enum, default_value = "none")]
    pub auth_method: AuthMethodArg,
    /// Grant types to register (repeatable; default authorization_code and refresh_token).
    #[arg(long, value_parser = parse_text)]
    pub grant_type: Vec<String>,
    #[arg(long, value_parser = parse_text)]
    pub id_token_alg: Option<String>,
    /// Read an initial access token (RFC 7591 §3) from stdin, for servers that require one.
    #[arg(long)]
    pub initial_access_token_stdin: bool,
    /// The exact redirect URI to register and use for every login, e.g.
    /// http://127.0.0.1:8765/callback (for servers that compare redirect URIs as exact strings;
    /// default: http://127.0.0.1/callback on any port, RFC 8252 §7.3).
    #[arg(long, value_parser = parse_text)]
    pub redirect_uri: Option<String>,
    #[arg(long)]
    pub insecure: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct RegistrationArgs {
    pub name: String,
    /// Change the registered scope (and the client's default scopes).
    #[arg(long, conflicts_with = "delete", value_parser = parse_scope)]
    pub set_scope: Option<String>,
    /// Delete the registration at the server, then the client here.
    #[arg(long)]
    pub delete: bool,
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
    /// Mutual TLS with a CA-issued certificate (RFC 8705 §2.1): `client cert import` it.
    TlsClientAuth,
    /// Mutual TLS with a self-signed certificate registered in the client's JWKS (RFC 8705 §2.2).
    SelfSignedTlsClientAuth,
    None,
}

impl From<AuthMethodArg> for oauthdesk_core::protocol::client_auth::AuthMethod {
    fn from(a: AuthMethodArg) -> Self {
        match a {
            AuthMethodArg::ClientSecretBasic => Self::ClientSecretBasic,
            AuthMethodArg::ClientSecretPost => Self::ClientSecretPost,
            AuthMethodArg::ClientSecretJwt => Self::ClientSecretJwt,
            AuthMethodArg::PrivateKeyJwt => Self::PrivateKeyJwt,
            AuthMethodArg::TlsClientAuth => Self::TlsClientAuth,
            AuthMethodArg::SelfSignedTlsClientAuth => Self::SelfSignedTlsClientAuth,
            AuthMethodArg::None => Self::None,
        }
    }
}
