//! The MCP messages of the flow: `initialize`, `notifications/initialized`, `tools/list`
//! (Streamable HTTP), with the grant's token as Bearer or DPoP (with a proof per request,
//! RFC 9449 §7), and the two token probes: a string that is no token, and, when asked, a token
//! for another resource (MCP "Token Audience Binding and Validation").

use super::{McpReport, Observed, shown};
use crate::desk::{Desk, GrantRef};
use crate::model::{Client, GrantView, Progress};
use oauthdesk_protocol::AccessToken;
use oauthdesk_protocol::http::{HttpClient, HttpRequest, HttpResponse};
use oauthdesk_protocol::keys::KeyPair;
use oauthdesk_protocol::mcp::{self, McpSession};
use oauthdesk_protocol::transcript::Transcript;
use url::Url;

/// How to authorize MCP requests: the token, the client's HTTP client and, for a DPoP-bound
/// token, its key — each looked up once per flow, not per request.
pub(super) struct Auth {
    token: AccessToken,
    http: HttpClient,
    dpop: Option<KeyPair>,
}

impl Auth {
    /// The token of `view`'s grant for `client`, as Bearer or DPoP.
    pub(super) async fn new(
        desk: &Desk,
        client: &Client,
        token: AccessToken,
        view: &GrantView,
    ) -> Result<Auth, String> {
        let http = desk.http_for(client).await.map_err(|e| e.to_string())?;
        let dpop = if view.token_type.eq_ignore_ascii_case("dpop") {
            let key = desk
                .dpop_key(client, false)
                .await
                .map_err(|e| e.to_string())?;
            Some(key.ok_or(
                "the grant is DPoP-bound but the client's DPoP key is not in the keychain",
            )?)
        } else {
            None
        };
        Ok(Auth { token, http, dpop })
    }
}

/// At most this many `tools/list` pages are read.
const MAX_PAGES: usize = 20;

/// Sends one MCP request, with the token when there is one (a DPoP-bound token with a proof for
/// this very request, RFC 9449 §7).
async fn send(
    http: &HttpClient,
    auth: Option<&Auth>,
    step: &str,
    mut req: HttpRequest,
    transcript: &Transcript,
) -> Result<HttpResponse, String> {
    let Some(auth) = auth else {
        return http
            .send(step, req, transcript)
            .await
            .map_err(|e| e.to_string());
    };
    match &auth.dpop {
        Some(key) => {
            req.headers.push((
                "authorization".into(),
                format!("DPoP {}", auth.token.expose()),
            ));
            oauthdesk_protocol::dpop::send(
                &auth.http,
                transcript,
                step,
                req,
                key,
                Some(auth.token.expose()),
            )
            .await
        }
        None => {
            req.headers.push((
                "authorization".into(),
                format!("Bearer {}", auth.token.expose()),
            ));
            auth.http.send(step, req, transcript).await
        }
    }
    .map_err(|e| e.to_string())
}

/// Why an authorized request was refused, in words (status and challenge).
fn refusal(resp: &HttpResponse) -> String {
    let challenges = oauthdesk_protocol::challenge::from_headers(&resp.headers).oauth();
    let said = challenges
        .first()
        .map(|c| {
            let mut s = c.error.clone().unwrap_or_else(|| "no error code".into());
            if let Some(d) = &c.error_description {
                s.push_str(&format!(": {}", shown(d)));
            }
            s
        })
        .unwrap_or_else(|| shown(&resp.excerpt()));
    format!("HTTP {} ({said})", resp.status)
}

