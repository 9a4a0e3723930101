//! What `oauthdesk curl` reads from curl's arguments (the URL and method the DPoP proof is
//! for) and the command line it builds: the headers come from a file descriptor (`-H @FILE`,
//! curl ≥ 7.55), never from an argument.

use oauthdesk_core::{CoreError, HandedToken};
use std::ffi::OsString;

/// The request curl is about to make, as far as its arguments tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurlRequest {
    /// The first http(s) URL: `--url`'s value or a positional argument.
    pub url: Option<String>,
    /// `-X`/`--request`, else HEAD with `-I`, GET with `-G`, POST with data or a form, PUT
    /// with `-T`, else GET.
    pub method: String,
}

/// curl's short options that take a value (the rest of the argument, or the next one).
const SHORT_WITH_VALUE: &str = "AbcCdDeEFHKmoPQrtTuUwxXyYz";

/// curl's long options that take a value (a few of many: the ones whose value could look like
/// a URL, or that tell the method).
const LONG_WITH_VALUE: &[&str] = &[
    "--data",
    "--data-ascii",
    "--data-binary",
    "--data-raw",
    "--data-urlencode",
    "--json",
    "--form",
    "--form-string",
    "--header",
    "--proxy-header",
    "--output",
    "--user",
    "--user-agent",
    "--referer",
    "--proxy",
    "--preproxy",
    "--doh-url",
    "--cookie",
    "--cookie-jar",
    "--upload-file",
    "--cacert",
    "--capath",
    "--cert",
    "--key",
    "--write-out",
    "--max-time",
    "--connect-timeout",
    "--resolve",
    "--connect-to",
    "--config",
    "--range",
    "--proxy-user",
    "--request",
    "--url",
    "--oauth2-bearer",
    "--dump-header",
    "--trace",
    "--trace-ascii",
    "--retry",
    "--interface",
];

impl CurlRequest {
    pub fn of(args: &[OsString]) -> Self {
        let mut url = None;
        let mut explicit = None;
        let (mut head, mut get, mut data, mut upload) = (false, false, false, false);
        let mut seen = |opt: &str, value: Option<&str>| match opt {
            "-X" | "--request" => explicit = value.map(str::to_owned),
            "-I" | "--head" => head = true,
            "-G" | "--get" => get = true,
            "-T" | "--upload-file" => upload = true,
            "-d" | "-F" | "--json" => data = true,
            o if o.starts_with("--data") || o.starts_with("--form") => data = true,
            _ => {}
        };
        let mut i = 0;
        while i < args.len() {
            let Some(arg) = args[i].to_str() else {
                i += 1;
                continue;
            };
            let next = args.get(i + 1).and_then(|a| a.to_str());
            if let Some(long) = arg.strip_prefix("--").filter(|l| !l.is_empty()) {
                let opt = format!("--{long}");
                if LONG_WITH_VALUE.contains(&opt.as_str()) {
                    if opt == "--url" && url.is_none() {
                        url = next.filter(|u| is_http_url(u)).map(str::to_owned);
                    }
                    seen(&opt, next);
                    i += 2;
                } else {
                    seen(&opt, None);
                    i += 1;
                }
                continue;
            }
            if let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
                // Short options combine (`-sL`); one that takes a value takes the rest of the
                // argument (`-XPOST`) or the next argument (`-sX POST`).
                let mut consumed_next = false;
                for (at, c) in shorts.char_indices() {
                    let opt = format!("-{c}");
                    if SHORT_WITH_VALUE.contains(c) {
                        let rest = &shorts[at + c.len_utf8()..];
                        if rest.is_empty() {
                            seen(&opt, next);
                            consumed_next = true;
                        } else {
                            seen(&opt, Some(rest));
                        }
                        break;
                    }
                    seen(&opt, None);
                }
                i += if consumed_next { 2 } else { 1 };
                continue;
            }
            if url.is_none() && is_http_url(arg) {
                url = Some(arg.to_owned());
            }
            i += 1;
        }
        let method = match explicit {
            Some(m) => m,
            None if head => "HEAD".into(),
            None if get => "GET".into(),
            None if data => "POST".into(),
            None if upload => "PUT".into(),
            None => "GET".into(),
        };
        CurlRequest { url, method }
    }
}

fn is_http_url(s: &str) -> bool {
    oauthdesk_core::desk::parse_http_url(s).is_ok()
}

