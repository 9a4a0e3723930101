//! The MCP client on the wire (Model Context Protocol, Streamable HTTP transport, revisions
//! 2025-03-26, 2025-06-18 and 2025-11-25): pure request builders and tolerant readers of the
//! answers; no I/O here — requests go through [`crate::http::HttpClient`] like every other.
//!
//! A session: POST `initialize` ([`rpc_request`] with [`initialize_params`], a default
//! [`McpSession`]), read it with [`read_result`], take the session from it with
//! [`session_from_initialize`]; POST `notifications/initialized` (a notification: `id: None`),
//! whose answer is 202 Accepted with no body — check it with [`is_accepted`], not
//! [`read_result`]; then requests such as `tools/list` ([`tools_from`]) with the session.
//!
//! Server text (tool names and descriptions, server name and version) is kept as sent, bounded
//! in size: escape it ([`crate::text::escape_controls`]) before showing it. The problems and
//! error messages made here already escape it.

mod answer;
pub mod sse;

pub use answer::{MAX_EVENTS, MAX_MESSAGES, McpAnswer, RpcError, read_answer};

use crate::error::Result;
use crate::http::{HttpRequest, HttpResponse};
use serde_json::{Value, json};
use url::Url;

pub const CLIENT_NAME: &str = "oauthdesk";
/// Revisions this client can speak, newest first; the first is offered in `initialize`.
pub const PROTOCOL_VERSIONS: [&str; 3] = ["2025-11-25", "2025-06-18", "2025-03-26"];
/// The notification that ends initialization (MCP basic/lifecycle §Initialization).
pub const INITIALIZED: &str = "notifications/initialized";
/// Most tools kept from one `tools/list` result.
pub const MAX_TOOLS: usize = 1000;
/// Longest server string kept (bytes); longer ones are cut and end in `…`.
pub const MAX_TEXT: usize = 4096;
/// Longest session id accepted (bytes).
pub const MAX_SESSION_ID: usize = 256;
/// Most problems listed by one reader; the rest are counted in a last one.
const MAX_PROBLEMS: usize = 50;

const SPEC_SESSION: &str = "MCP basic/transports §Session Management";
const SPEC_VERSION: &str = "MCP basic/lifecycle §Version Negotiation";

/// What a session carries between requests (Mcp-Session-Id, the negotiated version).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct McpSession {
    /// Whoever holds it can act in the session, so it is never serialized (CLI JSON, IPC): only
    /// whether there is one shows, as `"[redacted]"`. It is redacted in transcripts too.
    #[serde(serialize_with = "redacted_session_id")]
    pub session_id: Option<String>,
    pub protocol_version: Option<String>,
    pub server_name: Option<String>,
    pub server_version: Option<String>,
}

/// One tool of `tools/list`. `title` is the top-level `title` (2025-06-18 on), else the older
/// `annotations.title`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct McpTool {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
}

fn redacted_session_id<S: serde::Serializer>(
    id: &Option<String>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match id {
        Some(_) => s.serialize_some("[redacted]"),
        None => s.serialize_none(),
    }
}

/// A JSON-RPC POST to the MCP endpoint: `Content-Type: application/json`,
/// `Accept: application/json, text/event-stream`, and — except on `initialize`, which starts a
/// session — `MCP-Protocol-Version` once negotiated and `Mcp-Session-Id` when the session has
/// one. (The transports say the version header goes on requests *subsequent* to
/// initialization, and a new `initialize` after a 404 goes without the session id; the
/// TypeScript SDK sends `initialize` with neither.) A session id that is not visible ASCII is
/// never sent ([`session_from_initialize`] never keeps one).
///
/// `id: None` makes a notification. `params: Value::Null` leaves `params` out. No
/// Authorization header: the caller adds it.
pub fn rpc_request(
    endpoint: &Url,
    session: &McpSession,
    method: &str,
    params: Value,
    id: Option<u64>,
) -> HttpRequest {
    let mut body = serde_json::Map::new();
    body.insert("jsonrpc".into(), "2.0".into());
    if let Some(id) = id {
        body.insert("id".into(), id.into());
    }
    body.insert("method".into(), method.into());
    if !params.is_null() {
        body.insert("params".into(), params);
    }
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        (
            "accept".to_owned(),
            "application/json, text/event-stream".to_owned(),
        ),
    ];
    if method != "initialize" {
        if let Some(v) = session
            .protocol_version
            .as_deref()
            .filter(|v| visible_ascii(v))
        {
            headers.push(("mcp-protocol-version".into(), v.to_owned()));
        }
        if let Some(s) = session
            .session_id
            .as_deref()
            .filter(|s| valid_session_id(s))
        {
            headers.push(("mcp-session-id".into(), s.to_owned()));
        }
    }
    HttpRequest {
        method: "POST",
        url: endpoint.clone(),
        headers,
        body: Some(Value::Object(body).to_string()),
    }
}

