use super::*;

fn answer(status: u16, content_type: &str, body: &str) -> HttpResponse {
    let mut headers = Vec::new();
    if !content_type.is_empty() {
        headers.push(("content-type".to_owned(), content_type.to_owned()));
    }
    HttpResponse {
        url: "https://mcp.example/mcp".into(),
        status,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn sse(body: &str) -> HttpResponse {
    answer(200, "text/event-stream", body)
}

fn err_text(resp: &HttpResponse, id: u64) -> String {
    match read_result(resp, id) {
        Ok(v) => panic!("expected an error, got the result {v}"),
        Err(e) => e.to_string(),
    }
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

const RESULT_1: &str = r#"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#;

#[test]
fn a_json_body_gives_its_result() {
    let resp = answer(200, "application/json; charset=utf-8", RESULT_1);
    let result = read_result(&resp, 1).expect("a JSON response with the id is read");
    assert_eq!(
        result,
        json!({"tools": []}),
        "the result member is returned as sent"
    );
    let batch = answer(
        200,
        "application/json",
        r#"[{"jsonrpc":"2.0","method":"notifications/message","params":{}},{"jsonrpc":"2.0","id":1,"result":7}]"#,
    );
    assert_eq!(
        read_result(&batch, 1).ok(),
        Some(json!(7)),
        "a 2025-03-26 batch array is searched for the response"
    );
}

#[test]
fn an_sse_stream_with_one_event_gives_its_result() {
    let resp = sse(&format!("event: message\ndata: {RESULT_1}\n\n"));
    assert_eq!(
        read_result(&resp, 1).ok(),
        Some(json!({"tools": []})),
        "the response inside one `message` event is read"
    );
}

#[test]
fn server_messages_before_the_response_are_skipped_and_counted() {
    let body = concat!(
        "id: prime-0\ndata:\n\n",
        "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":50}}\n\n",
        "data: {\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}\n\n",
        "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}\n\n",
    );
    let a = read_answer(&sse(body), 1).expect("the response after the server's messages is read");
    assert_eq!(
        a.outcome,
        Ok(json!({"ok": true})),
        "the response is found after them"
    );
    assert_eq!(
        a.skipped, 2,
        "a notification and a request before it are counted"
    );
    assert_eq!(
        a.skipped_methods,
        vec!["notifications/progress".to_owned(), "ping".to_owned()],
        "their methods are named"
    );
    assert!(
        a.deviations.is_empty(),
        "a priming event (id, empty data) is normal, not a deviation: {:?}",
        a.deviations
    );
}

#[test]
fn multi_line_data_crlf_and_comments_are_read() {
    let multi =
        sse("data: {\"jsonrpc\":\"2.0\",\ndata: \"id\":1,\ndata: \"result\":\"two lines\"}\n\n");
    assert_eq!(
        read_result(&multi, 1).ok(),
        Some(json!("two lines")),
        "data lines of one event are joined into one JSON message"
    );
    let crlf = sse(&format!("event: message\r\ndata: {RESULT_1}\r\n\r\n"));
    assert!(
        read_result(&crlf, 1).is_ok(),
        "CRLF line ends split events too"
    );
    let cr = sse(&format!("data: {RESULT_1}\r\r"));
    assert!(read_result(&cr, 1).is_ok(), "a CR alone ends lines too");
    let comments = sse(&format!(": keep-alive\n\n:another\ndata: {RESULT_1}\n\n"));
    assert!(
        read_result(&comments, 1).is_ok(),
        "comment lines are skipped, not read as data"
    );
}

#[test]
fn only_message_events_carry_json_rpc() {
    let body = format!(
        "event: endpoint\ndata: /messages?session=1\n\nevent: message\ndata: {RESULT_1}\n\n"
    );
    assert!(
        read_result(&sse(&body), 1).is_ok(),
        "an event of another type is skipped (not a JSON error) and the message event read"
    );
    let only_other = sse(&format!("event: update\ndata: {RESULT_1}\n\n"));
    let e = err_text(&only_other, 1);
    assert!(
        e.contains("not `message` events"),
        "a response in a non-message event is not taken, and the message says why: {e}"
    );
}

#[test]
fn a_json_rpc_error_is_an_error_in_words() {
    let resp = answer(
        200,
        "application/json",
        r#"{"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"Method not found","data":"tools/list"}}"#,
    );
    let a = read_answer(&resp, 4).expect("an error response is an answer");
    assert_eq!(
        a.outcome.as_ref().err().and_then(|e| e.code),
        Some(-32601),
        "the code is there to match on"
    );
    let e = err_text(&resp, 4);
    assert!(
        e.contains("the MCP server answered error -32601 Method not found: \"tools/list\""),
        "code, message and data are said: {e}"
    );
    assert!(
        e.contains("does not offer this method"),
        "the code is explained: {e}"
    );
    let hostile = answer(
        200,
        "application/json",
        r#"{"jsonrpc":"2.0","id":4,"error":{"code":1,"message":"bad\u001b]0;x\u0007"}}"#,
    );
    let e = err_text(&hostile, 4);
    assert!(
        !crate::text::has_controls(&e),
        "server text in the error cannot drive a terminal: {e:?}"
    );
}

#[test]
fn an_error_status_with_a_json_rpc_error_of_no_id_is_said() {
    let resp = answer(
        400,
        "application/json",
        r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Bad Request: No valid session ID provided"}}"#,
    );
    let e = err_text(&resp, 2);
    assert!(
        e.contains("No valid session ID provided") && e.contains("Mcp-Session-Id"),
        "the server's error and what 400 usually means are both said: {e}"
    );
    let e = err_text(&answer(405, "text/plain", "Method Not Allowed"), 1);
    assert!(
        e.contains("HTTP+SSE"),
        "405 points at the older transport: {e}"
    );
}

#[test]
fn a_response_for_another_id_only_is_not_taken() {
    let resp = sse("data: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}\n\n");
    let e = err_text(&resp, 1);
    assert!(
        e.contains("no JSON-RPC response with id 1") && e.contains("id 7"),
        "a response to another request is not ours, and the ids are named: {e}"
    );
    let string_id = answer(
        200,
        "application/json",
        r#"{"jsonrpc":"2.0","id":"1","result":{}}"#,
    );
    let e = err_text(&string_id, 1);
    assert!(
        e.contains("\"1\""),
        "an id of the wrong type is not ours, and is shown as the string it is: {e}"
    );
    let waiting = sse("data: {\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"elicitation/create\"}\n\n");
    let e = err_text(&waiting, 1);
    assert!(
        e.contains("elicitation/create") && e.contains("does not answer"),
        "a server request we leave unanswered is named: {e}"
    );
}

#[test]
fn empty_answers_to_requests_are_refused() {
    let e = err_text(&answer(200, "application/json", ""), 1);
    assert!(
        e.contains("empty answer (HTTP 200)"),
        "an empty 200 body is not a result: {e}"
    );
    let e = err_text(&answer(202, "", ""), 1);
    assert!(
        e.contains("202 with no body answers notifications only"),
        "202 to a request is explained: {e}"
    );
    let e = err_text(&sse(": only a comment\n\n"), 1);
    assert!(
        e.contains("SSE stream of 0 events"),
        "a stream without the response says what it held: {e}"
    );
}

#[test]
fn a_content_type_that_is_neither_is_named() {
    let e = err_text(
        &answer(200, "text/html; charset=utf-8", "<html>login</html>"),
        1,
    );
    assert!(
        e.contains("Content-Type \"text/html; charset=utf-8\"") && e.contains("<html>login"),
        "the content type and the body's start are shown: {e}"
    );
    let bare = answer(200, "", RESULT_1);
    let a = read_answer(&bare, 1).expect("JSON without a Content-Type is still read");
    assert_eq!(
        a.deviations.first().map(|d| d.code.as_str()),
        Some("mcp_no_content_type"),
        "but the missing Content-Type is a deviation"
    );
    let e = err_text(&answer(200, "application/json", "{not json"), 1);
    assert!(
        e.contains("not JSON"),
        "a JSON body that does not parse is said so: {e}"
    );
}

#[test]
fn initialize_goes_without_session_headers_and_later_requests_carry_them() {
    let endpoint = Url::parse("https://mcp.example/mcp").expect("a URL");
    let session = McpSession {
        session_id: Some("1868a90c-abc".into()),
        protocol_version: Some("2025-06-18".into()),
        ..McpSession::default()
    };
    let init = rpc_request(
        &endpoint,
        &session,
        "initialize",
        initialize_params(),
        Some(1),
    );
    assert_eq!(init.method, "POST", "every message is a POST");
    assert_eq!(
        header(&init, "content-type"),
        Some("application/json"),
        "JSON body"
    );
    assert_eq!(
        header(&init, "accept"),
        Some("application/json, text/event-stream"),
        "Accept lists both content types (a MUST)"
    );
    assert_eq!(
        (
            header(&init, "mcp-protocol-version"),
            header(&init, "mcp-session-id")
        ),
        (None, None),
        "initialize starts a session: no version header, no old session id"
    );
    let body: Value = serde_json::from_str(init.body.as_deref().unwrap_or("")).expect("JSON");
    assert_eq!(
        (
            &body["jsonrpc"],
            &body["id"],
            &body["params"]["protocolVersion"]
        ),
        (&json!("2.0"), &json!(1), &json!(PROTOCOL_VERSIONS[0])),
        "a JSON-RPC request offering the newest revision"
    );
    assert_eq!(
        body["params"]["clientInfo"]["name"], CLIENT_NAME,
        "clientInfo names us"
    );
    let list = rpc_request(&endpoint, &session, "tools/list", Value::Null, Some(2));
    assert_eq!(
        (
            header(&list, "mcp-protocol-version"),
            header(&list, "mcp-session-id")
        ),
        (Some("2025-06-18"), Some("1868a90c-abc")),
        "later requests carry the negotiated version and the session id"
    );
    assert!(
        header(&list, "authorization").is_none(),
        "no Authorization: the caller adds it"
    );
    let note = rpc_request(&endpoint, &session, INITIALIZED, Value::Null, None);
    let body: Value = serde_json::from_str(note.body.as_deref().unwrap_or("")).expect("JSON");
    assert!(
        body.get("id").is_none() && body.get("params").is_none(),
        "a notification has no id, and null params are left out: {body}"
    );
    let bad = McpSession {
        session_id: Some("a\r\nX-Evil: 1".into()),
        ..McpSession::default()
    };
    let req = rpc_request(&endpoint, &bad, "tools/list", Value::Null, Some(3));
    assert!(
        header(&req, "mcp-session-id").is_none(),
        "a session id with control characters is never sent"
    );
}

#[test]
fn the_session_comes_from_the_initialize_answer() {
    let mut resp = answer(200, "application/json", "");
    resp.headers
        .push(("Mcp-Session-Id".into(), "abc-123".into()));
    let result = json!({
        "protocolVersion": "2025-06-18",
        "capabilities": {"tools": {}},
        "serverInfo": {"name": "demo", "version": "1.2.3"},
    });
    let (session, problems) = session_from_initialize(&resp, &result);
    assert!(
        problems.is_empty(),
        "a clean answer has no problems: {problems:?}"
    );
    assert_eq!(
        session,
        McpSession {
            session_id: Some("abc-123".into()),
            protocol_version: Some("2025-06-18".into()),
            server_name: Some("demo".into()),
            server_version: Some("1.2.3".into()),
        },
        "session id (header name in any case), version and serverInfo are taken"
    );
    assert!(server_has_tools(&result), "the tools capability is seen");
    let (_, problems) = session_from_initialize(&resp, &json!({"protocolVersion": "2024-11-05"}));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("2024-11-05") && p.contains("SHOULD then disconnect")),
        "a version we did not offer and do not speak is a problem: {problems:?}"
    );
}

