//! Becoming a client of a protected resource: the issuer comes from its metadata (RFC 9728
//! §2 `authorization_servers`), the resource indicator is the metadata's `resource` (RFC 8707,
//! sent in authorization, token and refresh requests), the scopes default to the challenge's
//! `scope`, else `scopes_supported` (MCP 2025-11-25 scope selection). The client is an existing
//! client ID, a dynamic registration (RFC 7591) with an exact loopback redirect URI on a port
//! fixed now, or a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document).

use super::{ProbeOptions, ResourceProbe, ServerProbe};
use crate::desk::{Desk, RegistrationRequest};
use crate::error::{CoreError, Result};
use crate::model::{Client, ClientSpec, Endpoints};
use oauthdesk_protocol::CredentialInput;
use oauthdesk_protocol::client_auth::AuthMethod;
use oauthdesk_protocol::http::HttpRequest;
use oauthdesk_protocol::loopback::{check_redirect_template, free_loopback_redirect};
use oauthdesk_protocol::transcript::Transcript;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ts_rs::TS;

/// Which client to be at the authorization server.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClientIdentity {
    /// A client already registered there (its secret, if any, goes to the keychain).
    Existing { client_id: String },
    /// Dynamic registration (RFC 7591), native, with a fixed-port loopback redirect URI.
    Register,
    /// The client ID is the HTTPS URL of a Client ID Metadata Document.
    MetadataDocument { url: String },
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ResourceClientRequest {
    pub name: String,
    pub resource_url: String,
    /// Which of the metadata's authorization servers (required when it names several).
    #[serde(default)]
    pub issuer: Option<String>,
    pub identity: ClientIdentity,
    /// Overrides the suggested scopes.
    #[serde(default)]
    pub scope: Option<String>,
    /// Knock with an MCP `initialize` instead of a GET.
    #[serde(default)]
    pub mcp: bool,
    #[serde(default)]
    pub insecure: bool,
}

/// The client made, and what was decided on the way.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ResourceClient {
    pub client: Client,
    pub resource: String,
    pub issuer: String,
    pub scopes: String,
    pub redirect_uri: String,
    /// What was decided, in words (scopes' origin, redirect URI, CIMD checks).
    pub notes: Vec<String>,
    pub probe: ResourceProbe,
}

/// What a Client ID Metadata Document must say for OAuth Desk to use it.
pub fn metadata_document_template(url: &str, redirect_uri: &str, name: &str) -> Value {
    json!({
        "client_id": url,
        "client_name": name,
        "redirect_uris": [redirect_uri],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
        "application_type": "native",
    })
}

impl Desk {
    /// Probes the resource and makes a client for it.
    pub async fn add_resource_client(
        &self,
        req: ResourceClientRequest,
        secret: Option<CredentialInput>,
    ) -> Result<ResourceClient> {
        let probe = self
            .probe_resource(
                &req.resource_url,
                ProbeOptions {
                    method: None,
                    mcp: req.mcp,
                    insecure: req.insecure,
                },
            )
            .await?;
        self.client_from_probe(probe, req, secret).await
    }

