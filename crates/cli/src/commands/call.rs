//! `oauthdesk call`: a request with the client's current token; the response on stdout, a
//! refusal explained on stderr, and with `--step-up` one new login asking for what the API
//! wants, then one retry.

use crate::args::CallArgs;
use crate::output::{self, errln, outln, safe, safe_lines};
use oauthdesk_core::desk::{ApiRequest, ApiResponse, CallChallenge, StepUpPlan};
use oauthdesk_core::{CoreError, Desk, GrantRef};
use std::io::{IsTerminal, Read};

/// The largest body `-d @FILE` / `-d @-` reads.
pub const MAX_BODY: u64 = 10 * 1024 * 1024;

pub async fn call(desk: &Desk, a: CallArgs) -> Result<u8, CoreError> {
    let body = match &a.data {
        Some(d) => Some(read_body(d)?),
        None => None,
    };
    if a.headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("authorization"))
    {
        return Err(CoreError::InvalidInput(
            "-H Authorization: the grant's token is the Authorization header; leave it out".into(),
        ));
    }
    // As curl: a body without -X is a POST.
    let method = a
        .method
        .clone()
        .unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_owned());
    let request = ApiRequest {
        method,
        url: a.url.clone(),
        headers: a.headers.clone(),
        body,
    };
    let first = match desk
        .call_api(GrantRef::Current(&a.name), request.clone())
        .await
    {
        Ok(r) => r,
        Err(CoreError::NeedsLogin { client, reason }) if a.step_up => {
            let Some(plan) = desk.login_again_plan(&a.name, &reason).await? else {
                return Err(CoreError::NeedsLogin { client, reason });
            };
            errln!("oauthdesk: {}", safe(&plan.reason));
            return step_up(desk, &a, &plan, request, None).await;
        }
        Err(e) => return Err(e),
    };
    if let Some(c) = &first.challenge {
        explain(&first, c, first.step_up.as_ref(), a.step_up);
    }
    match (&first.step_up, a.step_up) {
        (Some(plan), true) => {
            let plan = plan.clone();
            step_up(desk, &a, &plan, request, Some(first)).await
        }
        _ => {
            show(&first, false, None, &[], a.json);
            Ok(exit_code(&first))
        }
    }
}

/// Logs in again as `plan` says and retries once; the retry is reported as it is.
async fn step_up(
    desk: &Desk,
    a: &CallArgs,
    plan: &StepUpPlan,
    request: ApiRequest,
    first: Option<ApiResponse>,
) -> Result<u8, CoreError> {
    errln!("Re-authorizing {:?}: {}…", a.name, asks(plan));
    let progress = std::sync::Arc::new(output::progress_printer(std::io::stderr().is_terminal()));
    let grant = match desk.step_up(plan, a.no_open, progress).await {
        Ok(g) => g,
        // The login that was needed could not be done: exit 3, as `token` does.
        Err(e) => {
            errln!(
                "oauthdesk: the new login could not be done: {}",
                safe_lines(&e.to_string())
            );
            return Ok(3);
        }
    };
    let notes = plan.shortfalls(&grant);
    for note in &notes {
        errln!("note: {}", safe(note));
    }
    let r = desk.call_api(GrantRef::Id(&grant.id), request).await?;
    errln!(
        "Retried once with the new grant {}: HTTP {}.",
        safe(&grant.id),
        r.status
    );
    if let Some(c) = &r.challenge {
        // Never a second step-up: what the retry answered is the result.
        explain(&r, c, None, false);
    }
    show(&r, true, first.as_ref(), &notes, a.json);
    Ok(exit_code(&r))
}

fn exit_code(r: &ApiResponse) -> u8 {
    if (200..300).contains(&r.status) { 0 } else { 1 }
}

/// What a re-authorization asks for, in one line.
fn asks(plan: &StepUpPlan) -> String {
    let mut parts = vec![format!("scope {:?}", safe(&plan.scope))];
    if let Some(r) = &plan.resource {
        parts.push(format!("resource {}", safe(r)));
    }
    if !plan.acr_values.is_empty() {
        parts.push(format!("acr_values {}", safe(&plan.acr_values.join(" "))));
    }
    if let Some(m) = plan.max_age {
        parts.push(format!("max_age {m}"));
    }
    if plan.prompt_login {
        parts.push("prompt=login".into());
    }
    parts.join(", ")
}

/// The explanation on stderr. Its sentences are display-safe already; each goes through
/// `safe` anyway, as everything from a server does.
fn explain(r: &ApiResponse, c: &CallChallenge, plan: Option<&StepUpPlan>, stepping_up: bool) {
    errln!("oauthdesk: HTTP {}: {}", r.status, safe(&c.summary));
    for d in &c.details {
        errln!("  {}", safe(d));
    }
    for p in &c.problems {
        errln!("  problem: {}", safe(p));
    }
    if let Some(plan) = plan {
        for n in &plan.notes {
            errln!("  note: {}", safe(n));
        }
        if !stepping_up {
            errln!(
                "  step-up: run again with --step-up to log in asking for {} and retry once.",
                asks(plan)
            );
        }
    }
}

