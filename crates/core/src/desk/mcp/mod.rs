//! The MCP authorization flow end to end (MCP "Authorization", revisions 2025-03-26,
//! 2025-06-18, 2025-11-25): `initialize` without a token → 401 → protected resource metadata →
//! authorization server metadata → a client (the one named, one already made for this
//! resource, a Client ID Metadata Document, or dynamic registration) → a PKCE S256 login with
//! the resource indicator → `initialize` with the token, `notifications/initialized`,
//! `tools/list`. A stored grant is reused (refreshed when needed): no browser opens twice.
//! Then a conformance report per revision (`conformance.rs`).

mod client;
mod conformance;
mod wire;

pub use conformance::RevisionVerdict;

use super::resource::ResourceProbe;
use super::{Desk, GrantRef, LoginOptions, ProbeOptions};
use crate::error::{CoreError, Result};
use crate::model::{FlowEvent, GrantType, Progress};
use oauthdesk_protocol::mcp::{McpSession, McpTool};
use oauthdesk_protocol::transcript::{self, Transcript};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct McpOptions {
    /// Use this client (by name) instead of finding or making one.
    #[serde(default)]
    pub client: Option<String>,
    /// A Client ID Metadata Document URL to be the client with, when the server supports them.
    #[serde(default)]
    pub client_id_metadata_url: Option<String>,
    /// Present this client's current token (one for another resource, which you accept to show
    /// this server) to test that the server checks the audience.
    #[serde(default)]
    pub probe_audience: Option<String>,
    /// Never open a browser: a needed login ends the flow with `login_needed`.
    #[serde(default)]
    pub no_login: bool,
    /// Print the authorization URL instead of opening the browser.
    #[serde(default)]
    pub no_open: bool,
    #[serde(default)]
    pub insecure: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum McpOutcome {
    /// The flow completed and `tools/list` answered.
    Completed,
    /// It completed, but the server broke a MUST of the revision it follows.
    MustBroken,
    Failed,
    /// A login is needed and could not be done here.
    LoginNeeded,
}

impl McpOutcome {
    /// The CLI's exit code: 0, 4, 1, 3.
    pub fn exit_code(self) -> u8 {
        match self {
            McpOutcome::Completed => 0,
            McpOutcome::MustBroken => 4,
            McpOutcome::Failed => 1,
            McpOutcome::LoginNeeded => 3,
        }
    }
}

/// One step of the flow as the timeline shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct McpStep {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct McpReport {
    pub url: String,
    pub outcome: McpOutcome,
    /// Why the flow stopped, in words.
    pub error: Option<String>,
    pub steps: Vec<McpStep>,
    pub probe: Option<ResourceProbe>,
    /// The client used, by name.
    pub client: Option<String>,
    /// How the client was obtained, when it was made now.
    pub client_made: Option<String>,
    /// A browser login happened in this run.
    pub logged_in: bool,
    pub grant_id: Option<String>,
    pub session: Option<McpSession>,
    pub tools: Vec<McpTool>,
    /// Deviations of the MCP messages themselves (session id, versions).
    pub problems: Vec<String>,
    pub revisions: Vec<RevisionVerdict>,
    pub flow_id: String,
}

/// What the flow saw, for the conformance checks.
#[derive(Debug, Default)]
pub(super) struct Observed {
    /// Status of `initialize` with a token that is not one.
    invalid_token_status: Option<u16>,
    /// Status of `initialize` with the other resource's token, and that client's name.
    audience: Option<(u16, String)>,
    tools_listed: bool,
}

impl McpReport {
    fn new(url: &str, flow_id: String) -> Self {
        McpReport {
            url: url.to_owned(),
            outcome: McpOutcome::Failed,
            error: None,
            steps: vec![],
            probe: None,
            client: None,
            client_made: None,
            logged_in: false,
            grant_id: None,
            session: None,
            tools: vec![],
            problems: vec![],
            revisions: vec![],
            flow_id,
        }
    }