#[test]
fn a_session_id_with_control_characters_is_refused() {
    for bad in ["abc\u{1b}[31m", "has space", "é-not-ascii", ""] {
        let mut resp = answer(200, "application/json", "");
        resp.headers.push(("mcp-session-id".into(), bad.into()));
        let (session, problems) = session_from_initialize(&resp, &json!({}));
        assert_eq!(
            session.session_id, None,
            "{bad:?} is not kept as a session id"
        );
        let said = problems.iter().find(|p| p.contains("Mcp-Session-Id"));
        assert!(
            said.is_some(),
            "refusing {bad:?} is a problem: {problems:?}"
        );
        assert!(
            !crate::text::has_controls(said.map(String::as_str).unwrap_or("")),
            "the refused value is shown escaped: {said:?}"
        );
    }
    let mut resp = answer(200, "application/json", "");
    resp.headers
        .push(("mcp-session-id".into(), "x".repeat(MAX_SESSION_ID + 1)));
    let (session, _) = session_from_initialize(&resp, &json!({}));
    assert_eq!(
        session.session_id, None,
        "an overlong session id is not kept"
    );
}

#[test]
fn tools_from_keeps_good_entries_and_names_odd_ones() {
    let result = json!({"tools": [
        {"name": "echo", "title": "Echo", "description": "says it back", "inputSchema": {}},
        {"name": "old", "annotations": {"title": "Old style"}},
        {"title": "no name"},
        "just a string",
        {"name": 42},
        {"name": "typed", "description": {"not": "text"}},
        {"name": "echo"},
        {"name": "big", "description": "é".repeat(5000)},
    ], "nextCursor": "page-2"});
    let (tools, problems) = tools_from(&result);
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["echo", "old", "typed", "echo", "big"],
        "entries with a name are kept, the others skipped"
    );
    assert_eq!(tools[0].title.as_deref(), Some("Echo"), "title is read");
    assert_eq!(
        tools[1].title.as_deref(),
        Some("Old style"),
        "annotations.title (2025-03-26) stands in for title"
    );
    assert_eq!(
        tools[2].description, None,
        "a description that is not a string is dropped"
    );
    let big = tools[4].description.as_deref().unwrap_or("");
    assert!(
        big.len() <= MAX_TEXT && big.ends_with('…'),
        "a long description is cut to {MAX_TEXT} bytes with …: {} bytes",
        big.len()
    );
    for expected in [
        "tools[2] has no name",
        "tools[3] is not an object",
        "tools[4] has no name",
        "description is not a string",
        "two tools are named \"echo\"",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected:?} is among the problems: {problems:?}"
        );
    }
    assert_eq!(
        next_cursor(&result).as_deref(),
        Some("page-2"),
        "the next page is found"
    );
    let (none, problems) = tools_from(&json!({"tools": "nope"}));
    assert!(
        none.is_empty() && !problems.is_empty(),
        "tools that is not an array is a problem"
    );
    let many =
        json!({"tools": (0..1500).map(|i| json!({"name": format!("t{i}")})).collect::<Vec<_>>()});
    let (tools, problems) = tools_from(&many);
    assert_eq!(tools.len(), MAX_TOOLS, "at most {MAX_TOOLS} tools are kept");
    assert!(
        problems.iter().any(|p| p.contains("1500 tools")),
        "the cut is said: {problems:?}"
    );
}

#[test]
fn notifications_are_accepted_with_200_or_202() {
    assert!(
        is_accepted(&answer(202, "", "")),
        "202 Accepted is the spec's answer"
    );
    assert!(is_accepted(&answer(200, "", "")), "200 is taken too");
    assert!(
        !is_accepted(&answer(400, "", "")),
        "an error status is not acceptance"
    );
}
