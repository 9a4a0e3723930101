//! `oauthdesk settings`: prints the settings; with network options, changes them first. The
//! GUI's Settings → Network edits the same row, so both see one configuration.

use super::read_stdin_secret;
use crate::args::SettingsArgs;
use crate::output::{self, outln};
use oauthdesk_core::desk::{NetworkSettings, ProxyMode, Settings};
use oauthdesk_core::protocol::network::{parse_pem_bundle, parse_proxy_url};
use oauthdesk_core::protocol::{Password, ProtocolError};
use oauthdesk_core::{CoreError, Desk};

pub async fn settings(desk: &Desk, a: SettingsArgs) -> Result<u8, CoreError> {
    let mut s = desk.settings().await?;
    let changes = a.proxy.is_some()
        || a.no_proxy.is_some()
        || a.proxy_password_stdin
        || a.forget_proxy_password
        || a.ca_file.is_some()
        || a.no_ca
        || a.timeout.is_some()
        || a.default_timeout;
    if changes {
        apply(&mut s.network, &a)?;
        s = desk.set_settings(s).await?;
    }
    if a.json {
        output::json(&s);
    } else {
        show(&s);
    }
    Ok(0)
}

fn apply(net: &mut NetworkSettings, a: &SettingsArgs) -> Result<(), CoreError> {
    match a.proxy.as_deref().map(str::trim) {
        Some("system") => net.proxy = ProxyMode::System,
        Some("none") => net.proxy = ProxyMode::None,
        Some(url) => {
            let parsed = parse_proxy_url(url)?;
            if parsed.password().is_some() {
                return Err(CoreError::InvalidInput(
                    "the --proxy URL holds a password, which other processes can read on the command line; give the URL without it and the password with --proxy-password-stdin".into(),
                ));
            }
            net.proxy = ProxyMode::Explicit;
            net.proxy_url = Some(url.to_owned());
        }
        None => {}
    }
    if let Some(hosts) = &a.no_proxy {
        net.no_proxy = hosts.clone();
    }
    if a.forget_proxy_password {
        net.proxy_password_stored = false;
    }
    if a.proxy_password_stdin {
        if net.proxy != ProxyMode::Explicit {
            return Err(CoreError::InvalidInput(
                "a proxy password needs an explicit proxy: give --proxy URL too".into(),
            ));
        }
        let password: Password = read_stdin_secret("proxy password")?;
        let mut url = net
            .proxy_url
            .as_deref()
            .map(parse_proxy_url)
            .transpose()?
            .ok_or_else(|| CoreError::InvalidInput("the explicit proxy has no URL".into()))?;
        if url.username().is_empty() {
            return Err(CoreError::InvalidInput(
                "the proxy URL names no user (http://user@proxy:3128); a password needs one".into(),
            ));
        }
        url.set_password(Some(password.expose())).map_err(|()| {
            ProtocolError::ProxyUrl("this proxy URL cannot carry a password".into())
        })?;
        // Handed to the engine, which moves the password to the keychain before anything is saved.
        net.proxy_url = Some(url.to_string());
    }
    if let Some(path) = &a.ca_file {
        net.ca_pem = Some(read_pem(path)?);
    }
    if a.no_ca {
        net.ca_pem = None;
    }
    if let Some(t) = a.timeout {
        net.timeout_secs = Some(t);
    }
    if a.default_timeout {
        net.timeout_secs = None;
    }
    Ok(())
}

/// Reads a PEM file, bounded: CA bundles are small, and a wrong path must not read a disk image.
pub fn read_pem(path: &std::path::Path) -> Result<String, CoreError> {
    use std::io::Read;
    let what = || format!("reading the CA file {}", path.display());
    let file = std::fs::File::open(path).map_err(|e| CoreError::io(what(), e))?;
    let limit = oauthdesk_core::protocol::network::MAX_PEM_BYTES as u64;
    let mut text = String::new();
    file.take(limit + 1)
        .read_to_string(&mut text)
        .map_err(|e| CoreError::io(what(), e))?;
    if text.len() as u64 > limit {
        return Err(CoreError::InvalidInput(format!(
            "{} is larger than {} KiB; a CA bundle is much smaller",
            path.display(),
            limit / 1024
        )));
    }
    Ok(text)
}

fn show(s: &Settings) {
    let net = &s.network;
    outln!("theme:           {}", s.theme);
    outln!("clock skew:      {} s", s.clock_skew_secs);
    let proxy = match net.proxy {
        ProxyMode::System => {
            "system (the environment's HTTPS_PROXY/HTTP_PROXY/NO_PROXY)".to_owned()
        }
        ProxyMode::None => "none (direct connections)".to_owned(),
        ProxyMode::Explicit => format!(
            "{}{}",
            net.proxy_url.as_deref().unwrap_or("?"),
            if net.proxy_password_stored {
                " (password in the keychain)"
            } else {
                ""
            }
        ),
    };
    outln!("proxy:           {}", output::safe_lines(&proxy));
    if net.proxy == ProxyMode::Explicit && !net.no_proxy.is_empty() {
        outln!("no proxy for:    {}", output::safe_lines(&net.no_proxy));
    }
    let cas = match net.ca_pem.as_deref().map(parse_pem_bundle) {
        None => "none (the system's roots only)".to_owned(),
        Some(Ok(certs)) => format!(
            "{} certificate(s), added to the system's roots",
            certs.len()
        ),
        Some(Err(e)) => format!("unusable: {e}"),
    };
    outln!("extra CA certs:  {cas}");
    match net.timeout_secs {
        Some(t) => outln!("request timeout: {t} s"),
        None => outln!("request timeout: 30 s (default)"),
    }
}
