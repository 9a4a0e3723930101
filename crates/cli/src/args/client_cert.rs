//! `oauthdesk client cert import|show|remove`: a client's TLS certificate (RFC 8705).

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Args)]
pub struct ClientCertArgs {
    #[command(subcommand)]
    pub command: ClientCertCommand,
}

#[derive(Subcommand)]
pub enum ClientCertCommand {
    /// Import the client's TLS certificate and key (PEM: --cert and --key, or both in --pem;
    /// or a PKCS#12 file with its password on stdin). The key goes to the keychain only.
    Import(CertImportArgs),
    /// The client's certificate: subject, thumbprint (x5t#S256), validity.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove the client's certificate and its key from the keychain.
    Remove {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct CertImportArgs {
    pub name: String,
    #[arg(long, value_name = "PEM", requires = "key", conflicts_with_all = ["pem", "pkcs12"])]
    pub cert: Option<PathBuf>,
    #[arg(long, value_name = "PEM", requires = "cert")]
    pub key: Option<PathBuf>,
    /// One PEM file holding the certificate (chain) and the key.
    #[arg(long, value_name = "PEM", conflicts_with = "pkcs12")]
    pub pem: Option<PathBuf>,
    #[arg(long, value_name = "P12", required_unless_present_any = ["cert", "pem"])]
    pub pkcs12: Option<PathBuf>,
    /// Read the PKCS#12 password from stdin (else the password is empty).
    #[arg(long, requires = "pkcs12")]
    pub password_stdin: bool,
    #[arg(long)]
    pub json: bool,
}
