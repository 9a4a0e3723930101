//! `--jar` and `--response-mode` (RFC 9101 signed request objects, JARM response modes) and
//! `oauthdesk client edit`, which changes them on an existing client.

use super::values::parse_client_name;
use clap::{Args, ValueEnum};
use oauthdesk_core::protocol::jar::JarMode;
use oauthdesk_core::protocol::jarm;

/// How authorization requests are signed (RFC 9101).
#[derive(Clone, Copy, ValueEnum)]
pub enum JarArg {
    /// Plain parameters (signed anyway when the server requires it).
    Off,
    /// The request object in the authorization URL's `request` parameter.
    Value,
    /// The request object pushed to the PAR endpoint (RFC 9126 §3).
    Par,
}

impl From<JarArg> for JarMode {
    fn from(a: JarArg) -> Self {
        match a {
            JarArg::Off => JarMode::Off,
            JarArg::Value => JarMode::Value,
            JarArg::Par => JarMode::Par,
        }
    }
}

/// A response mode the loopback listener receives (`default` for the response type's own).
pub fn parse_response_mode(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s == "default" || jarm::MODES.contains(&s) {
        Ok(s.to_owned())
    } else {
        Err(format!("use default or one of {}", jarm::MODES.join(", ")))
    }
}

/// `default` means no response_mode parameter.
pub fn response_mode_setting(arg: Option<String>) -> Option<Option<String>> {
    arg.map(|m| (m != "default").then_some(m))
}

#[derive(Args)]
pub struct ClientEditArgs {
    #[arg(value_parser = parse_client_name)]
    pub name: String,
    /// Sign authorization requests (RFC 9101): off, value (`request`) or par (pushed).
    #[arg(long, value_enum)]
    pub jar: Option<JarArg>,
    /// Response mode to ask for: default, query, fragment, form_post, or a JWT mode (JARM):
    /// jwt, query.jwt, fragment.jwt, form_post.jwt.
    #[arg(long, value_parser = parse_response_mode)]
    pub response_mode: Option<String>,
    #[arg(long)]
    pub json: bool,
}
