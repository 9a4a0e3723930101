//! `oauthdesk resource URL` (probe a protected resource) and `oauthdesk client add NAME
//! --resource-url URL …` (become a client of it).

use crate::args::{ClientAddArgs, ResourceArgs};
use crate::output::{self, errln};
use oauthdesk_core::desk::{ClientIdentity, ProbeOptions, ResourceClientRequest, Severity};
use oauthdesk_core::protocol::CredentialInput;
use oauthdesk_core::{CoreError, Desk};
use std::io::{BufRead, IsTerminal};

pub async fn probe(desk: &Desk, a: ResourceArgs) -> Result<u8, CoreError> {
    let opts = ProbeOptions {
        method: Some(a.method),
        mcp: a.mcp,
        insecure: a.insecure,
    };
    let p = desk.probe_resource(&a.url, opts).await?;
    if a.json {
        output::json(&p);
    } else {
        output::resource_probe(&p);
    }
    let usable = p.usable_servers().next().is_some();
    let broken = p.findings.iter().any(|f| f.severity == Severity::Violation);
    Ok(match (usable, broken) {
        (false, _) => 1,
        (true, true) => 4,
        (true, false) => 0,
    })
}

pub async fn add_client(
    desk: &Desk,
    a: ClientAddArgs,
    secret: Option<CredentialInput>,
) -> Result<u8, CoreError> {
    let url = a.resource_url.clone().unwrap_or_default();
    let identity = match (&a.client_id, a.register, &a.client_id_metadata_url) {
        (Some(id), _, _) => ClientIdentity::Existing {
            client_id: id.clone(),
        },
        (None, true, _) => ClientIdentity::Register,
        (None, false, Some(doc)) => ClientIdentity::MetadataDocument { url: doc.clone() },
        (None, false, None) => {
            return Err(CoreError::InvalidInput(
                "--resource-url needs one of --client-id ID, --register or --client-id-metadata-url URL".into(),
            ));
        }
    };
    let probe = desk
        .probe_resource(
            &url,
            ProbeOptions {
                method: None,
                mcp: a.mcp,
                insecure: a.insecure,
            },
        )
        .await?;
    let issuer = match (&a.issuer, probe.servers.len()) {
        (Some(i), _) => Some(i.clone()),
        (None, n) if n > 1 && std::io::stdin().is_terminal() => Some(ask_server(&probe)?),
        _ => None,
    };
    let req = ResourceClientRequest {
        name: a.name,
        resource_url: url,
        issuer,
        identity,
        scope: a.scope,
        mcp: a.mcp,
        insecure: a.insecure,
    };
    let made = desk.client_from_probe(probe, req, secret).await?;
    if a.json {
        output::json(&made);
    } else {
        output::resource_client(&made);
    }
    Ok(0)
}

/// Asks on the terminal which of several authorization servers to use.
fn ask_server(probe: &oauthdesk_core::desk::ResourceProbe) -> Result<String, CoreError> {
    errln!("The resource names several authorization servers:");
    for (i, s) in probe.servers.iter().enumerate() {
        errln!("  {}. {}", i + 1, output::safe(&s.issuer));
    }
    output::write_stderr(format_args!("Which one (1-{})? ", probe.servers.len()));
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CoreError::io("reading the choice from the terminal", e))?;
    line.trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| probe.servers.get(i))
        .map(|s| s.issuer.clone())
        .ok_or_else(|| {
            CoreError::InvalidInput(format!("{:?} is not one of the numbers shown", line.trim()))
        })
}
