//! The command-line contract. Other tools script these names: keep them stable.

mod call;
pub mod ciba;
mod client;
pub mod client_cert;
mod credential;
mod env;
mod handoff;
pub mod jar;
mod kubectl;
mod report;
mod resource;
mod settings;
mod shell;
mod values;

pub use call::CallArgs;
pub use client::{ClientAddArgs, ClientCommand, ImportArgs, RegisterArgs, RegistrationArgs};
pub use credential::{DockerCommand, GitCredentialArgs};
pub use env::EnvCommand;
pub use handoff::{CurlArgs, ExecArgs, HeaderArgs};
pub use kubectl::{ExecApiVersion, KUBECTL_MIN_TTL, KubectlArgs};
pub use report::ReportProfile;
pub use resource::{McpArgs, ResourceArgs};
pub use settings::SettingsArgs;
pub use shell::{CompletionsArgs, ManArgs};

use clap::builder::StyledStr;
use clap::error::ContextValue;
use clap::{Args, Parser, Subcommand};
use oauthdesk_core::protocol::text::{escape_controls, has_controls};
use values::{parse_duration, parse_param, parse_scope, parse_text};

/// The command line, or clap's message (usage, help, a refused value) and its exit code.
pub fn parse() -> Cli {
    let mut cli = Cli::try_parse().unwrap_or_else(|e| shown_safely(e).exit());
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    handoff::split_exec_env(&mut cli, &argv).unwrap_or_else(|e| shown_safely(e).exit());
    cli
}

/// clap's error with the text it quotes back (a refused value, an unknown argument) made safe
/// to show: it is what was typed or pasted, control characters and all. An error that quotes
/// nothing unsafe is left as it is, colours included; one that does loses the colours of its
/// tips, which are rebuilt from plain text.
fn shown_safely(mut e: clap::Error) -> clap::Error {
    let tainted = e.context().any(|(_, value)| match value {
        ContextValue::String(s) => has_controls(s),
        ContextValue::Strings(v) => v.iter().any(|s| has_controls(s)),
        _ => false,
    });
    if !tainted {
        return e;
    }
    let safe = |s: &str| escape_controls(s, false);
    let styled = |s: &StyledStr| StyledStr::from(safe(&s.to_string()));
    let quoted: Vec<_> = e
        .context()
        .filter_map(|(kind, value)| {
            let value = match value {
                ContextValue::String(s) => ContextValue::String(safe(s)),
                ContextValue::Strings(v) => {
                    ContextValue::Strings(v.iter().map(|s| safe(s)).collect())
                }
                ContextValue::StyledStr(s) => ContextValue::StyledStr(styled(s)),
                ContextValue::StyledStrs(v) => {
                    ContextValue::StyledStrs(v.iter().map(styled).collect())
                }
                _ => return None,
            };
            Some((kind, value))
        })
        .collect();
    for (kind, value) in quoted {
        e.insert(kind, value);
    }
    e
}