/// The params of `initialize`: [`PROTOCOL_VERSIONS`]`[0]`, no client capabilities, and
/// `clientInfo` naming OAuth Desk.
pub fn initialize_params() -> Value {
    json!({
        "protocolVersion": PROTOCOL_VERSIONS[0],
        "capabilities": {},
        "clientInfo": {"name": CLIENT_NAME, "version": env!("CARGO_PKG_VERSION")},
    })
}

/// The params of `tools/list`: none, or the `cursor` of the previous page's `nextCursor`.
pub fn tools_list_params(cursor: Option<&str>) -> Value {
    match cursor {
        Some(c) => json!({ "cursor": c }),
        None => Value::Null,
    }
}

/// Whether the server accepted a notification (or a response) it was sent: the transports say
/// 202 Accepted with no body; 200 is taken too. [`read_result`] is not for these answers.
pub fn is_accepted(resp: &HttpResponse) -> bool {
    matches!(resp.status, 200 | 202)
}

/// The JSON-RPC result of the request with `id` from an answer that is either
/// `application/json` or an SSE stream (`text/event-stream`: `data:` lines joined with `\n`,
/// events split on blank lines, CRLF/CR/LF, comments, `event:` types; server requests and
/// notifications before the response are skipped and counted — see [`read_answer`] for the
/// count and the deviations). A JSON-RPC `error` becomes an error in words ("the MCP server
/// answered error -32601 Method not found — …"), and so do no response with that id, a body
/// that is neither, a content type that is neither (named), an HTTP error status.
/// Notifications are answered 202 with no body: use [`is_accepted`] for them.
pub fn read_result(resp: &HttpResponse, id: u64) -> Result<Value> {
    read_answer(resp, id)?
        .outcome
        .map_err(|e| resp.invalid(e.to_string()))
}

/// After `initialize`: the session id from the `Mcp-Session-Id` response header (visible
/// ASCII 0x21–0x7E only, at most [`MAX_SESSION_ID`] bytes — otherwise not kept, and a
/// problem), the negotiated `protocolVersion` (kept only when it is one of
/// [`PROTOCOL_VERSIONS`]) and `serverInfo` from the result. Returns the problems in words.
pub fn session_from_initialize(resp: &HttpResponse, result: &Value) -> (McpSession, Vec<String>) {
    let mut session = McpSession::default();
    let mut problems = Vec::new();
    let ids: Vec<&str> = resp
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("mcp-session-id"))
        .map(|(_, v)| v.as_str())
        .collect();
    if ids.len() > 1 {
        problems.push(format!(
            "the answer has {} Mcp-Session-Id headers; the first is used ({SPEC_SESSION})",
            ids.len()
        ));
    }
    if let Some(&id) = ids.first() {
        if valid_session_id(id) {
            session.session_id = Some(id.to_owned());
        } else {
            let why = if id.is_empty() {
                "is empty".to_owned()
            } else if id.len() > MAX_SESSION_ID {
                format!(
                    "is {} bytes long (at most {MAX_SESSION_ID} accepted)",
                    id.len()
                )
            } else {
                "holds characters other than visible ASCII (0x21–0x7E)".to_owned()
            };
            problems.push(format!(
                "the Mcp-Session-Id header {:?} {why}, which {SPEC_SESSION} forbids; it is not used, so a server that needs the session will refuse later requests",
                safe(&bounded(id, 80))
            ));
        }
    }
    if !result.is_object() {
        problems.push("the initialize result is not a JSON object".into());
        return (session, problems);
    }
    match result.get("protocolVersion") {
        Some(Value::String(v)) if PROTOCOL_VERSIONS.contains(&v.as_str()) => {
            session.protocol_version = Some(v.clone());
        }
        Some(Value::String(v)) => problems.push(format!(
            "the server chose protocol version {:?}, which OAuth Desk did not offer and does not speak ({}); {SPEC_VERSION} says the client SHOULD then disconnect",
            safe(&bounded(v, 64)),
            PROTOCOL_VERSIONS.join(", ")
        )),
        Some(_) => problems.push("the initialize result's protocolVersion is not a string".into()),
        None => problems.push(format!(
            "the initialize result has no protocolVersion ({SPEC_VERSION})"
        )),
    }
    match result.get("serverInfo") {
        Some(Value::Object(info)) => {
            for (key, slot) in [
                ("name", &mut session.server_name),
                ("version", &mut session.server_version),
            ] {
                match info.get(key) {
                    Some(Value::String(s)) => *slot = Some(bounded(s, MAX_TEXT)),
                    Some(_) => problems.push(format!("serverInfo.{key} is not a string")),
                    None => {
                        problems.push(format!("serverInfo has no {key} (the schema requires one)"))
                    }
                }
            }
        }
        Some(_) => problems.push("serverInfo is not an object".into()),
        None => {
            problems.push("the initialize result has no serverInfo (the schema requires it)".into())
        }
    }
    (session, problems)
}

