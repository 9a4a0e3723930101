//! `login --grant ciba|jwt_bearer` options into the core's, and `oauthdesk client ciba`.

use super::read_stdin_secret;
use crate::args::ciba::{ClientCibaArgs, HighAssuranceLoginArgs};
use crate::output::{self, outln};
use oauthdesk_core::desk::{CibaOptions, CibaSettings, CibaUpdate, JwtBearerOptions};
use oauthdesk_core::protocol::TlsClientKey;
use oauthdesk_core::protocol::grant::ciba::DeliveryMode;
use oauthdesk_core::protocol::secret::Assertion;
use oauthdesk_core::{CoreError, Desk};

/// Largest certificate or key file read.
const MAX_PEM: u64 = 256 * 1024;

pub fn login_options(
    a: HighAssuranceLoginArgs,
) -> Result<(CibaOptions, JwtBearerOptions), CoreError> {
    let assertion = if a.assertion_stdin {
        Some(read_stdin_secret::<Assertion>("assertion")?)
    } else {
        None
    };
    Ok((
        CibaOptions {
            login_hint: a.login_hint,
            binding_message: a.binding_message,
            user_code: a.user_code,
            mode: a.ciba_mode.as_deref().and_then(DeliveryMode::parse),
            requested_expiry: a.requested_expiry,
        },
        JwtBearerOptions {
            assertion,
            claims: a.assertion_claims,
        },
    ))
}

pub async fn client_ciba(desk: &Desk, a: ClientCibaArgs) -> Result<u8, CoreError> {
    let current = desk.ciba_settings(&a.name).await?;
    let unchanged = a.mode.is_none()
        && a.notification_endpoint.is_none()
        && a.tls_cert_file.is_none()
        && !a.no_tls;
    let settings = if unchanged {
        current
    } else {
        let tls = match (&a.tls_cert_file, &a.tls_key_file) {
            (Some(cert), Some(key)) => Some((
                read(cert, "certificate")?,
                TlsClientKey::new(read(key, "key")?),
            )),
            _ => None,
        };
        let update = CibaUpdate {
            delivery_mode: a
                .mode
                .as_deref()
                .and_then(DeliveryMode::parse)
                .unwrap_or(current.delivery_mode),
            notification_endpoint: a.notification_endpoint,
            tls,
            clear_tls: a.no_tls,
        };
        desk.set_ciba_settings(&a.name, update).await?
    };
    if a.json {
        output::json(&settings);
    } else {
        print(&a.name, &settings);
    }
    Ok(0)
}

fn print(name: &str, s: &CibaSettings) {
    outln!("{name}: CIBA {} mode", s.delivery_mode.as_str());
    if let Some(e) = &s.notification_endpoint {
        outln!(
            "  notification endpoint  {}{}",
            output::safe(e),
            if s.has_tls_certificate {
                " (TLS certificate set; its key is in the keychain)"
            } else {
                ""
            }
        );
    }
}

fn read(path: &std::path::Path, what: &str) -> Result<String, CoreError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| CoreError::io(format!("reading the {what} {}", path.display()), e))?;
    if meta.len() > MAX_PEM {
        return Err(CoreError::InvalidInput(format!(
            "the {what} {} is too large for a PEM certificate or key",
            path.display()
        )));
    }
    std::fs::read_to_string(path)
        .map_err(|e| CoreError::io(format!("reading the {what} {}", path.display()), e))
}