    /// Makes a client from a probe already made (the CLI asks which server in between).
    pub async fn client_from_probe(
        &self,
        probe: ResourceProbe,
        req: ResourceClientRequest,
        secret: Option<CredentialInput>,
    ) -> Result<ResourceClient> {
        let name = req.name.trim().to_owned();
        if name.is_empty() {
            return Err(CoreError::InvalidInput("a client needs a name".into()));
        }
        if self.client(&name).await.is_ok() {
            return Err(CoreError::ClientExists(name));
        }
        let Some(fetched) = &probe.metadata else {
            return Err(CoreError::InvalidInput(format!(
                "{} cannot be followed to an authorization server: {}. Add the client by issuer instead (`oauthdesk client add NAME --issuer URL …` with `--param resource={}`)",
                probe.url,
                probe
                    .metadata_error
                    .as_deref()
                    .unwrap_or("no protected resource metadata"),
                probe.resource
            )));
        };
        let server = choose_server(&probe, req.issuer.as_deref())?;
        let meta = server.metadata.clone().ok_or_else(|| {
            CoreError::InvalidInput(format!(
                "the authorization server {} could not be discovered: {}",
                server.issuer,
                server.error.as_deref().unwrap_or("no metadata")
            ))
        })?;
        let resource = fetched.metadata.resource.clone();
        let mut notes = Vec::new();
        let scopes = match req
            .scope
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => {
                notes.push(format!("scopes {s:?} as given"));
                s.to_owned()
            }
            None => {
                let suggested = probe.suggested_scopes().join(" ");
                let from = if probe.challenges.iter().any(|c| !c.scope.is_empty()) {
                    "the challenge's scope (RFC 6750 §3)"
                } else {
                    "the resource metadata's scopes_supported (RFC 9728 §2)"
                };
                notes.push(if suggested.is_empty() {
                    "no scopes: neither the challenge nor the metadata names any".into()
                } else {
                    format!("scopes {suggested:?} from {from}")
                });
                suggested
            }
        };
        notes.push(format!("resource indicator {resource:?} (RFC 8707) in every authorization, token and refresh request"));
        let dpop = fetched.metadata.dpop_bound_access_tokens_required;
        if dpop {
            notes.push("DPoP on: the resource requires DPoP-bound tokens (RFC 9728 §2)".into());
        }
        let extra_params = vec![("resource".to_owned(), resource.clone())];
        let client = match req.identity {
            ClientIdentity::Existing { client_id } => {
                let client_id = client_id.trim().to_owned();
                if client_id.is_empty() {
                    return Err(CoreError::InvalidInput("the client ID is empty".into()));
                }
                let has_secret = secret.as_ref().is_some_and(|s| !s.expose().is_empty());
                let spec = ClientSpec {
                    extra_params: extra_params.clone(),
                    dpop,
                    ..spec(
                        &name,
                        &client_id,
                        &server.issuer,
                        &scopes,
                        if has_secret {
                            AuthMethod::ClientSecretBasic
                        } else {
                            AuthMethod::None
                        },
                        None,
                        req.insecure,
                    )
                };
                self.add_client(spec, secret).await?
            }
            ClientIdentity::Register => {
                let Some(_) = meta.registration_endpoint else {
                    return Err(CoreError::InvalidInput(format!(
                        "{} offers no dynamic registration (no registration_endpoint, RFC 8414 §2){}; register a client there by hand and use --client-id",
                        server.issuer,
                        if server.client_id_metadata_document_supported {
                            " but accepts Client ID Metadata Documents (--client-id-metadata-url)"
                        } else {
                            ""
                        }
                    )));
                };
                let redirect = free_loopback_redirect()?;
                let auth_method =
                    registration_auth_method(&meta.token_endpoint_auth_methods_supported);
                notes.push(format!("registered with the exact redirect URI {redirect}: its port is fixed now and used for every login of this client"));
                notes.push(format!("token_endpoint_auth_method {} (from the server's token_endpoint_auth_methods_supported)", auth_method.as_str()));
                self.register_client(
                    RegistrationRequest {
                        name: name.clone(),
                        issuer: server.issuer.clone(),
                        scopes: scopes.clone(),
                        auth_method,
                        grant_types: vec![],
                        id_token_alg: None,
                        insecure: req.insecure,
                        redirect_uri: Some(redirect),
                        extra_params: extra_params.clone(),
                        dpop,
                    },
                    None,
                )
                .await?
            }
            ClientIdentity::MetadataDocument { url } => {
                if !server.client_id_metadata_document_supported {
                    notes.push(format!("{} does not advertise client_id_metadata_document_supported; its logins may answer invalid_client", server.issuer));
                }
                let redirect = self
                    .check_metadata_document(url.trim(), &name, req.insecure)
                    .await?;
                notes.push(format!("the Client ID Metadata Document at {} is reachable and lists {redirect}, the exact redirect URI every login uses", url.trim()));
                let spec = ClientSpec {
                    extra_params: extra_params.clone(),
                    dpop,
                    ..spec(
                        &name,
                        url.trim(),
                        &server.issuer,
                        &scopes,
                        AuthMethod::None,
                        Some(redirect),
                        req.insecure,
                    )
                };
                self.add_client(spec, None).await?
            }
        };
        Ok(ResourceClient {
            redirect_uri: client.redirect_uri.clone(),
            client,
            resource,
            issuer: server.issuer.clone(),
            scopes,
            notes,
            probe,
        })
    }

    /// Fetches a Client ID Metadata Document and returns the loopback redirect URI it lists.
    /// Errors say what to publish.
    async fn check_metadata_document(
        &self,
        url: &str,
        name: &str,
        insecure: bool,
    ) -> Result<String> {
        let parsed = url::Url::parse(url)
            .map_err(|e| CoreError::InvalidInput(format!("{url:?} is not a URL: {e}")))?;
        let template = |why: String| -> CoreError {
            let redirect = free_loopback_redirect()
                .unwrap_or_else(|_| "http://127.0.0.1:8765/callback".into());
            let doc =
                serde_json::to_string_pretty(&metadata_document_template(url, &redirect, name))
                    .unwrap_or_default();
            CoreError::InvalidInput(format!(
                "{why}. Publish this JSON at {url} (served over HTTPS as application/json), then run the command again:\n{doc}"
            ))
        };
        if parsed.scheme() != "https" && !insecure {
            return Err(template(format!(
                "a Client ID Metadata Document's URL must be https (the client ID is the URL); {url:?} is not"
            )));
        }
        let http = self.http().await?;
        let transcript = Transcript::default();
        let req = HttpRequest::get(parsed.clone()).header("accept", "application/json".into());
        let resp = http
            .send("client id metadata document", req, &transcript)
            .await
            .map_err(|e| template(format!("the document could not be fetched: {e}")))?;
        if !resp.is_success() {
            return Err(template(format!("{url} answered HTTP {}", resp.status)));
        }
        let doc = resp
            .json()
            .map_err(|e| template(format!("the document is not JSON: {e}")))?;
        if doc.get("client_id").and_then(Value::as_str) != Some(url) {
            return Err(template(format!(
                "the document's client_id is {}, not the document's own URL",
                doc.get("client_id")
                    .map(Value::to_string)
                    .unwrap_or_else(|| "missing".into())
            )));
        }
        match doc
            .get("token_endpoint_auth_method")
            .and_then(Value::as_str)
        {
            None | Some("none") => {}
            Some(other) => {
                return Err(template(format!(
                    "the document says token_endpoint_auth_method {other:?}; OAuth Desk uses such a client as a public native client (none)"
                )));
            }
        }
        let redirects: Vec<&str> = doc
            .get("redirect_uris")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        redirects
            .iter()
            .find(|r| check_redirect_template(r).is_ok())
            .map(|r| (*r).to_owned())
            .ok_or_else(|| template(format!("the document lists no loopback redirect URI OAuth Desk can listen on (it lists {redirects:?})")))
    }
}