/// Whether the initialize result declares the `tools` capability (MCP server/tools
/// §Capabilities): a server without it need not answer `tools/list`.
pub fn server_has_tools(result: &Value) -> bool {
    result
        .get("capabilities")
        .and_then(|c| c.get("tools"))
        .is_some_and(Value::is_object)
}

/// The `nextCursor` of a paginated result (MCP server/utilities/pagination), when it is a
/// string short enough to send back unchanged.
pub fn next_cursor(result: &Value) -> Option<String> {
    result
        .get("nextCursor")
        .and_then(Value::as_str)
        .filter(|c| c.len() <= MAX_TEXT)
        .map(str::to_owned)
}

/// `tools/list`'s result, tolerantly: entries that are not objects or have no string `name`
/// are skipped with a problem, fields of the wrong type dropped with one; bounded: at most
/// [`MAX_TOOLS`] tools, each string at most [`MAX_TEXT`] bytes (cut with `…`). One page only:
/// follow [`next_cursor`] for more.
pub fn tools_from(result: &Value) -> (Vec<McpTool>, Vec<String>) {
    let mut problems = Vec::new();
    let Some(entries) = result.get("tools") else {
        return (
            Vec::new(),
            vec!["the tools/list result has no tools member".into()],
        );
    };
    let Some(entries) = entries.as_array() else {
        return (
            Vec::new(),
            vec!["the tools/list result's tools is not an array".into()],
        );
    };
    if entries.len() > MAX_TOOLS {
        problems.push(format!(
            "the server listed {} tools; only the first {MAX_TOOLS} are kept",
            entries.len()
        ));
    }
    let mut tools: Vec<McpTool> = Vec::new();
    let mut names = std::collections::HashSet::new();
    for (i, entry) in entries.iter().take(MAX_TOOLS).enumerate() {
        let Some(name) = entry
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
        else {
            problems.push(if entry.is_object() {
                format!("tools[{i}] has no name (a non-empty string); skipped")
            } else {
                format!("tools[{i}] is not an object; skipped")
            });
            continue;
        };
        let mut text = |key: &str, value: Option<&Value>| match value {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(bounded(s, MAX_TEXT)),
            Some(_) => {
                problems.push(format!(
                    "tools[{i}] ({}): {key} is not a string; dropped",
                    safe(&bounded(name, 80))
                ));
                None
            }
        };
        let title = text("title", entry.get("title"))
            .or_else(|| text("annotations.title", entry.pointer("/annotations/title")));
        let description = text("description", entry.get("description"));
        let name = bounded(name, MAX_TEXT);
        if !names.insert(name.clone()) {
            problems.push(format!(
                "two tools are named {:?}; tools/call cannot tell them apart",
                safe(&bounded(&name, 80))
            ));
        }
        tools.push(McpTool {
            name,
            title,
            description,
        });
    }
    (tools, capped(problems))
}

/// Whether `id` may be a session id: visible ASCII only, 1 to [`MAX_SESSION_ID`] bytes.
pub fn valid_session_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_SESSION_ID && visible_ascii(id)
}

fn visible_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// `s` cut to at most `max` bytes at a character boundary, ending in `…` when cut.
pub(crate) fn bounded(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Server text made safe to put in a message.
pub(crate) fn safe(s: &str) -> String {
    crate::text::escape_controls(s, false)
}

fn capped(mut problems: Vec<String>) -> Vec<String> {
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        problems.push(format!("and {more} more problems"));
    }
    problems
}

#[cfg(test)]
mod tests;