#[derive(Parser)]
#[command(
    name = "oauthdesk",
    version,
    about = "OAuth 2.0 / OpenID Connect workbench: clients, grants and tokens, with every secret in the OS keychain."
)]
pub struct Cli {
    /// Use this environment's `{{variables}}` for this one command instead of the active one.
    #[arg(long, global = true, value_name = "NAME")]
    pub env: Option<String>,
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
    /// Probe a protected resource without a token: its WWW-Authenticate challenges (RFC 6750,
    /// RFC 9449, RFC 9470), its protected resource metadata (RFC 9728) and its authorization
    /// servers (RFC 8414, OIDC Discovery), with every departure from the specs.
    Resource(ResourceArgs),
    /// Run the MCP authorization flow against an MCP server: initialize → 401 → metadata →
    /// client → PKCE login with the resource → initialize, tools/list; and a conformance report.
    Mcp(McpArgs),
    /// Obtain a grant: opens the system browser (or prints the URL) and stores the tokens in the keychain.
    Login(LoginArgs),
    /// Call an API with the client's current access token (Bearer, or DPoP with a proof), refreshed
    /// when needed; a refusal is explained, and --step-up logs in again for what the API wants.
    Call(CallArgs),
    /// Print a valid access token, refreshing it when it expires within --min-ttl seconds.
    Token {
        name: String,
        #[arg(long, default_value_t = 30)]
        min_ttl: i64,
        #[arg(long)]
        json: bool,
        /// When the grant needs a new login, log in (browser) and go on even when stdin is not
        /// a terminal.
        #[arg(long)]
        login_if_needed: bool,
    },
    /// Print the Authorization header (and a DPoP proof for --method/--url when the token is
    /// DPoP-bound); --json for an AI agent's headers helper.
    Header(HeaderArgs),
    /// Run a command with a fresh access token in its environment ($OAUTHDESK_TOKEN, or --env
    /// VAR, --env-header VAR); its exit code and signals pass through.
    Exec(ExecArgs),
    /// Run the system curl with the Authorization header (and a DPoP proof) given on a pipe.
    Curl(CurlArgs),
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
    Log(LogArgs),
    /// Events: grants issued, refreshed, revoked, failed.
    History {
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Check the client's current grant: signatures, ID token (OIDC Core §3.1.3.7), JWT access
    /// token (RFC 9068), introspection, requested vs granted scopes. Exit 4 if a check fails.
    Inspect(InspectArgs),
    /// Decode and verify any token (argument, or `-`/nothing for stdin). Keys: --jwks, else
    /// --issuer's JWKS, else --client's issuer, else the token's own `iss`. Exit 4 if a check fails.
    Decode(DecodeArgs),
    /// Every grant of every client: granted scopes, expiry, refresh token, last use, revocation.
    /// No token or secret is ever included.
    Audit(AuditArgs),
    /// Trade a token for another (RFC 8693 token exchange), authenticating as client NAME; the
    /// issued token is stored as a new grant of NAME.
    Exchange(ExchangeArgs),
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
    Logout(LogoutArgs),
    /// Environments (dev / staging / prod) and their `{{variables}}`, used in client endpoints,
    /// parameters and API requests; one is active for the app and the CLI alike.
    Env {
        #[command(subcommand)]
        command: EnvCommand,
    },
    /// Show the settings, or change the network ones: proxy, extra trusted CA certificates,
    /// request timeout (used by every request, here and in the desktop app).
    Settings(SettingsArgs),
    /// Where the client's authorization server departs from the specs, from everything recorded.
    Report {
        name: String,
        #[arg(long)]
        json: bool,
        /// Check against a security profile instead: `fapi2` (the FAPI 2.0 Security Profile).
        #[arg(long, value_enum)]
        profile: Option<ReportProfile>,
    },
    /// kubectl exec credential plugin: prints an ExecCredential (client.authentication.k8s.io
    /// v1 or v1beta1) with the client's fresh access token; --kubeconfig-snippet prints the
    /// kubeconfig block that runs it.
    Kubectl(KubectlArgs),
    /// git credential helper: `get` answers the client's fresh access token as the password
    /// (`git config credential.https://HOST.helper '!oauthdesk git-credential --client NAME'`).
    GitCredential(GitCredentialArgs),
    /// Registry hosts the docker credential helper (`docker-credential-oauthdesk`) answers for.
    Docker {
        #[command(subcommand)]
        command: DockerCommand,
    },
    /// Print the shell completion script for bash, zsh, fish or PowerShell.
    Completions(CompletionsArgs),
    /// Write the man pages (run by the bundle step).
    #[command(hide = true)]
    Man(ManArgs),
}

// The argument structs below carry no doc comment on purpose: a subcommand's help is its
// `Command` variant's doc comment, and a struct's own doc comment would compete with it.

#[derive(Args)]
pub struct LoginArgs {
    pub name: String,
    #[arg(long, default_value = "authorization_code", value_parser = ["authorization_code", "device_code", "client_credentials", "password", "implicit", "ciba", "jwt_bearer"])]
    pub grant: String,
    #[arg(long, value_parser = parse_scope)]
    pub scope: Option<String>,
    #[arg(long, value_parser = parse_param)]
    pub param: Vec<(String, String)>,
    /// A resource indicator (RFC 8707): the API the access token is for; repeatable. Sent in the
    /// authorization and token requests, and again on refresh.
    #[arg(long, value_parser = parse_text)]
    pub resource: Vec<String>,
    #[arg(long, requires = "password_stdin", value_parser = parse_text)]
    pub username: Option<String>,
    #[arg(long, requires = "username")]
    pub password_stdin: bool,
    /// Print the URL instead of opening the browser.
    #[arg(long)]
    pub no_open: bool,
    /// Rich authorization request (RFC 9396): a JSON array of objects with a `type`, or @FILE;
    /// instead of the client's default.
    #[arg(long, value_name = "JSON|@FILE")]
    pub authorization_details: Option<String>,
    /// Response mode for this login, over the client's (JARM: jwt, query.jwt, fragment.jwt,
    /// form_post.jwt; or query, fragment, form_post).
    #[arg(long, value_parser = jar::parse_response_mode)]
    pub response_mode: Option<String>,
    #[command(flatten)]
    pub high_assurance: ciba::HighAssuranceLoginArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct LogArgs {
    pub name: String,
    /// Render each request as a curl command.
    #[arg(long)]
    pub curl: bool,
    /// How many recent flows to show.
    #[arg(long, default_value_t = 1)]
    pub flows: i64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct InspectArgs {
    pub name: String,
    /// A specific grant id instead of the client's current grant.
    #[arg(long)]
    pub grant: Option<String>,
    /// Do not ask the introspection endpoint about an opaque access token.
    #[arg(long)]
    pub no_introspect: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct DecodeArgs {
    pub token: Option<String>,
    #[arg(long, value_parser = parse_text)]
    pub issuer: Option<String>,
    /// A file with a JWKS, a JWK or a PEM public key.
    #[arg(long)]
    pub jwks: Option<std::path::PathBuf>,
    /// A registered client: its client id is the expected audience, its secret the HMAC key.
    #[arg(long)]
    pub client: Option<String>,
    /// The nonce sent in the authorization request.
    #[arg(long)]
    pub nonce: Option<String>,
    /// Clock-skew tolerance in seconds (default: the setting, 60 s).
    #[arg(long)]
    pub skew: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct AuditArgs {
    #[arg(long)]
    pub client: Option<String>,
    /// Only grants granted this scope.
    #[arg(long, value_parser = parse_scope)]
    pub scope: Option<String>,
    /// Only grants expiring within this time (e.g. 90s, 30m, 2h, 7d).
    #[arg(long, value_parser = parse_duration)]
    pub expiring: Option<i64>,
    /// Only grants that got more scopes (or authorization_details) than they asked for.
    #[arg(long)]
    pub over_privileged: bool,
    /// Only grants holding this authorization_details type (RFC 9396).
    #[arg(long, value_parser = parse_text)]
    pub authorization_details_type: Option<String>,
    /// Leave revoked grants out.
    #[arg(long)]
    pub hide_revoked: bool,
    #[arg(long, group = "format")]
    pub json: bool,
    #[arg(long, group = "format")]
    pub csv: bool,
    #[arg(long, group = "format")]
    pub markdown: bool,
}

#[derive(Args)]
pub struct ExchangeArgs {
    pub name: String,
    /// The subject: a client name (its current grant) or a grant id.
    #[arg(long, required_unless_present = "subject_token_stdin")]
    pub subject: Option<String>,
    /// Which of the subject grant's tokens.
    #[arg(long, default_value = "access", value_parser = ["access", "id", "refresh"])]
    pub subject_token: String,
    /// Read the subject token from stdin instead (with --subject-token-type).
    #[arg(long, conflicts_with = "subject")]
    pub subject_token_stdin: bool,
    /// The type URI of a token given on stdin (default: access token).
    #[arg(long, value_parser = parse_text)]
    pub subject_token_type: Option<String>,
    /// The actor (RFC 8693 §1.1 delegation): a client name or grant id; its access token.
    #[arg(long)]
    pub actor: Option<String>,
    #[arg(long, value_parser = parse_text)]
    pub requested_token_type: Option<String>,
    #[arg(long, value_parser = parse_text)]
    pub audience: Option<String>,
    #[arg(long, value_parser = parse_text)]
    pub resource: Option<String>,
    #[arg(long, value_parser = parse_scope)]
    pub scope: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct LogoutArgs {
    pub name: String,
    /// A specific grant id instead of the client's current grant.
    #[arg(long)]
    pub grant: Option<String>,
    /// Skip the server logout: only revoke and forget.
    #[arg(long)]
    pub local: bool,
    /// Print the end-session URL instead of opening the browser.
    #[arg(long)]
    pub no_open: bool,
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::{Cli, shown_safely};
    use clap::Parser;

    #[test]
    fn refused_values_are_quoted_back_escaped() {
        let e = Cli::try_parse_from([
            "oauthdesk",
            "login",
            "demo",
            "--scope",
            "openid\u{1b}]0;pwned\u{7}",
        ])
        .err()
        .expect("a scope with ESC is refused");
        let shown = shown_safely(e).render().ansi().to_string();
        assert!(
            !shown.contains('\u{7}') && !shown.contains("\u{1b}]0;pwned"),
            "clap's quote of the refused value cannot retitle the terminal: {shown:?}"
        );
        assert!(
            shown.contains("the scope contains a control character (U+001B)"),
            "the refusal says why, in words: {shown:?}"
        );
        let e = Cli::try_parse_from(["oauthdesk", "grants", "--x\u{1b}]0;pwned\u{7}"])
            .err()
            .expect("an unknown option is refused");
        let shown = shown_safely(e).render().ansi().to_string();
        assert!(
            !shown.contains('\u{7}') && !shown.contains("\u{1b}]0;pwned"),
            "an unknown argument is quoted back escaped too: {shown:?}"
        );
    }
}
