//! `oauthdesk client cert import|show|remove` (RFC 8705): the certificate is public and shown
//! in words; the key is read from a file or stdin, handed to the keychain, and never printed.

use super::read_stdin_secret;
use crate::args::client_cert::{CertImportArgs, ClientCertCommand};
use crate::output::{self, errln, outln};
use oauthdesk_core::desk::CertificateImport;
use oauthdesk_core::protocol::mtls::CertificateInfo;
use oauthdesk_core::protocol::{Password, TlsClientKey};
use oauthdesk_core::{CoreError, Desk};

pub async fn run(desk: &Desk, command: ClientCertCommand) -> Result<u8, CoreError> {
    match command {
        ClientCertCommand::Import(a) => import(desk, a).await,
        ClientCertCommand::Show { name, json } => {
            let info = desk.client_certificate(&name).await?;
            match (info, json) {
                (info, true) => output::json(&info),
                (Some(info), false) => print_info(&name, &info),
                (None, false) => outln!("{name:?} has no TLS client certificate."),
            }
            Ok(0)
        }
        ClientCertCommand::Remove { name, json } => {
            desk.remove_client_certificate(&name).await?;
            if json {
                output::json(&serde_json::json!({ "removed": name }));
            } else {
                outln!("Removed {name:?}'s TLS client certificate and its key from the keychain.");
            }
            Ok(0)
        }
    }
}

async fn import(desk: &Desk, a: CertImportArgs) -> Result<u8, CoreError> {
    let read = |path: &std::path::Path, what: &str| {
        let bytes = std::fs::metadata(path)
            .map_err(|e| CoreError::io(format!("reading the {what} {}", path.display()), e))?;
        if bytes.len() > oauthdesk_core::protocol::mtls::MAX_IDENTITY_BYTES as u64 {
            return Err(CoreError::InvalidInput(format!(
                "the {what} {} is too large for a certificate or key",
                path.display()
            )));
        }
        std::fs::read_to_string(path)
            .map_err(|e| CoreError::io(format!("reading the {what} {}", path.display()), e))
    };
    let import = match (&a.cert, &a.key, &a.pem, &a.pkcs12) {
        (Some(cert), Some(key), _, _) => CertificateImport::Pem {
            certificate: read(cert, "certificate")?,
            key: Some(TlsClientKey::new(read(key, "key")?)),
        },
        (_, _, Some(pem), _) => CertificateImport::Pem {
            certificate: read(pem, "PEM file")?,
            key: None,
        },
        (_, _, _, Some(p12)) => CertificateImport::Pkcs12File {
            path: p12.display().to_string(),
            password: if a.password_stdin {
                read_stdin_secret::<Password>("PKCS#12 password")?
            } else {
                Password::new("")
            },
        },
        _ => {
            return Err(CoreError::InvalidInput(
                "give --cert and --key, --pem, or --pkcs12".into(),
            ));
        }
    };
    let client = desk.import_client_certificate(&a.name, import).await?;
    if a.json {
        output::json(&client.tls_certificate);
    } else if let Some(info) = &client.tls_certificate {
        print_info(&a.name, info);
        outln!(
            "The key is in the keychain; the certificate is presented on {:?}'s requests.",
            a.name
        );
    }
    Ok(0)
}

fn print_info(name: &str, info: &CertificateInfo) {
    let when = |t: i64| oauthdesk_core::desk::iso8601(t);
    outln!("client:      {name}");
    outln!("subject:     {}", info.subject);
    outln!(
        "issuer:      {}{}",
        info.issuer,
        if info.self_signed {
            " (self-signed)"
        } else {
            ""
        }
    );
    outln!("x5t#S256:    {}", info.thumbprint);
    outln!(
        "valid:       {} to {}",
        when(info.not_before),
        when(info.not_after)
    );
    if info.chain_length > 1 {
        outln!("chain:       {} certificates", info.chain_length);
    }
}

/// `header`/`exec`: a certificate-bound token (RFC 8705 §3) is useless without its certificate.
pub async fn bound_notice(desk: &Desk, name: &str, handed: &oauthdesk_core::HandedToken) {
    if let Ok(Some(thumbprint)) = desk.bound_certificate(name, handed).await {
        errln!(
            "oauthdesk: {name}: the token is certificate-bound (RFC 8705 §3, x5t#S256 {thumbprint}): an API accepts it only over TLS presenting that client certificate (`oauthdesk call` and `oauthdesk curl` do)"
        );
    }
}