/// The response on stdout: `--json`'s object, or the status line, headers and body.
/// `retried`: `r` is the retry after a new login (`first` the refused call before it, if there
/// was one: a login needed before any call leaves none).
fn show(r: &ApiResponse, retried: bool, first: Option<&ApiResponse>, notes: &[String], json: bool) {
    if json {
        output::json(&serde_json::json!({
            "status": r.status,
            "headers": r.headers,
            "body": r.body,
            "json": serde_json::from_str::<serde_json::Value>(&r.body).ok(),
            "challenge": r.challenge,
            "step_up": r.step_up,
            "retried": retried,
            "first": first.map(|f| serde_json::json!({
                "status": f.status,
                "challenge": f.challenge,
                "step_up": f.step_up,
                "grant_id": f.grant_id,
            })),
            "grant_id": r.grant_id,
            "notes": notes,
            "duration_ms": r.duration_ms,
        }));
        return;
    }
    outln!("HTTP {}", r.status);
    for (k, v) in &r.headers {
        outln!("{}: {}", safe(k), safe(v));
    }
    outln!();
    if !r.body.is_empty() {
        let body = safe_lines(&r.body);
        if body.ends_with('\n') {
            output::out!("{body}");
        } else {
            outln!("{body}");
        }
    }
}

/// `-d`: the text, `@FILE` or `@-` (stdin), at most [`MAX_BODY`] bytes of UTF-8.
fn read_body(d: &str) -> Result<String, CoreError> {
    let Some(path) = d.strip_prefix('@') else {
        return Ok(d.to_owned());
    };
    let (what, reader): (String, Box<dyn Read>) = if path == "-" {
        ("the body on stdin".into(), Box::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(path)
            .map_err(|e| CoreError::io(format!("cannot open the body file {}", safe(path)), e))?;
        (format!("the body file {}", safe(path)), Box::new(f))
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_BODY + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CoreError::io(format!("reading {what}"), e))?;
    if bytes.len() as u64 > MAX_BODY {
        return Err(CoreError::InvalidInput(format!(
            "{what} is larger than {} MiB",
            MAX_BODY / 1024 / 1024
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        CoreError::InvalidInput(format!(
            "{what} is not UTF-8 text (byte {}); OAuth Desk sends text bodies",
            e.utf8_error().valid_up_to()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::{PWNED, assert_inert, capture};

    /// Raw control characters in a header and in the body (which is then not JSON).
    fn response(status: u16, body: &str) -> ApiResponse {
        ApiResponse {
            grant_id: "g-1".into(),
            status,
            headers: vec![("x-evil".into(), format!("v{PWNED}"))],
            body: body.to_owned(),
            pretty_json: None,
            duration_ms: 3,
            challenge: None,
            step_up: None,
        }
    }

    #[test]
    fn the_response_is_shown_with_its_control_characters_escaped() {
        let text = capture(|| {
            show(
                &response(200, &format!("line 1\nsub a{PWNED}\n")),
                false,
                None,
                &[],
                false,
            )
        });
        assert!(
            text.starts_with("HTTP 200\n"),
            "the status line comes first: {text}"
        );
        assert_inert(&text, "headers and body from the API");
        assert!(
            text.contains("line 1\nsub a\\u{1b}]0;pwned"),
            "the escapes are visible: {text}"
        );
        let json = capture(|| {
            show(
                &response(403, r#"{"sub":"a\u001b]0;pwned\u0007"}"#),
                false,
                None,
                &[],
                true,
            )
        });
        let v: serde_json::Value = serde_json::from_str(&json).expect("--json is JSON");
        for key in [
            "status",
            "headers",
            "body",
            "json",
            "challenge",
            "step_up",
            "retried",
            "first",
            "grant_id",
            "notes",
        ] {
            assert!(v.get(key).is_some(), "--json has {key}: {v}");
        }
        assert_eq!(
            v["json"]["sub"],
            format!("a{PWNED}"),
            "the body is parsed into json"
        );
        assert_eq!(v["retried"], false, "not retried without a step-up");
    }

    #[test]
    fn bodies_come_from_text_files_and_are_bounded() {
        assert_eq!(
            read_body("{\"a\":1}").expect("text"),
            "{\"a\":1}",
            "a body is the text itself"
        );
        let dir = std::env::temp_dir().join(format!("oauthdesk-call-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let file = dir.join("b.json");
        std::fs::write(&file, "{\"from\":\"file\"}").expect("write");
        assert_eq!(
            read_body(&format!("@{}", file.display())).expect("file"),
            "{\"from\":\"file\"}",
            "@FILE reads the file"
        );
        let big = dir.join("big");
        std::fs::write(&big, vec![b'a'; (MAX_BODY + 1) as usize]).expect("write");
        let e = read_body(&format!("@{}", big.display())).expect_err("too big");
        assert!(
            e.to_string().contains("larger than 10 MiB"),
            "a body over 10 MiB is refused: {e}"
        );
        let bin = dir.join("bin");
        std::fs::write(&bin, [0x61, 0xff, 0x62]).expect("write");
        let e = read_body(&format!("@{}", bin.display())).expect_err("not UTF-8");
        assert!(
            e.to_string().contains("not UTF-8 text (byte 1)"),
            "binary is refused in words: {e}"
        );
        assert!(
            read_body("@/nonexistent/x").is_err(),
            "a missing file is an error"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
