//! Reading the JSON-RPC response to one request out of a Streamable HTTP answer: a single
//! JSON object (or, in 2025-03-26, a batch array) with `application/json`, or an SSE stream
//! (`text/event-stream`) whose `message` events carry JSON-RPC messages — the server's own
//! requests and notifications (progress, logging) may come before the response and are skipped
//! and counted (MCP 2025-11-25 basic/transports §Sending Messages to the Server, items 5–6).

use super::sse;
use super::{bounded, safe};
use crate::endpoint::Deviation;
use crate::error::Result;
use crate::http::HttpResponse;
use serde_json::Value;
use std::fmt;

/// Most SSE events read from one answer.
pub const MAX_EVENTS: usize = 10_000;
/// Most JSON-RPC messages (batch elements included) looked at in one answer.
pub const MAX_MESSAGES: usize = 10_000;
/// Most method names of skipped server messages kept in [`McpAnswer::skipped_methods`].
const MAX_METHODS: usize = 16;
/// Most other response ids named when the one asked for is missing.
const MAX_IDS: usize = 8;

const SPEC_SENDING: &str = "MCP basic/transports §Sending Messages to the Server";

/// A JSON-RPC error object (JSON-RPC 2.0 §5.1): what the server said instead of a result.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    /// `None` when the server's `code` is not an integer.
    pub code: Option<i64>,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    fn from_value(error: &Value) -> Self {
        Self {
            code: error.get("code").and_then(Value::as_i64),
            message: error
                .get("message")
                .and_then(Value::as_str)
                .map(|m| bounded(m, 1024))
                .unwrap_or_default(),
            data: error.get("data").cloned(),
        }
    }

    /// What the code means, for the codes of JSON-RPC 2.0 §5.1 and MCP's own.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self.code? {
            -32700 => "parse error: the server could not read the JSON it was sent",
            -32600 => "invalid request: the server does not take this as a JSON-RPC request",
            -32601 => "the server does not offer this method (check its capabilities)",
            -32602 => "invalid params (for initialize: often a protocol version it does not speak)",
            -32603 => "an internal error of the server",
            -32002 => "the resource was not found",
            -32042 => "the server wants the user to open a URL first (URL elicitation)",
            _ => return None,
        })
    }
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the MCP server answered error ")?;
        match self.code {
            Some(code) => write!(f, "{code}")?,
            None => f.write_str("(no integer code)")?,
        }
        write!(f, " {}", safe(&self.message))?;
        if let Some(data) = &self.data {
            write!(f, ": {}", safe(&bounded(&data.to_string(), 300)))?;
        }
        if let Some(hint) = self.hint() {
            write!(f, " — {hint}")?;
        }
        Ok(())
    }
}

/// The response to one request, and what came around it.
#[derive(Debug, Clone, PartialEq)]
pub struct McpAnswer {
    /// The `result`, or the JSON-RPC `error` the server answered with.
    pub outcome: std::result::Result<Value, RpcError>,
    /// Server requests and notifications (and other responses) before the response, skipped.
    pub skipped: usize,
    /// The methods of the first skipped server messages (server text, bounded; escape before
    /// showing).
    pub skipped_methods: Vec<String>,
    /// Departures from the transport spec met while reading (the answer was still read).
    pub deviations: Vec<Deviation>,
}

/// What a scan of the messages found so far.
#[derive(Default)]
struct Scan {
    found: Option<std::result::Result<Value, RpcError>>,
    skipped: usize,
    methods: Vec<String>,
    requests: Vec<String>,
    other_ids: Vec<String>,
    null_error: Option<RpcError>,
    messages: usize,
    not_rpc: usize,
    not_json: usize,
    first_json_error: Option<String>,
    deviations: Vec<Deviation>,
}

