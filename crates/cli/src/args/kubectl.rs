//! `oauthdesk kubectl`: the kubectl exec credential plugin (client-go's `ExecCredential`).

use clap::{Args, ValueEnum};

/// `--min-ttl` unless given: the other handoffs' default.
pub const KUBECTL_MIN_TTL: i64 = 30;

#[derive(Args)]
#[command(
    after_help = "Set up (paste the block under your kubeconfig's users[].user):
  oauthdesk kubectl NAME --kubeconfig-snippet

kubectl then runs `oauthdesk kubectl NAME` for every request that needs a credential and reads an
ExecCredential from its stdout: the access token of NAME's current grant, refreshed when it expires
within --min-ttl seconds, with its expiry as status.expirationTimestamp. The apiVersion answered
is the one kubectl asks for in KUBERNETES_EXEC_INFO (client.authentication.k8s.io/v1 or v1beta1;
v1beta1 when the variable is absent).

When the grant needs a new login: kubectl running interactively (or --login-if-needed) opens the
browser login and continues; otherwise the command exits 3 and says on stderr, which kubectl
shows, exactly what to run."
)]
pub struct KubectlArgs {
    /// The client whose current grant's access token kubectl gets.
    pub name: String,
    /// Log in (system browser) when the grant needs it, even when kubectl runs non-interactively.
    #[arg(long)]
    pub login_if_needed: bool,
    /// Refresh the token when it expires within this many seconds.
    #[arg(long, default_value_t = KUBECTL_MIN_TTL, value_parser = clap::value_parser!(i64).range(0..=86_400))]
    pub min_ttl: i64,
    /// Print the kubeconfig `users[].user.exec` block that runs this plugin, instead of a credential.
    #[arg(long)]
    pub kubeconfig_snippet: bool,
    /// With --kubeconfig-snippet: the exec apiVersion to write (v1 needs kubectl 1.22 or later).
    #[arg(long, value_enum, default_value_t = ExecApiVersion::V1beta1, requires = "kubeconfig_snippet")]
    pub api_version: ExecApiVersion,
}

/// The `client.authentication.k8s.io` versions of the exec credential protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExecApiVersion {
    V1,
    V1beta1,
}

impl ExecApiVersion {
    pub fn api_version(self) -> &'static str {
        match self {
            ExecApiVersion::V1 => "client.authentication.k8s.io/v1",
            ExecApiVersion::V1beta1 => "client.authentication.k8s.io/v1beta1",
        }
    }
}
