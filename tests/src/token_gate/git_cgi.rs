//! The real `git http-backend` (git's smart HTTP server, a CGI program) behind the gate: each
//! accepted request runs it once with the CGI variables of RFC 3875 and the request body on
//! stdin; its `Status:` and headers become the response.

use super::{Request, Response};
use std::path::Path;
use std::process::Stdio;
use tokio::io::AsyncWriteExt;

pub async fn serve(project_root: &Path, request: &Request, user: &str) -> Response {
    let mut cmd = tokio::process::Command::new("git");
    cmd.arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GIT_PROJECT_ROOT", project_root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", project_root)
        .env("REQUEST_METHOD", &request.method)
        .env("PATH_INFO", &request.path)
        .env("QUERY_STRING", &request.query)
        .env("CONTENT_LENGTH", request.body.len().to_string())
        .env("REMOTE_USER", user)
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(t) = request.header("content-type") {
        cmd.env("CONTENT_TYPE", t);
    }
    if let Some(e) = request.header("content-encoding") {
        cmd.env("HTTP_CONTENT_ENCODING", e);
    }
    if let Some(p) = request.header("git-protocol") {
        cmd.env("GIT_PROTOCOL", p);
    }
    let Ok(mut child) = cmd.spawn() else {
        return failed("git http-backend did not start");
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(&request.body).await;
    }
    let Ok(out) = child.wait_with_output().await else {
        return failed("git http-backend failed");
    };
    parse_cgi(&out.stdout)
}

/// A CGI response: header lines, a blank line, the body.
fn parse_cgi(out: &[u8]) -> Response {
    let (head_len, sep) = match out.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (i, 4),
        None => match out.windows(2).position(|w| w == b"\n\n") {
            Some(i) => (i, 2),
            None => return failed("git http-backend wrote no CGI head"),
        },
    };
    let head = String::from_utf8_lossy(&out[..head_len]).into_owned();
    let mut status = 200;
    let mut headers = Vec::new();
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_owned();
        if name.eq_ignore_ascii_case("status") {
            status = value
                .split(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(500);
        } else {
            headers.push((name.trim().to_owned(), value));
        }
    }
    Response {
        status,
        headers,
        body: out[head_len + sep..].to_vec(),
    }
}

fn failed(why: &str) -> Response {
    Response {
        status: 500,
        headers: vec![("Content-Type".into(), "text/plain".into())],
        body: why.as_bytes().to_vec(),
    }
}