    fn step(&mut self, progress: &Progress, name: &str, ok: bool, detail: String) {
        progress(FlowEvent::Step {
            name: format!("{name}: {detail}"),
        });
        self.steps.push(McpStep {
            name: name.to_owned(),
            ok,
            detail,
        });
    }

    fn fail(mut self, progress: &Progress, name: &str, why: String) -> Self {
        self.step(progress, name, false, why.clone());
        self.error = Some(why);
        self.outcome = McpOutcome::Failed;
        self
    }
}

impl Desk {
    /// Runs the MCP authorization flow against an MCP server's endpoint URL. Only an unusable
    /// URL is an error; a flow that fails is a report with `outcome: failed` and the reason.
    pub async fn mcp_flow(
        &self,
        url: &str,
        opts: McpOptions,
        progress: Progress,
    ) -> Result<McpReport> {
        let endpoint = Url::parse(url.trim())
            .map_err(|e| CoreError::InvalidInput(format!("{url:?} is not a URL: {e}")))?;
        let flow_id = uuid::Uuid::new_v4().to_string();
        progress(FlowEvent::Started {
            flow_id: flow_id.clone(),
        });
        let live = progress.clone();
        let transcript = Transcript::observed(std::sync::Arc::new(move |e| {
            live(FlowEvent::Exchange {
                exchange: e.clone(),
            })
        }));
        let mut report = McpReport::new(endpoint.as_str(), flow_id);
        let mut observed = Observed::default();
        let report_out = self
            .mcp_steps(
                &endpoint,
                &opts,
                &progress,
                &transcript,
                &mut report,
                &mut observed,
            )
            .await;
        let mut report = match report_out {
            Ok(()) => report,
            Err(why) => report.fail(&progress, "stopped", why),
        };
        report.revisions = conformance::verdicts(&report, &observed);
        let followed_broken = report
            .revisions
            .iter()
            .any(|r| r.followed && r.musts_broken > 0);
        if report.error.is_none() && observed.tools_listed {
            report.outcome = if followed_broken {
                McpOutcome::MustBroken
            } else {
                McpOutcome::Completed
            };
        }
        if let Some(name) = &report.client
            && let Ok(c) = self.client(name).await
        {
            self.save_transcript(&c.id, report.grant_id.as_deref(), "mcp", &transcript)
                .await;
            let detail = match report.outcome {
                McpOutcome::Completed | McpOutcome::MustBroken => format!(
                    "MCP flow at {}: {} tools listed",
                    report.url,
                    report.tools.len()
                ),
                _ => format!(
                    "MCP flow at {} stopped: {}",
                    report.url,
                    report.error.as_deref().unwrap_or("")
                ),
            };
            self.event(&c.id, report.grant_id.as_deref(), "mcp", &detail)
                .await;
        }
        Ok(report)
    }