impl Scan {
    /// Looks at one JSON-RPC message (or batch); stops once the response to `id` is found.
    fn message(&mut self, value: Value, id: u64) {
        if self.found.is_some() || self.messages >= MAX_MESSAGES {
            return;
        }
        if let Value::Array(items) = value {
            for item in items {
                self.message(item, id);
            }
            return;
        }
        self.messages += 1;
        let Value::Object(mut object) = value else {
            self.not_rpc += 1;
            return;
        };
        if let Some(method) = object.get("method") {
            let method = method.as_str().map(|m| bounded(m, 200)).unwrap_or_default();
            if object.get("id").is_some_and(|i| !i.is_null()) && self.requests.len() < MAX_METHODS {
                self.requests.push(method.clone());
            }
            if self.methods.len() < MAX_METHODS {
                self.methods.push(method);
            }
            self.skipped += 1;
            return;
        }
        if !object.contains_key("result") && !object.contains_key("error") {
            self.not_rpc += 1;
            return;
        }
        let their_id = object.get("id").cloned().unwrap_or(Value::Null);
        if their_id.as_u64() != Some(id) {
            if let (true, Some(e)) = (their_id.is_null(), object.get("error")) {
                self.null_error
                    .get_or_insert_with(|| RpcError::from_value(e));
            } else if self.other_ids.len() < MAX_IDS {
                self.other_ids.push(bounded(&their_id.to_string(), 80));
            }
            self.skipped += 1;
            return;
        }
        if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
            self.deviations.push(Deviation::new(
                "jsonrpc_version",
                "JSON-RPC 2.0 §5",
                "the response lacks \"jsonrpc\": \"2.0\"; read anyway",
            ));
        }
        self.found = Some(match (object.remove("result"), object.get("error")) {
            (_, Some(error)) => Err(RpcError::from_value(error)),
            (Some(result), None) => Ok(result),
            (None, None) => return,
        });
    }

    fn event_data(&mut self, data: &str, id: u64) {
        if data.trim().is_empty() {
            // A priming event (an id and empty data, 2025-11-25) or a keep-alive.
            return;
        }
        match serde_json::from_str::<Value>(data) {
            Ok(v) => self.message(v, id),
            Err(e) => {
                self.not_json += 1;
                self.first_json_error.get_or_insert_with(|| e.to_string());
            }
        }
    }

    /// Why no response to `id` was found, in words.
    fn missing(&self, id: u64, body: &str) -> String {
        let mut why = format!("no JSON-RPC response with id {id} in the {body}");
        if !self.other_ids.is_empty() {
            why += &format!(
                "; responses came for id {}",
                safe(&self.other_ids.join(", "))
            );
        }
        if !self.requests.is_empty() {
            why += &format!(
                "; the server sent requests OAuth Desk does not answer ({}) and may be waiting for them",
                safe(&self.requests.join(", "))
            );
        }
        if self.skipped > 0 {
            why += &format!("; {} server messages were skipped", self.skipped);
        }
        if self.not_json > 0 {
            why += &format!(
                "; {} events were not JSON ({})",
                self.not_json,
                safe(self.first_json_error.as_deref().unwrap_or(""))
            );
        }
        if self.not_rpc > 0 {
            why += &format!("; {} messages were not JSON-RPC", self.not_rpc);
        }
        if self.messages >= MAX_MESSAGES {
            why += &format!("; reading stopped after {MAX_MESSAGES} messages");
        }
        why
    }
}

/// How the body is to be read.
enum Kind {
    Json,
    Sse,
}

/// The media type of a Content-Type value, lower-cased, without parameters.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn looks_like_sse(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    ["data:", "event:", "id:", "retry:", ":"]
        .iter()
        .any(|p| text.starts_with(p))
}

/// Says in words what an error status from the MCP endpoint usually means.
fn status_hint(status: u16) -> &'static str {
    match status {
        400 => {
            "the server refused the request: often a missing or unknown Mcp-Session-Id, or an MCP-Protocol-Version it does not support"
        }
        401 => "the server wants authorization: read its WWW-Authenticate challenge",
        403 => {
            "forbidden: the token may lack a scope (see WWW-Authenticate), or the server refuses the request's Origin"
        }
        404 => {
            "not found: with an Mcp-Session-Id, the session has ended and a new initialize is needed; without one, there is no MCP endpoint at this URL"
        }
        405 => {
            "the endpoint does not take POST: not a Streamable HTTP endpoint (perhaps the older HTTP+SSE transport of 2024-11-05)"
        }
        406 => "the server does not accept `Accept: application/json, text/event-stream`",
        415 => "the server does not accept the request's Content-Type",
        _ => "the request failed",
    }
}

