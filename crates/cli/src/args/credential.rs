//! `oauthdesk git-credential …` (git's credential helper protocol) and `oauthdesk docker …`
//! (the registry hosts `docker-credential-oauthdesk` answers for).

use super::values::parse_text;
use clap::{Args, Subcommand};

#[derive(Args)]
pub struct GitCredentialArgs {
    /// The client whose current access token git gets as the password.
    #[arg(long, value_name = "NAME")]
    pub client: String,
    /// The username git sends with the token: default the one in the remote's URL, else
    /// `oauth2` (GitLab, Bitbucket); `x-access-token` for GitHub App tokens; Azure DevOps
    /// takes any.
    #[arg(long, value_parser = parse_text)]
    pub username: Option<String>,
    /// When the grant needs a login, open the browser and log in (git waits) instead of failing.
    #[arg(long)]
    pub login_if_needed: bool,
    /// Refresh the token when it expires within this many seconds.
    #[arg(long, default_value_t = 60)]
    pub min_ttl: i64,
    /// git's operation: `get`, `store` or `erase` (others are ignored, as git asks).
    pub operation: String,
}

#[derive(Subcommand)]
pub enum DockerCommand {
    /// Map a registry host to a client: `docker-credential-oauthdesk` hands docker that
    /// client's token for it. HOST is host[:port] as docker names it (a scheme and a path are
    /// dropped; docker.io, index.docker.io and registry-1.docker.io are one host).
    Map {
        #[arg(value_parser = parse_text)]
        host: String,
        name: String,
        /// The username docker sends with the token (default `oauth2accesstoken`, which
        /// Google's registries require; others ignore it or want their own).
        #[arg(long, value_parser = parse_text)]
        username: Option<String>,
    },
    /// Remove a registry host's mapping.
    Unmap {
        #[arg(value_parser = parse_text)]
        host: String,
    },
    /// List the mapped registry hosts.
    Maps {
        #[arg(long)]
        json: bool,
    },
}