    /// The steps; `Err` is why the flow stopped (already in words).
    async fn mcp_steps(
        &self,
        endpoint: &Url,
        opts: &McpOptions,
        progress: &Progress,
        transcript: &Transcript,
        report: &mut McpReport,
        observed: &mut Observed,
    ) -> std::result::Result<(), String> {
        // 1. initialize without a token.
        let probe = self
            .probe_into(
                endpoint.as_str(),
                ProbeOptions {
                    method: None,
                    mcp: true,
                    insecure: opts.insecure,
                },
                transcript,
            )
            .await
            .map_err(|e| e.to_string())?;
        let status = probe.status;
        report.probe = Some(probe.clone());
        if let Some(e) = &probe.request_error {
            return Err(format!("the MCP server could not be reached: {e}"));
        }
        let status = status.unwrap_or(0);
        if (200..300).contains(&status) {
            report.step(
                progress,
                "initialize",
                true,
                format!("HTTP {status} without a token: this server asks for no authorization"),
            );
            return wire::list_tools(self, endpoint, None, transcript, progress, report, observed)
                .await;
        }
        let said = probe
            .challenges
            .first()
            .map(|c| format!("{} challenge", c.scheme))
            .unwrap_or_else(|| "no challenge".into());
        report.step(
            progress,
            "initialize",
            status == 401,
            format!("HTTP {status} without a token, {said}"),
        );
        // 2. protected resource metadata.
        let Some(metadata) = &probe.metadata else {
            return Err(probe
                .metadata_error
                .clone()
                .unwrap_or_else(|| "no protected resource metadata".into()));
        };
        let resource = metadata.metadata.resource.clone();
        report.step(
            progress,
            "resource metadata",
            true,
            format!(
                "{} names resource {resource} and {} authorization server(s)",
                metadata.url,
                metadata.metadata.authorization_servers.len()
            ),
        );
        // 3. authorization server metadata.
        let server = probe.usable_servers().next().cloned().ok_or_else(|| {
            let why: Vec<String> = probe
                .servers
                .iter()
                .map(|s| {
                    format!(
                        "{}: {}",
                        s.issuer,
                        s.error.as_deref().unwrap_or("not found")
                    )
                })
                .collect();
            format!(
                "no authorization server of the resource could be discovered ({})",
                if why.is_empty() {
                    "none named".into()
                } else {
                    why.join("; ")
                }
            )
        })?;
        report.step(
            progress,
            "authorization server metadata",
            true,
            format!(
                "{} at {}{}",
                server.issuer,
                server.found_at.as_deref().unwrap_or(""),
                if server.pkce_s256 {
                    ", PKCE S256 advertised"
                } else {
                    ", S256 NOT advertised"
                }
            ),
        );
        // 4. the client.
        let client = self
            .mcp_client(
                endpoint,
                &probe,
                &server.issuer,
                &resource,
                opts,
                report,
                progress,
            )
            .await?;
        report.client = Some(client.name.clone());
        // 5. a token: the stored grant (refreshed when needed), else a browser login.
        let (token, view) = match self.token(GrantRef::Current(&client.name), 30).await {
            Ok(t) => {
                report.step(
                    progress,
                    "token",
                    true,
                    format!("the stored grant of {:?} (no browser)", client.name),
                );
                t
            }
            Err(CoreError::NeedsLogin { reason, .. }) if opts.no_login => {
                report.outcome = McpOutcome::LoginNeeded;
                report.error = Some(format!(
                    "a login is needed ({reason}); run `oauthdesk mcp {}` where a browser can open, or `oauthdesk login {:?}`",
                    endpoint, client.name
                ));
                report.step(
                    progress,
                    "token",
                    false,
                    report.error.clone().unwrap_or_default(),
                );
                return Ok(());
            }
            Err(CoreError::NeedsLogin { .. }) => {
                report.step(
                    progress,
                    "login",
                    true,
                    format!(
                        "PKCE S256 authorization code login at {} with resource={resource}",
                        server.issuer
                    ),
                );
                let mut login = LoginOptions::new(GrantType::AuthorizationCode);
                login.no_open = opts.no_open;
                self.login(&client.name, login, progress.clone())
                    .await
                    .map_err(|e| format!("the login failed: {e}"))?;
                report.logged_in = true;
                self.token(GrantRef::Current(&client.name), 0)
                    .await
                    .map_err(|e| e.to_string())?
            }
            Err(e) => return Err(format!("no token: {e}")),
        };
        report.grant_id = Some(view.id.clone());
        let auth = wire::Auth::new(self, &client, token, &view).await?;
        wire::list_tools(
            self,
            endpoint,
            Some(&auth),
            transcript,
            progress,
            report,
            observed,
        )
        .await?;
        // 6. what the server does with tokens that are not for it.
        wire::probe_tokens(self, endpoint, opts, transcript, progress, report, observed).await;
        Ok(())
    }
}

/// Server text as a detail line: control characters escaped.
pub(super) fn shown(text: &str) -> String {
    transcript::redact_body(text)
        .chars()
        .flat_map(char::escape_debug)
        .take(300)
        .collect()
}
