//! Copying from a transcript through Rust's clipboard (the page's clipboard is not available in
//! the webview): a step as a curl command, or a response. Transcripts are redacted when recorded;
//! what the page sends back is redacted again here, so a secret cannot reach the clipboard this
//! way even from a tampered page. Copies are kept out of clipboard managers' histories.

use crate::clipboard::{Clipboard, copy_text};
use crate::ipc::IpcError;
use oauthdesk_core::protocol::transcript::{
    RecordedRequest, RecordedResponse, redact_body, redact_header, redact_url, to_curl,
};
use tauri::State;

/// The request as curl, with each redacted value a shell variable the user fills in.
pub fn curl_text(request: &RecordedRequest) -> String {
    let again = RecordedRequest {
        method: request.method.clone(),
        url: redact_url(&request.url),
        headers: request
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), redact_header(k, v)))
            .collect(),
        body: request.body.as_deref().map(redact_body),
    };
    to_curl(&again)
}

/// The response body, redacted, and pretty-printed when it is JSON.
pub fn response_text(response: &RecordedResponse) -> String {
    let body = redact_body(&response.body);
    match serde_json::from_str::<serde_json::Value>(&body) {
        Ok(value) => serde_json::to_string_pretty(&value).unwrap_or(body),
        Err(_) => body,
    }
}

#[tauri::command]
pub fn copy_curl(
    clipboard: State<'_, Clipboard>,
    request: RecordedRequest,
) -> Result<(), IpcError> {
    copy_text(clipboard.inner(), curl_text(&request))
}

#[tauri::command]
pub fn copy_response(
    clipboard: State<'_, Clipboard>,
    response: RecordedResponse,
) -> Result<(), IpcError> {
    copy_text(clipboard.inner(), response_text(&response))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_sent_back_by_the_page_never_reaches_the_clipboard_text() {
        let request = RecordedRequest {
            method: "POST".into(),
            url: "https://as.example/token?code=raw-code".into(),
            headers: vec![("Authorization".into(), "Basic c2VjcmV0".into())],
            body: Some("grant_type=authorization_code&code=raw-code&client_secret=s3cret".into()),
        };
        let curl = curl_text(&request);
        for secret in ["raw-code", "s3cret", "c2VjcmV0"] {
            assert!(
                !curl.contains(secret),
                "{secret} must not be in the copied curl: {curl}"
            );
        }
        assert!(
            curl.starts_with("curl") && curl.contains("grant_type=authorization_code"),
            "the copy is still the request as curl: {curl}"
        );
        let response = RecordedResponse {
            status: 200,
            headers: vec![],
            body: r#"{"access_token":"at-raw","token_type":"Bearer"}"#.into(),
        };
        let text = response_text(&response);
        assert!(
            !text.contains("at-raw"),
            "the copied response is redacted: {text}"
        );
        assert!(
            text.contains("\n  \"token_type\": \"Bearer\""),
            "a JSON response is copied pretty-printed: {text}"
        );
    }
}
