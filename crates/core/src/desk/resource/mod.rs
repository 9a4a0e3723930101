//! Starting from an API: probe a protected resource (its 401/403 and `WWW-Authenticate`
//! challenges, RFC 9110 §11.6.1 / RFC 6750 §3 / RFC 9449 §7.1 / RFC 9470), follow it to its
//! protected resource metadata (RFC 9728) and its authorization servers' metadata (RFC 8414,
//! OIDC Discovery), and say where each departs from the specs, like the provider report.
//! Nothing here sends a token.

mod client;
mod findings;

pub use client::{
    ClientIdentity, ResourceClient, ResourceClientRequest, metadata_document_template,
};

use super::Desk;
use crate::desk::report::Finding;
use crate::error::{CoreError, Result};
use oauthdesk_protocol::challenge::{self, ResourceChallenge};
use oauthdesk_protocol::discovery::{ServerMetadata, check_transport_security};
use oauthdesk_protocol::http::{HttpClient, HttpRequest, HttpResponse};
use oauthdesk_protocol::mcp;
use oauthdesk_protocol::resource::as_discovery::{self, Attempt};
use oauthdesk_protocol::resource::{self, FetchedMetadata, MetadataSource};
use oauthdesk_protocol::transcript::{Exchange, Transcript};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use url::Url;

/// How to knock on the resource.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ProbeOptions {
    /// GET (default) or POST.
    #[serde(default)]
    pub method: Option<String>,
    /// Send an MCP `initialize` JSON-RPC POST with the Streamable HTTP headers.
    #[serde(default)]
    pub mcp: bool,
    /// Allow plain http to non-loopback authorization servers.
    #[serde(default)]
    pub insecure: bool,
}

/// One authorization server named by the resource, as discovered.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ServerProbe {
    pub issuer: String,
    /// Every metadata location tried, in order, with what it answered.
    pub tried: Vec<Attempt>,
    pub found_at: Option<String>,
    /// Why no metadata could be used, in words.
    pub error: Option<String>,
    pub metadata: Option<ServerMetadata>,
    pub pkce_s256: bool,
    pub registration_endpoint: Option<String>,
    /// The server accepts a client ID that is the URL of a Client ID Metadata Document.
    pub client_id_metadata_document_supported: bool,
    pub acr_values_supported: Vec<String>,
    pub dpop_signing_alg_values_supported: Vec<String>,
}

/// What the resource answered without a token, and where it led.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ResourceProbe {
    pub url: String,
    pub method: String,
    /// The resource identifier the metadata must name (the URL without its fragment).
    pub resource: String,
    pub status: Option<u16>,
    /// Why the request itself failed (unreachable, TLS, timeout), in words.
    pub request_error: Option<String>,
    /// The Bearer and DPoP challenges, in order.
    pub challenges: Vec<ResourceChallenge>,
    /// Other schemes offered (Basic, Negotiate, …).
    pub other_schemes: Vec<String>,
    /// What could not be parsed in `WWW-Authenticate`.
    pub challenge_problems: Vec<String>,
    /// Every metadata location tried, in order.
    pub metadata_tried: Vec<Attempt>,
    pub metadata: Option<FetchedMetadata>,
    /// Why the metadata was refused (RFC 9728 §3.3) or could not be read.
    pub metadata_error: Option<String>,
    pub servers: Vec<ServerProbe>,
    /// The MCP protocol revision the server negotiated, when it answered `initialize` without
    /// a token (an open server).
    pub mcp_protocol_version: Option<String>,
    pub findings: Vec<Finding>,
    pub exchanges: Vec<Exchange>,
}

impl ResourceProbe {
    /// The challenge scope, else the metadata's `scopes_supported` (MCP 2025-11-25 scope
    /// selection).
    pub fn suggested_scopes(&self) -> Vec<String> {
        let challenged: Vec<String> = self
            .challenges
            .iter()
            .flat_map(|c| c.scope.iter().cloned())
            .collect();
        if !challenged.is_empty() {
            return dedup(challenged);
        }
        self.metadata
            .as_ref()
            .map(|m| m.metadata.scopes_supported.clone())
            .unwrap_or_default()
    }

