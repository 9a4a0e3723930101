//! `oauthdesk git-credential --client NAME get|store|erase`: git's credential helper protocol
//! (`git help credential`, "Custom helpers"). git writes `key=value` lines on stdin, ending with
//! a blank line or end of input; `get` answers `username=…`, `password=<fresh access token>` and
//! `password_expiry_utc=<unix seconds>` (git ≥ 2.41 reads it; older gits ignore it); `store` is
//! a no-op (the tokens come from OAuth logins, not from git); `erase` (git's "this credential
//! was refused") marks the token rejected, so the next `get` refreshes it.
//!
//! Input is hostile until checked: at most 64 KiB, lines without `=` ignored, values with
//! control characters refused, and nothing git sent is shown on a terminal unescaped. The token
//! goes to stdout of `get` only. Tokens are answered for `https`, and for `http` only to a
//! loopback host (a token sent in clear elsewhere would be readable on the way).

use super::relogin::token_or_login;
use crate::args::GitCredentialArgs;
use crate::output::{errln, out, safe};
use oauthdesk_core::{CoreError, Desk, Handoff};
use std::io::{BufRead, Read};

/// The most git may write to a helper (a credential is a few hundred bytes).
const MAX_INPUT: usize = 64 * 1024;

/// The username when neither `--username` nor the remote's URL gives one (GitLab, Bitbucket).
const DEFAULT_USERNAME: &str = "oauth2";

/// The attributes of git's request this helper reads.
#[derive(Debug, Default, PartialEq)]
pub struct CredentialRequest {
    pub protocol: Option<String>,
    pub host: Option<String>,
    pub username: Option<String>,
}