/// The header lines handed over: `Authorization: <scheme> <token>` and, for a DPoP-bound
/// token, `DPoP: <proof>`. A token that is not printable ASCII (a hostile server could send
/// one with a line break, to add headers of its own) is refused.
pub fn header_lines(handed: &HandedToken, dpop: Option<&str>) -> Result<Vec<String>, CoreError> {
    lines_for(&handed.scheme, handed.token.expose(), dpop)
}

fn lines_for(scheme: &str, token: &str, dpop: Option<&str>) -> Result<Vec<String>, CoreError> {
    let printable = |s: &str| !s.is_empty() && s.bytes().all(|b| (0x21..0x7f).contains(&b));
    if !printable(token) || !printable(scheme) {
        return Err(CoreError::InvalidInput(
            "the access token holds characters a header cannot carry (RFC 6750 §2.1 b64token); it is not handed over".into(),
        ));
    }
    let mut lines = vec![format!("Authorization: {scheme} {token}")];
    if let Some(p) = dpop {
        lines.push(format!("DPoP: {p}"));
    }
    Ok(lines)
}

/// curl's command line: the headers from `header_source` (`@/dev/fd/N`), then the user's
/// arguments as given. No token is in it.
pub fn curl_argv(header_source: &str, user_args: &[OsString]) -> Vec<OsString> {
    let mut argv: Vec<OsString> = vec!["-H".into(), header_source.into()];
    argv.extend(user_args.iter().cloned());
    argv
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(args: &[&str]) -> CurlRequest {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        CurlRequest::of(&args)
    }

    #[test]
    fn url_and_method_are_read_as_curl_reads_them() {
        let r = req(&["-s", "https://api.example.com/me"]);
        assert_eq!(r.url.as_deref(), Some("https://api.example.com/me"));
        assert_eq!(r.method, "GET", "no method, no data: GET");
        let r = req(&["-X", "PUT", "http://127.0.0.1:8080/x"]);
        assert_eq!(r.method, "PUT", "-X names the method");
        let r = req(&["-sXDELETE", "http://127.0.0.1:8080/x"]);
        assert_eq!(r.method, "DELETE", "combined short options: -sXDELETE");
        let r = req(&["-d", "a=1", "https://h.example/items"]);
        assert_eq!(r.method, "POST", "data means POST, as curl does");
        let r = req(&["--data-urlencode", "q=x", "-G", "https://h.example/s"]);
        assert_eq!(r.method, "GET", "-G sends the data in the query: GET");
        let r = req(&["-I", "https://h.example/"]);
        assert_eq!(r.method, "HEAD", "-I is HEAD");
        let r = req(&[
            "-e",
            "https://referer.example/",
            "-x",
            "http://proxy:3128",
            "https://api.example.com/me",
        ]);
        assert_eq!(
            r.url.as_deref(),
            Some("https://api.example.com/me"),
            "the values of --referer and --proxy are not the request's URL"
        );
        let r = req(&["--url", "https://api.example.com/a", "https://b.example/"]);
        assert_eq!(
            r.url.as_deref(),
            Some("https://api.example.com/a"),
            "--url's value"
        );
        assert_eq!(req(&["-s", "example.com"]).url, None, "no http(s) URL");
    }

    #[test]
    fn the_command_line_carries_no_token() {
        let lines = lines_for("Bearer", "s3cr3t-access-token", None).unwrap();
        assert_eq!(lines, ["Authorization: Bearer s3cr3t-access-token"]);
        let lines = lines_for("DPoP", "s3cr3t-access-token", Some("eyJproof")).unwrap();
        assert_eq!(
            lines,
            ["Authorization: DPoP s3cr3t-access-token", "DPoP: eyJproof"],
            "a DPoP-bound token goes with its proof"
        );
        let user: Vec<OsString> = ["-s", "https://api.example.com/me"]
            .iter()
            .map(OsString::from)
            .collect();
        let argv = curl_argv("@/dev/fd/3", &user);
        assert!(
            argv.iter()
                .all(|a| !a.to_string_lossy().contains("s3cr3t-access-token")),
            "the token is not on curl's command line (ps would show it): {argv:?}"
        );
        assert_eq!(
            argv[..2],
            ["-H", "@/dev/fd/3"],
            "headers come from the pipe"
        );
        assert!(
            lines_for("Bearer", "t\r\nX-Evil: 1", None).is_err(),
            "a token with a line break cannot add headers"
        );
    }
}
