//! The MCP messages of the flow: `initialize`, `notifications/initialized`, `tools/list`
//! (Streamable HTTP), with the grant's token as Bearer or DPoP (with a proof per request,
//! RFC 9449 §7), and the two token probes: a string that is no token, and, when asked, a token
//! for another resource (MCP "Token Audience Binding and Validation").

use super::{McpReport, Observed, shown};
use crate::desk::{Desk, GrantRef};
use crate::model::{Client, Progress};
use oauthdesk_protocol::AccessToken;
use oauthdesk_protocol::http::{HttpRequest, HttpResponse};
use oauthdesk_protocol::mcp::{self, McpSession};
use oauthdesk_protocol::transcript::Transcript;
use url::Url;

/// How to authorize MCP requests.
pub(super) struct Auth {
    pub(super) token: AccessToken,
    pub(super) token_type: String,
    pub(super) client: Client,
}

/// At most this many `tools/list` pages are read.
const MAX_PAGES: usize = 20;

/// Sends one MCP request, with the token when there is one.
async fn send(
    desk: &Desk,
    auth: Option<&Auth>,
    step: &str,
    mut req: HttpRequest,
    transcript: &Transcript,
) -> Result<HttpResponse, String> {
    let client = auth.map(|a| &a.client);
    let http = match client {
        Some(c) => desk.http_for(c).await,
        None => desk.http().await,
    }
    .map_err(|e| e.to_string())?;
    let Some(auth) = auth else {
        return http
            .send(step, req, transcript)
            .await
            .map_err(|e| e.to_string());
    };
    if auth.token_type.eq_ignore_ascii_case("dpop") {
        let key = desk
            .dpop_key(&auth.client, false)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the grant is DPoP-bound but the client's DPoP key is not in the keychain")?;
        req.headers.push((
            "authorization".into(),
            format!("DPoP {}", auth.token.expose()),
        ));
        return oauthdesk_protocol::dpop::send(
            &http,
            transcript,
            step,
            req,
            &key,
            Some(auth.token.expose()),
        )
        .await
        .map_err(|e| e.to_string());
    }
    req.headers.push((
        "authorization".into(),
        format!("Bearer {}", auth.token.expose()),
    ));
    http.send(step, req, transcript)
        .await
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
    let init = mcp::rpc_request(
        endpoint,
        &McpSession::default(),
        "initialize",
        mcp::initialize_params(),
        Some(1),
    );
    let resp = send(desk, auth, "mcp initialize", init, transcript).await?;
    observed.authorized_status = Some(resp.status);
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
        desk,
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
        let resp = send(desk, auth, "mcp tools/list", req, transcript).await?;
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
            let client = match desk.client(other).await {
                Ok(c) => c,
                Err(_) => return,
            };
            let auth = Auth {
                token,
                token_type: view.token_type,
                client,
            };
            if let Ok(resp) = send(
                desk,
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