/// Reads git's request: `key=value` lines until a blank line or end of input, at most
/// [`MAX_INPUT`] bytes. Unknown keys and lines without `=` are skipped; a value with a control
/// character (git never sends one) is refused.
pub fn read_request(input: &mut impl BufRead) -> Result<CredentialRequest, CoreError> {
    let mut request = CredentialRequest::default();
    let mut total = 0usize;
    let mut line = Vec::new();
    loop {
        line.clear();
        let room = (MAX_INPUT + 1).saturating_sub(total) as u64;
        let n = input
            .by_ref()
            .take(room)
            .read_until(b'\n', &mut line)
            .map_err(|e| CoreError::io("reading git's credential request from stdin", e))?;
        total = total.saturating_add(n);
        if total > MAX_INPUT {
            return Err(CoreError::InvalidInput(format!(
                "git's credential request is larger than {} KiB; refused",
                MAX_INPUT / 1024
            )));
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if n == 0 || text.is_empty() {
            return Ok(request);
        }
        let Ok(text) = std::str::from_utf8(text) else {
            continue;
        };
        let Some((key, value)) = text.split_once('=') else {
            continue;
        };
        let slot = match key {
            "protocol" => &mut request.protocol,
            "host" => &mut request.host,
            "username" => &mut request.username,
            _ => continue,
        };
        if oauthdesk_core::protocol::text::has_controls(value) {
            return Err(CoreError::InvalidInput(format!(
                "git's {key} {:?} holds a control character; refused",
                safe(value)
            )));
        }
        *slot = Some(value.to_owned());
    }
}

/// Whether a token may be answered for this request, or why not.
fn check_transport(request: &CredentialRequest) -> Result<bool, CoreError> {
    let host = request.host.as_deref().unwrap_or("");
    match request.protocol.as_deref() {
        Some("https") => Ok(true),
        Some("http") if is_loopback(host) => Ok(true),
        Some("http") => Err(CoreError::InvalidInput(format!(
            "refusing to send a token to {} over plain http: use an https remote",
            safe(host)
        ))),
        // `cert` (a client certificate's passphrase), `smtp` (send-email), …: not ours.
        _ => Ok(false),
    }
}

fn is_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

pub async fn run(desk: &Desk, args: GitCredentialArgs) -> Result<u8, CoreError> {
    let request = read_request(&mut std::io::stdin().lock())?;
    let handoff = Handoff::new("git", request.host.clone());
    match args.operation.as_str() {
        "get" => get(desk, &args, &request, handoff).await,
        "erase" => {
            if check_transport(&request).unwrap_or(false) {
                desk.mark_token_rejected(&args.client, handoff).await?;
            }
            Ok(0)
        }
        // `store`: tokens come from OAuth logins; anything else: git asks helpers to ignore it.
        _ => Ok(0),
    }
}

async fn get(
    desk: &Desk,
    args: &GitCredentialArgs,
    request: &CredentialRequest,
    handoff: Handoff,
) -> Result<u8, CoreError> {
    if !check_transport(request)? {
        return Ok(0);
    }
    let handed = match token_or_login(
        desk,
        &args.client,
        handoff,
        args.min_ttl,
        args.login_if_needed,
    )
    .await
    {
        Ok(h) => h,
        Err(e @ CoreError::NeedsLogin { .. }) => {
            // No other helper and no password prompt can help: git stops and shows our error.
            out!("quit=1\n");
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let token = handed.token.expose();
    if token.is_empty() || token.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(CoreError::InvalidInput(format!(
            "{}: the access token holds a space or control character and cannot be given to git",
            args.client
        )));
    }
    let username = args
        .username
        .as_deref()
        .or(request.username.as_deref())
        .unwrap_or(DEFAULT_USERNAME);
    if handed.is_dpop() {
        errln!(
            "oauthdesk: {}: the token is DPoP-bound; a git server will refuse it without a proof",
            args.client
        );
    }
    let mut answer = format!("username={username}\npassword={token}\n");
    if let Some(at) = handed.expires_at {
        answer.push_str(&format!("password_expiry_utc={at}\n"));
    }
    out!("{answer}");
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8]) -> Result<CredentialRequest, CoreError> {
        read_request(&mut std::io::Cursor::new(input))
    }

    #[test]
    fn reads_what_git_sends_until_the_blank_line() {
        let r = read(b"capability[]=authtype\nprotocol=https\nhost=git.example.com:8443\nusername=me\npath=a/b.git\nwwwauth[]=Basic realm=\"x\"\n\nhost=after-the-blank-line\n")
            .expect("a request git sends");
        assert_eq!(
            r,
            CredentialRequest {
                protocol: Some("https".into()),
                host: Some("git.example.com:8443".into()),
                username: Some("me".into()),
            },
            "protocol, host and username are read, the rest skipped, nothing after the blank line"
        );
    }

    #[test]
    fn odd_lines_are_skipped_and_crlf_or_eof_end_cleanly() {
        let r = read(b"garbage without equals\r\n\xff\xfe=x\r\nprotocol=https\r\nhost=h")
            .expect("odd lines");
        assert_eq!(
            r.host.as_deref(),
            Some("h"),
            "the last line needs no newline"
        );
        assert_eq!(
            r.protocol.as_deref(),
            Some("https"),
            "CRLF line ends are read"
        );
        assert_eq!(
            read(b"").expect("empty"),
            CredentialRequest::default(),
            "empty input"
        );
    }

    #[test]
    fn hostile_input_is_refused_in_words() {
        let big = vec![b'a'; MAX_INPUT + 10];
        assert!(
            read(&big).is_err(),
            "more than 64 KiB without a newline is refused"
        );
        let many = "x=y\n".repeat(MAX_INPUT / 4 + 10);
        assert!(
            read(many.as_bytes()).is_err(),
            "more than 64 KiB of lines is refused"
        );
        let e = read(b"host=evil\x1b]0;pwned\x07\n").expect_err("a control character in a value");
        assert!(
            !e.to_string().contains('\u{1b}'),
            "the refusal shows the value escaped: {e}"
        );
    }

    #[test]
    fn tokens_go_over_https_or_to_loopback_only() {
        let req = |protocol: &str, host: &str| CredentialRequest {
            protocol: Some(protocol.into()),
            host: Some(host.into()),
            username: None,
        };
        assert!(matches!(
            check_transport(&req("https", "git.example.com")),
            Ok(true)
        ));
        for host in ["127.0.0.1:9418", "localhost", "[::1]:8080", "127.0.0.1"] {
            assert!(
                matches!(check_transport(&req("http", host)), Ok(true)),
                "plain http to the loopback host {host} is allowed (a local server)"
            );
        }
        assert!(
            check_transport(&req("http", "git.example.com")).is_err(),
            "a token is never sent in clear to a remote host"
        );
        assert!(
            matches!(
                check_transport(&req("cert", "/home/me/cert.p12")),
                Ok(false)
            ),
            "other protocols (a certificate's passphrase) are not answered"
        );
    }
}