fn spec(
    name: &str,
    client_id: &str,
    issuer: &str,
    scopes: &str,
    auth: AuthMethod,
    redirect_uri: Option<String>,
    insecure: bool,
) -> ClientSpec {
    ClientSpec {
        name: name.to_owned(),
        client_id: client_id.to_owned(),
        issuer: Some(issuer.to_owned()),
        endpoints: Endpoints::default(),
        auth_method: Some(auth),
        scopes: scopes.to_owned(),
        redirect_uri,
        extra_params: vec![],
        pkce: true,
        insecure,
        id_token_alg: None,
        par: false,
        jar: Default::default(),
        response_mode: None,
        dpop: false,
        ca_pem: None,
        authorization_details: None,
    }
}

/// The server named by `--issuer`, else the only one; several without a choice is an error
/// that lists them.
fn choose_server<'a>(probe: &'a ResourceProbe, issuer: Option<&str>) -> Result<&'a ServerProbe> {
    if let Some(wanted) = issuer.map(str::trim).filter(|i| !i.is_empty()) {
        return probe
            .servers
            .iter()
            .find(|s| s.issuer.trim_end_matches('/') == wanted.trim_end_matches('/'))
            .ok_or_else(|| {
                CoreError::InvalidInput(format!(
                    "{wanted} is not one of the resource's authorization servers ({})",
                    probe
                        .servers
                        .iter()
                        .map(|s| s.issuer.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            });
    }
    match probe.servers.as_slice() {
        [] => Err(CoreError::InvalidInput("the resource metadata names no authorization server (RFC 9728 §2 authorization_servers)".into())),
        [only] => Ok(only),
        many => Err(CoreError::InvalidInput(format!("the resource names several authorization servers; choose one with --issuer: {}", many.iter().map(|s| s.issuer.as_str()).collect::<Vec<_>>().join(", ")))),
    }
}

/// A public client when the server allows it, else a secret (RFC 7591 §2): some servers list
/// `none` but mishandle it, so it is chosen only when listed.
fn registration_auth_method(supported: &[String]) -> AuthMethod {
    let listed = |m: &str| supported.iter().any(|s| s == m);
    if supported.is_empty() || listed("none") {
        AuthMethod::None
    } else if listed("client_secret_basic") {
        AuthMethod::ClientSecretBasic
    } else if listed("client_secret_post") {
        AuthMethod::ClientSecretPost
    } else {
        AuthMethod::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_prefers_a_public_client_only_when_the_server_lists_none() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            registration_auth_method(&v(&["client_secret_basic", "none"])),
            AuthMethod::None,
            "none is used when listed"
        );
        assert_eq!(
            registration_auth_method(&v(&["client_secret_post", "client_secret_basic"])),
            AuthMethod::ClientSecretBasic,
            "without none, a Basic secret"
        );
        assert_eq!(
            registration_auth_method(&v(&["client_secret_post"])),
            AuthMethod::ClientSecretPost,
            "post when only post is listed"
        );
        assert_eq!(
            registration_auth_method(&[]),
            AuthMethod::None,
            "nothing listed: RFC 8414's default client_secret_basic would need a secret we do not have yet, so a public client is asked for"
        );
    }
}
