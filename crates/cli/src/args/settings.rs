//! `oauthdesk settings`: show the app's settings, or change the network ones.

use super::values::parse_text;
use clap::Args;

#[derive(Args)]
pub struct SettingsArgs {
    /// `system` (HTTPS_PROXY/HTTP_PROXY/ALL_PROXY/NO_PROXY from the environment; on macOS and
    /// Windows the OS's proxy settings too), `none` (direct), or a proxy URL (http, https,
    /// socks5, socks5h) for every request.
    #[arg(long, value_parser = parse_text, value_name = "none|system|URL")]
    pub proxy: Option<String>,
    /// Hosts the explicit proxy is not used for, comma-separated as NO_PROXY.
    #[arg(long, value_parser = parse_text, value_name = "HOSTS")]
    pub no_proxy: Option<String>,
    /// Read the explicit proxy's password from stdin (it goes to the keychain). A password in
    /// the --proxy URL is refused: other processes can read command lines.
    #[arg(long)]
    pub proxy_password_stdin: bool,
    /// Forget the explicit proxy's password (deletes it from the keychain).
    #[arg(long, conflicts_with = "proxy_password_stdin")]
    pub forget_proxy_password: bool,
    /// Extra trusted CA certificates (a PEM file with one or more), for every request.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<std::path::PathBuf>,
    /// Remove the extra trusted CA certificates.
    #[arg(long, conflicts_with = "ca_file")]
    pub no_ca: bool,
    /// Request timeout in seconds (1–600).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u32>,
    /// Go back to the default request timeout (30 s).
    #[arg(long, conflicts_with = "timeout")]
    pub default_timeout: bool,
    #[arg(long)]
    pub json: bool,
}