    /// The authorization servers that could be discovered.
    pub fn usable_servers(&self) -> impl Iterator<Item = &ServerProbe> {
        self.servers.iter().filter(|s| s.metadata.is_some())
    }
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// The request that knocks: a plain GET/POST, or MCP's `initialize`.
fn knock(url: &Url, opts: &ProbeOptions) -> Result<(String, HttpRequest)> {
    if opts.mcp {
        let req = mcp::rpc_request(
            url,
            &mcp::McpSession::default(),
            "initialize",
            mcp::initialize_params(),
            Some(1),
        );
        return Ok(("POST".into(), req));
    }
    let method = opts
        .method
        .as_deref()
        .unwrap_or("GET")
        .trim()
        .to_ascii_uppercase();
    let req = match method.as_str() {
        "GET" => HttpRequest::get(url.clone()),
        "POST" => {
            let mut r = HttpRequest::get(url.clone());
            r.method = "POST";
            r.body = Some(String::new());
            r
        }
        other => {
            return Err(CoreError::InvalidInput(format!(
                "a resource is probed with GET or POST, not {other:?}"
            )));
        }
    };
    Ok((method, req))
}

impl Desk {
    /// Probes a protected resource without a token and follows it to its authorization servers.
    /// Only an unusable URL is an error; everything the resource or its servers got wrong is a
    /// finding.
    pub async fn probe_resource(&self, url: &str, opts: ProbeOptions) -> Result<ResourceProbe> {
        self.probe_into(url, opts, &Transcript::default()).await
    }

    /// [`Desk::probe_resource`], recording into `transcript` (the MCP flow's, observed live).
    pub(super) async fn probe_into(
        &self,
        url: &str,
        opts: ProbeOptions,
        transcript: &Transcript,
    ) -> Result<ResourceProbe> {
        let parsed = Url::parse(url.trim())
            .map_err(|e| CoreError::InvalidInput(format!("{url:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(CoreError::InvalidInput(format!(
                "{url:?} is not an http(s) URL"
            )));
        }
        let (method, req) = knock(&parsed, &opts)?;
        let http = self.http().await?;
        let mut probe = ResourceProbe {
            url: parsed.to_string(),
            method,
            resource: resource::resource_identifier(&parsed),
            status: None,
            request_error: None,
            challenges: vec![],
            other_schemes: vec![],
            challenge_problems: vec![],
            metadata_tried: vec![],
            metadata: None,
            metadata_error: None,
            servers: vec![],
            mcp_protocol_version: None,
            findings: vec![],
            exchanges: vec![],
        };
        match http.send("resource request", req, transcript).await {
            Ok(resp) => read_answer(&mut probe, &resp, opts.mcp),
            Err(e) => probe.request_error = Some(e.to_string()),
        }
        if probe.request_error.is_none() {
            self.follow_metadata(&http, &mut probe, &parsed, opts.insecure, transcript)
                .await;
            let issuers: Vec<String> = probe
                .metadata
                .as_ref()
                .map(|m| m.metadata.authorization_servers.clone())
                .unwrap_or_default();
            for issuer in issuers.iter().take(8) {
                let server = self
                    .probe_server(&http, issuer, opts.insecure, transcript)
                    .await;
                probe.servers.push(server);
            }
        }
        probe.findings = findings::of(&probe);
        probe.exchanges = transcript.exchanges();
        Ok(probe)
    }

