//! The arguments of CIBA and the JWT bearer grant: `login --grant ciba|jwt_bearer …` and
//! `oauthdesk client ciba NAME …` (the client's delivery mode and notification endpoint).

use super::values::parse_text;
use clap::Args;

/// `login` options of the CIBA and JWT bearer grants (flattened into `LoginArgs`).
#[derive(Args, Default)]
pub struct HighAssuranceLoginArgs {
    /// CIBA: who is asked to approve on their authentication device (login_hint, CIBA §7.1).
    #[arg(long, value_parser = parse_text)]
    pub login_hint: Option<String>,
    /// CIBA: a short message shown on both devices, so the user can tell the request is theirs.
    #[arg(long, value_parser = parse_text)]
    pub binding_message: Option<String>,
    /// CIBA: the user code, when the server asks for one (CIBA §7.1).
    #[arg(long, value_parser = parse_text)]
    pub user_code: Option<String>,
    /// CIBA delivery mode for this login (default: the client's, else poll).
    #[arg(long, value_parser = ["poll", "ping"])]
    pub ciba_mode: Option<String>,
    /// CIBA: seconds the request may live (requested_expiry).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub requested_expiry: Option<u64>,
    /// JWT bearer (RFC 7523 §2.1): read the assertion from stdin (it is sent, never stored).
    #[arg(long, conflicts_with = "assertion_claims")]
    pub assertion_stdin: bool,
    /// JWT bearer: sign an assertion with the client's key (ES256) or secret (HS256), with these
    /// claims (a JSON object) added to iss, sub, aud, exp, iat and jti.
    #[arg(long, value_name = "JSON")]
    pub assertion_claims: Option<String>,
}

#[derive(Args)]
pub struct ClientCibaArgs {
    pub name: String,
    /// poll: the client asks the token endpoint; ping: the server notifies the endpoint first.
    #[arg(long, value_parser = ["poll", "ping"])]
    pub mode: Option<String>,
    /// The backchannel_client_notification_endpoint registered at the server: a loopback URL
    /// with a fixed port, e.g. https://127.0.0.1:8443/ciba ("" removes it).
    #[arg(long, value_parser = parse_text, value_name = "URL")]
    pub notification_endpoint: Option<String>,
    /// The https endpoint's certificate chain (PEM, public).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert_file: Option<std::path::PathBuf>,
    /// The certificate's private key (PEM): read once into the keychain.
    #[arg(
        long = "tls-key-file",
        id = "tls_key",
        value_name = "PEM",
        requires = "tls_cert_file"
    )]
    pub tls_key_file: Option<std::path::PathBuf>,
    /// Remove the endpoint's certificate and key.
    #[arg(long, conflicts_with = "tls_cert_file")]
    pub no_tls: bool,
    #[arg(long)]
    pub json: bool,
}