/// initialize → notifications/initialized → tools/list.
pub(super) async fn list_tools(
    desk: &Desk,
    endpoint: &Url,
    auth: Option<&Auth>,
    transcript: &Transcript,
    progress: &Progress,
    report: &mut McpReport,
    observed: &mut Observed,
) -> Result<(), String> {
    let http = match auth {
        Some(a) => a.http.clone(),
        None => desk.http().await.map_err(|e| e.to_string())?,
    };
    let init = mcp::rpc_request(
        endpoint,
        &McpSession::default(),
        "initialize",
        mcp::initialize_params(),
        Some(1),
    );
    let resp = send(&http, auth, "mcp initialize", init, transcript).await?;
    if !resp.is_success() {
        return Err(format!(
            "initialize with the token was refused: {}",
            refusal(&resp)
        ));
    }
    let result = mcp::read_result(&resp, 1).map_err(|e| format!("initialize: {e}"))?;
    let (session, problems) = mcp::session_from_initialize(&resp, &result);
    report.problems.extend(problems);
    report.step(
        progress,
        "initialize",
        true,
        format!(
            "{} {} speaks MCP {}{}",
            session
                .server_name
                .as_deref()
                .map(shown)
                .unwrap_or_else(|| "the server".into()),
            session
                .server_version
                .as_deref()
                .map(shown)
                .unwrap_or_default(),
            session
                .protocol_version
                .as_deref()
                .unwrap_or("(a revision OAuth Desk does not know)"),
            if session.session_id.is_some() {
                ", session id issued"
            } else {
                ""
            }
        ),
    );
    let note = mcp::rpc_request(
        endpoint,
        &session,
        mcp::INITIALIZED,
        serde_json::Value::Null,
        None,
    );
    let resp = send(
        &http,
        auth,
        "mcp notifications/initialized",
        note,
        transcript,
    )
    .await?;
    if !mcp::is_accepted(&resp) {
        report.problems.push(format!("notifications/initialized was answered HTTP {}, not 202 Accepted (Streamable HTTP transport)", resp.status));
    }
    let mut cursor: Option<String> = None;
    for id in (2..).take(MAX_PAGES) {
        let req = mcp::rpc_request(
            endpoint,
            &session,
            "tools/list",
            mcp::tools_list_params(cursor.as_deref()),
            Some(id),
        );
        let resp = send(&http, auth, "mcp tools/list", req, transcript).await?;
        if !resp.is_success() {
            return Err(format!("tools/list was refused: {}", refusal(&resp)));
        }
        let result = mcp::read_result(&resp, id).map_err(|e| format!("tools/list: {e}"))?;
        let (tools, problems) = mcp::tools_from(&result);
        report.tools.extend(tools);
        report.problems.extend(problems);
        cursor = mcp::next_cursor(&result);
        if cursor.is_none() || report.tools.len() >= mcp::MAX_TOOLS {
            break;
        }
    }
    observed.tools_listed = true;
    report.step(
        progress,
        "tools/list",
        true,
        format!(
            "{} tool(s): {}",
            report.tools.len(),
            report
                .tools
                .iter()
                .take(12)
                .map(|t| shown(&t.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    report.session = Some(session);
    Ok(())
}

/// `initialize` with a string that is no token (every revision: 401), and with another
/// resource's token when asked (2025-06-18 and later: MUST be refused).
pub(super) async fn probe_tokens(
    desk: &Desk,
    endpoint: &Url,
    opts: &super::McpOptions,
    transcript: &Transcript,
    progress: &Progress,
    report: &mut McpReport,
    observed: &mut Observed,
) {
    let init = || {
        mcp::rpc_request(
            endpoint,
            &McpSession::default(),
            "initialize",
            mcp::initialize_params(),
            Some(1),
        )
    };
    let http = match desk.http().await {
        Ok(h) => h,
        Err(_) => return,
    };
    let mut bogus = init();
    bogus.headers.push((
        "authorization".into(),
        "Bearer oauthdesk-probe-this-is-not-a-token".into(),
    ));
    if let Ok(resp) = http
        .send(
            "mcp initialize (a string that is no token)",
            bogus,
            transcript,
        )
        .await
    {
        observed.invalid_token_status = Some(resp.status);
        report.step(
            progress,
            "invalid token",
            resp.status == 401,
            format!(
                "a string that is no token was answered HTTP {}",
                resp.status
            ),
        );
    }
    let Some(other) = opts.probe_audience.as_deref() else {
        return;
    };
    match desk.token(GrantRef::Current(other), 30).await {
        Ok((token, view)) => {
            let auth = match desk.client(other).await {
                Ok(client) => Auth::new(desk, &client, token, &view).await,
                Err(e) => Err(e.to_string()),
            };
            let Ok(auth) = auth else { return };
            if let Ok(resp) = send(
                &http,
                Some(&auth),
                "mcp initialize (a token for another resource)",
                init(),
                transcript,
            )
            .await
            {
                observed.audience = Some((resp.status, other.to_owned()));
                report.step(
                    progress,
                    "audience",
                    !resp.is_success(),
                    format!(
                        "{other:?}'s token (for another resource) was answered HTTP {}{}",
                        resp.status,
                        if resp.is_success() {
                            ": the server accepts tokens not issued for it"
                        } else {
                            ""
                        }
                    ),
                );
            }
        }
        Err(e) => report.step(
            progress,
            "audience",
            false,
            format!("not tested: {other:?} has no token to present ({e})"),
        ),
    }
}
