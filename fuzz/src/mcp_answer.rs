//! The `mcp_answer` target: the MCP answer readers and their properties.

use oauthdesk_protocol::http::HttpResponse;
use serde_json::Value;

/// The MCP answer readers (`mcp::read_answer`, `mcp::read_result` for id 1) on any bytes, as
/// the body of a 200 answer with `application/json` and with `text/event-stream` (the first
/// line is also its `Mcp-Session-Id` header), and as a response built by [`response`]; any
/// result then goes through `mcp::tools_from` and `mcp::session_from_initialize`, and so does a
/// body that is JSON itself. Properties: the bounds hold (tools, string sizes, a kept session id
/// is valid) and no error or problem carries a raw control character.
pub fn mcp_answer(data: &[u8]) {
    use oauthdesk_protocol::mcp;
    fn words(what: &str, text: &str) {
        assert!(
            !oauthdesk_protocol::text::has_controls(text),
            "{what} shows a raw control character: {text:?}"
        );
    }
    fn results(resp: &HttpResponse, result: &Value) {
        let (tools, problems) = mcp::tools_from(result);
        assert!(tools.len() <= mcp::MAX_TOOLS, "{} tools kept", tools.len());
        for t in &tools {
            for s in [Some(&t.name), t.title.as_ref(), t.description.as_ref()]
                .into_iter()
                .flatten()
            {
                assert!(
                    s.len() <= mcp::MAX_TEXT,
                    "a tool string of {} bytes",
                    s.len()
                );
            }
        }
        assert!(problems.len() <= 51, "{} problems listed", problems.len());
        let (session, more) = mcp::session_from_initialize(resp, result);
        if let Some(id) = &session.session_id {
            assert!(
                mcp::valid_session_id(id),
                "an invalid session id kept: {id:?}"
            );
        }
        for p in problems.iter().chain(&more) {
            words("a tools or session problem", p);
        }
        let _ = (mcp::server_has_tools(result), mcp::next_cursor(result));
    }
    let session_id = super::text(data.split(|&b| b == b'\n').next().unwrap_or_default());
    let mut responses: Vec<HttpResponse> = ["application/json", "text/event-stream"]
        .iter()
        .map(|ct| HttpResponse {
            url: "https://mcp.example/mcp".into(),
            status: 200,
            headers: vec![
                ("content-type".into(), (*ct).into()),
                ("mcp-session-id".into(), session_id.clone()),
            ],
            body: data.to_vec(),
        })
        .collect();
    responses.push(super::response(data));
    for resp in &responses {
        match mcp::read_answer(resp, 1) {
            Ok(answer) => {
                match &answer.outcome {
                    Ok(result) => results(resp, result),
                    Err(e) => words("a JSON-RPC error", &e.to_string()),
                }
                let _ = format!("{:?}", answer.deviations);
            }
            Err(e) => words("a read_answer error", &e.to_string()),
        }
        if let Err(e) = mcp::read_result(resp, 1) {
            words("a read_result error", &e.to_string());
        }
    }
    if let Ok(value) = serde_json::from_slice::<Value>(data) {
        results(&responses[0], &value);
    }
}
