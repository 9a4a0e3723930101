//! Which client the MCP flow uses: the one named, one made earlier for this resource at this
//! issuer, a Client ID Metadata Document client, or a dynamic registration — in that order.

use super::{McpOptions, McpReport};
use crate::desk::Desk;
use crate::desk::resource::{ClientIdentity, ResourceClientRequest, ResourceProbe};
use crate::model::{Client, Progress};
use url::Url;

/// The name of the client made for a resource: `MCP host:port/path`.
fn client_name_for(url: &Url) -> String {
    let host = url.host_str().unwrap_or("server");
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("MCP {host}{port}{}", url.path().trim_end_matches('/'))
}

impl Desk {
    /// The client named, one made earlier for this resource at this issuer, a Client ID
    /// Metadata Document client, or a dynamic registration — in that order.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn mcp_client(
        &self,
        endpoint: &Url,
        probe: &ResourceProbe,
        issuer: &str,
        resource: &str,
        opts: &McpOptions,
        report: &mut McpReport,
        progress: &Progress,
    ) -> std::result::Result<Client, String> {
        if let Some(name) = opts.client.as_deref() {
            let c = self.client(name).await.map_err(|e| e.to_string())?;
            let sends = c
                .extra_params
                .iter()
                .any(|(k, v)| k == "resource" && v == resource);
            report.step(progress, "client", true, format!("{name:?} as asked{}", if sends { String::new() } else { format!("; it does not send resource={resource} itself, so its tokens may not be for this server") }));
            return Ok(c);
        }
        let clients = self.list_clients().await.map_err(|e| e.to_string())?;
        if let Some(c) = clients.iter().find(|c| {
            c.issuer
                .as_deref()
                .is_some_and(|i| i.trim_end_matches('/') == issuer.trim_end_matches('/'))
                && c.extra_params
                    .iter()
                    .any(|(k, v)| k == "resource" && v == resource)
        }) {
            report.step(
                progress,
                "client",
                true,
                format!("{:?}, made earlier for {resource}", c.name),
            );
            return Ok(c.clone());
        }
        let server = probe.servers.iter().find(|s| s.issuer == issuer);
        let cimd = server.is_some_and(|s| s.client_id_metadata_document_supported);
        let (identity, how) = match (&opts.client_id_metadata_url, cimd) {
            (Some(url), true) => (
                ClientIdentity::MetadataDocument { url: url.clone() },
                format!("the Client ID Metadata Document {url}"),
            ),
            _ if server.is_some_and(|s| s.registration_endpoint.is_some()) => (
                ClientIdentity::Register,
                "dynamic registration (RFC 7591)".to_owned(),
            ),
            (Some(url), false) => (
                ClientIdentity::MetadataDocument { url: url.clone() },
                format!(
                    "the Client ID Metadata Document {url} (the server does not advertise support)"
                ),
            ),
            _ => {
                return Err(format!(
                    "{issuer} offers neither dynamic registration nor Client ID Metadata Documents: register a client there and pass --client NAME (made with `oauthdesk client add NAME --resource-url {endpoint} --client-id ID`)"
                ));
            }
        };
        let mut name = client_name_for(endpoint);
        if clients.iter().any(|c| c.name == name) {
            name = format!("{name} ({})", &uuid::Uuid::new_v4().to_string()[..8]);
        }
        let made = self
            .client_from_probe(
                probe.clone(),
                ResourceClientRequest {
                    name,
                    resource_url: endpoint.to_string(),
                    issuer: Some(issuer.to_owned()),
                    identity,
                    scope: None,
                    mcp: true,
                    insecure: opts.insecure,
                },
                None,
            )
            .await
            .map_err(|e| format!("no client could be made: {e}"))?;
        report.client_made = Some(how.clone());
        report.step(
            progress,
            "client",
            true,
            format!(
                "{:?} by {how}, redirect URI {}, scopes {:?}",
                made.client.name, made.redirect_uri, made.scopes
            ),
        );
        Ok(made.client)
    }
}