    /// The metadata named by the challenge, else the well-known locations (RFC 9728 §3.1, then
    /// the root as MCP 2025-11-25 allows).
    async fn follow_metadata(
        &self,
        http: &HttpClient,
        probe: &mut ResourceProbe,
        url: &Url,
        insecure: bool,
        transcript: &Transcript,
    ) {
        let mut candidates: Vec<(MetadataSource, Url)> = Vec::new();
        if let Some(named) = probe
            .challenges
            .iter()
            .find_map(|c| c.resource_metadata.clone())
        {
            match Url::parse(&named) {
                Ok(u) => candidates.push((MetadataSource::Challenge, u)),
                Err(e) => probe.challenge_problems.push(format!(
                    "resource_metadata {named:?} is not a URL ({e}); the well-known locations were tried instead (RFC 9728 §5.1)"
                )),
            }
        }
        candidates.extend(resource::well_known_urls(url));
        let expected = [probe.resource.clone()];
        let origin = [resource::origin_identifier(url), probe.resource.clone()];
        for (source, candidate) in candidates {
            // RFC 9728 §7.1: metadata over plain http could be swapped by anyone on the path.
            if check_transport_security(candidate.as_str(), insecure).is_err() {
                probe.metadata_tried.push(Attempt {
                    url: candidate.to_string(),
                    kind: source_words(source).into(),
                    outcome: "not fetched: plain http to a host that is not loopback (RFC 9728 §7.1 requires TLS; allow it with --insecure)".into(),
                });
                continue;
            }
            let expect: &[String] = match source {
                MetadataSource::WellKnownRoot => &origin,
                _ => &expected,
            };
            let outcome = resource::fetch(http, transcript, &candidate, source, expect).await;
            let mut attempt = |outcome: String| {
                probe.metadata_tried.push(Attempt {
                    url: candidate.to_string(),
                    kind: source_words(source).into(),
                    outcome,
                })
            };
            match outcome {
                Ok(found) => {
                    attempt("found".into());
                    probe.metadata = Some(found);
                    return;
                }
                // RFC 9728 §3.3: a document for another resource is refused, and nothing else is
                // tried: the resource pointed at it.
                Err(e @ oauthdesk_protocol::ProtocolError::ResourceMismatch { .. }) => {
                    attempt("refused: names another resource".into());
                    probe.metadata_error = Some(e.to_string());
                    return;
                }
                Err(e) => attempt(e.to_string()),
            }
        }
        probe.metadata_error = Some(format!(
            "no protected resource metadata was found for {} (RFC 9728 §3)",
            probe.resource
        ));
    }

    async fn probe_server(
        &self,
        http: &HttpClient,
        issuer: &str,
        insecure: bool,
        transcript: &Transcript,
    ) -> ServerProbe {
        let mut server = ServerProbe {
            issuer: issuer.to_owned(),
            tried: vec![],
            found_at: None,
            error: None,
            metadata: None,
            pkce_s256: false,
            registration_endpoint: None,
            client_id_metadata_document_supported: false,
            acr_values_supported: vec![],
            dpop_signing_alg_values_supported: vec![],
        };
        if let Err(e) = check_transport_security(issuer, insecure) {
            server.error = Some(e.to_string());
            return server;
        }
        let (tried, found) = as_discovery::discover(http, transcript, issuer).await;
        server.tried = tried;
        match found {
            Ok(d) => {
                let strings = |name: &str| -> Vec<String> {
                    d.raw
                        .get(name)
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                server.pkce_s256 = d
                    .metadata
                    .code_challenge_methods_supported
                    .iter()
                    .any(|m| m == "S256");
                server.registration_endpoint = d.metadata.registration_endpoint.clone();
                server.client_id_metadata_document_supported = d
                    .raw
                    .get("client_id_metadata_document_supported")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                server.acr_values_supported = strings("acr_values_supported");
                server.dpop_signing_alg_values_supported =
                    strings("dpop_signing_alg_values_supported");
                server.found_at = Some(d.url);
                server.metadata = Some(d.metadata);
            }
            Err(e) => server.error = Some(e.to_string()),
        }
        server
    }
}

fn source_words(source: MetadataSource) -> &'static str {
    match source {
        MetadataSource::Challenge => "resource_metadata of the challenge",
        MetadataSource::WellKnown => "well-known, path inserted",
        MetadataSource::WellKnownRoot => "well-known at the root",
    }
}

/// Reads the status and the challenges of the resource's answer.
fn read_answer(probe: &mut ResourceProbe, resp: &HttpResponse, mcp: bool) {
    probe.status = Some(resp.status);
    let parsed = challenge::from_headers(&resp.headers);
    probe.challenge_problems = parsed.problems.clone();
    probe.challenges = parsed.oauth();
    for c in &probe.challenges {
        probe.challenge_problems.extend(c.problems.iter().cloned());
    }
    probe.other_schemes = parsed
        .challenges
        .iter()
        .filter(|c| !c.is_scheme("bearer") && !c.is_scheme("dpop"))
        .map(|c| c.scheme.clone())
        .collect();
    if mcp
        && resp.is_success()
        && let Ok(result) = mcp::read_result(resp, 1)
    {
        let (session, _) = mcp::session_from_initialize(resp, &result);
        probe.mcp_protocol_version = session.protocol_version;
    }
}