/// Reads the answer to the request with `id` (see the module comment). `Err` for an answer that
/// holds no response to it: an HTTP error status, 202 or an empty body, a content type that is
/// neither JSON nor SSE, a body that does not parse, or no message with that id. A JSON-RPC
/// `error` is an `Ok` answer whose `outcome` is `Err` (its code is there to match on).
/// Not for notifications: their answer is 202 with no body (see [`super::is_accepted`]).
pub fn read_answer(resp: &HttpResponse, id: u64) -> Result<McpAnswer> {
    let mut scan = Scan::default();
    let text = String::from_utf8_lossy(&resp.body);
    let media = media_type(resp.content_type());
    let kind = match media.as_str() {
        "text/event-stream" => Some(Kind::Sse),
        "application/json" => Some(Kind::Json),
        m if m.ends_with("+json") => Some(Kind::Json),
        "" if text.trim_start().starts_with(['{', '[']) => Some(Kind::Json),
        "" if looks_like_sse(&text) => Some(Kind::Sse),
        _ => None,
    };
    if !resp.is_success() {
        // An error status may still carry a JSON-RPC error (often with a null id).
        if let Some(kind) = &kind {
            read_body(&mut scan, kind, &text, id);
        }
        let reason = match scan.found.take().and_then(|o| o.err()).or(scan.null_error) {
            Some(e) => format!("{e} ({})", status_hint(resp.status)),
            None => format!(
                "{}; the body starts with {:?}",
                status_hint(resp.status),
                resp.excerpt()
            ),
        };
        return Err(resp.invalid(reason));
    }
    if resp.status == 202 || text.trim().is_empty() {
        return Err(resp.invalid(format!(
            "an empty answer (HTTP {}) to a request: a request needs a JSON-RPC response as application/json or text/event-stream (202 with no body answers notifications only)",
            resp.status
        )));
    }
    let Some(kind) = kind else {
        let shown = if media.is_empty() {
            "no Content-Type".to_owned()
        } else {
            format!(
                "Content-Type {:?}",
                safe(&bounded(resp.content_type(), 200))
            )
        };
        return Err(resp.invalid(format!(
            "the answer has {shown}, neither application/json nor text/event-stream ({SPEC_SENDING}: a request is answered with one of them); the body starts with {:?}",
            resp.excerpt()
        )));
    };
    if media.is_empty() {
        scan.deviations.push(Deviation::new(
            "mcp_no_content_type",
            SPEC_SENDING,
            format!(
                "the answer has no Content-Type; read as {}",
                match kind {
                    Kind::Json => "application/json",
                    Kind::Sse => "text/event-stream",
                }
            ),
        ));
    }
    let body = read_body(&mut scan, &kind, &text, id);
    if let Kind::Json = kind
        && scan.not_json > 0
    {
        return Err(resp.invalid(format!(
            "the body is not JSON ({}); it starts with {:?}",
            safe(scan.first_json_error.as_deref().unwrap_or("")),
            resp.excerpt()
        )));
    }
    match scan.found.take() {
        Some(outcome) => Ok(McpAnswer {
            outcome,
            skipped: scan.skipped,
            skipped_methods: scan.methods,
            deviations: scan.deviations,
        }),
        None => match scan.null_error.take() {
            Some(e) => Ok(McpAnswer {
                outcome: Err(e),
                skipped: scan.skipped,
                skipped_methods: scan.methods,
                deviations: scan.deviations,
            }),
            None => Err(resp.invalid(scan.missing(id, &body))),
        },
    }
}

/// Feeds the body's messages to `scan`; returns what the body was, in words, for messages.
fn read_body(scan: &mut Scan, kind: &Kind, text: &str, id: u64) -> String {
    match kind {
        Kind::Json => {
            scan.event_data(text, id);
            "JSON body".into()
        }
        Kind::Sse => {
            let stream = sse::parse(text, MAX_EVENTS);
            let mut other_types = 0usize;
            for event in &stream.events {
                // The SDK reads only untyped and `message` events; others are not JSON-RPC.
                if event.event == "message" {
                    scan.event_data(&event.data, id);
                } else {
                    other_types += 1;
                }
                if scan.found.is_some() {
                    break;
                }
            }
            if stream.unterminated && scan.found.is_some() {
                scan.deviations.push(Deviation::new(
                    "sse_unterminated",
                    "WHATWG HTML §9.2.6",
                    "the event stream ended inside an event (no blank line after it); its data was read anyway",
                ));
            }
            let mut body = format!("SSE stream of {} events", stream.events.len());
            if other_types > 0 {
                body += &format!(", {other_types} of them not `message` events");
            }
            if stream.truncated {
                body += &format!(", cut after {MAX_EVENTS}");
            }
            body
        }
    }
}
