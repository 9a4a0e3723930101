//! The docker-credential-helpers protocol (github.com/docker/docker-credential-helpers,
//! `credentials/credentials.go` and `client/client.go`), as the docker CLI drives it:
//! - `get`: stdin is the server URL; stdout `{"ServerURL","Username","Secret"}`. An unknown
//!   registry is stdout `credentials not found in native keychain` and exit 1: docker compares
//!   that exact text and then goes on without credentials.
//! - `store`: stdin `{"ServerURL","Username","Secret"}`; `erase`: stdin the server URL;
//!   `list`: stdout `{"<server URL>": "<username>", …}`; `version`.
//! - Any other failure: the message on stdout (docker quotes it in its own error) and exit ≠ 0.
//!   docker passes the helper's stderr through to the terminal, so the message goes there too.

use oauthdesk_core::desk::DockerHost;
use oauthdesk_core::protocol::text::escape_controls;
use oauthdesk_core::{CoreError, HandedToken};

/// The most docker sends (a URL, or a small JSON object).
pub const MAX_INPUT: usize = 64 * 1024;

/// docker-credential-helpers' `errCredentialsNotFoundMessage`, compared by docker as is.
pub const NOT_FOUND: &str = "credentials not found in native keychain";
/// docker-credential-helpers' `errCredentialsMissingServerURLMessage`.
pub const MISSING_SERVER_URL: &str = "no credentials server URL";

pub const USAGE: &str = "Usage: docker-credential-oauthdesk <store|get|erase|list|version>\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Get,
    Store,
    Erase,
    List,
    Version,
}

impl Action {
    pub fn parse(s: &str) -> Option<Action> {
        Some(match s {
            "get" => Action::Get,
            "store" => Action::Store,
            "erase" => Action::Erase,
            "list" => Action::List,
            "version" => Action::Version,
            _ => return None,
        })
    }
}

/// What to write: stdout for docker, an optional note for stderr, the exit code.
#[derive(Debug)]
pub struct Answer {
    pub stdout: String,
    pub note: Option<String>,
    pub code: u8,
}

impl Answer {
    pub fn ok(stdout: String) -> Answer {
        Answer {
            stdout,
            note: None,
            code: 0,
        }
    }

    /// A failure in words, on stdout (docker's error quotes it) and stderr.
    pub fn failure(message: String, code: u8) -> Answer {
        let message = message.trim_end().to_owned();
        Answer {
            stdout: format!("{message}\n"),
            note: Some(message),
            code,
        }
    }

    pub fn not_found() -> Answer {
        Answer {
            stdout: format!("{NOT_FOUND}\n"),
            note: None,
            code: 1,
        }
    }

    /// A `Desk` error; a needed login exits 3, as `oauthdesk` does, and names the command.
    pub fn error(e: &CoreError) -> Answer {
        let code = if matches!(e, CoreError::NeedsLogin { .. }) {
            3
        } else {
            1
        };
        Answer::failure(escape_controls(&e.to_string(), true), code)
    }
}

/// Text from docker shown to a person: controls escaped, cut at 200 characters.
pub fn shown(s: &str) -> String {
    escape_controls(&s.chars().take(200).collect::<String>(), false)
}

/// The server URL of `get` and `erase` (one line; surrounding space and newline dropped).
pub fn server_url(input: &[u8]) -> Result<String, Answer> {
    let Ok(text) = std::str::from_utf8(input) else {
        return Err(Answer::failure("the server URL is not UTF-8".into(), 1));
    };
    let url = text.trim();
    if url.is_empty() {
        return Err(Answer::failure(MISSING_SERVER_URL.into(), 1));
    }
    Ok(url.to_owned())
}

/// The `ServerURL` of `store`'s JSON. The `Secret` in it is never looked at or kept.
pub fn stored_server_url(input: &[u8]) -> Result<String, Answer> {
    let value: serde_json::Value = serde_json::from_slice(input)
        .map_err(|e| Answer::failure(format!("store expects docker's credentials JSON: {e}"), 1))?;
    match value
        .get("ServerURL")
        .and_then(|u| u.as_str())
        .map(str::trim)
    {
        Some(u) if !u.is_empty() => Ok(u.to_owned()),
        _ => Err(Answer::failure(MISSING_SERVER_URL.into(), 1)),
    }
}

/// `get`'s answer: the URL docker asked for, the map's username, the token as the secret.
pub fn get_answer(server_url: &str, username: &str, handed: &HandedToken) -> Answer {
    let body = serde_json::json!({
        "ServerURL": server_url,
        "Username": username,
        "Secret": handed.token.expose(),
    });
    let mut answer = Answer::ok(format!("{body}\n"));
    if handed.is_dpop() {
        answer.note =
            Some("the token is DPoP-bound; a registry will refuse it without a proof".to_owned());
    }
    answer
}

/// `list`'s answer: `{server URL: username}` of every mapped host.
pub fn list_answer(maps: &[DockerHost]) -> String {
    let object: serde_json::Map<String, serde_json::Value> = maps
        .iter()
        .map(|m| {
            (
                m.server_url(),
                serde_json::Value::String(m.username.clone()),
            )
        })
        .collect();
    format!("{}\n", serde_json::Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_docker_s_names() {
        for (s, a) in [
            ("get", Action::Get),
            ("store", Action::Store),
            ("erase", Action::Erase),
            ("list", Action::List),
            ("version", Action::Version),
        ] {
            assert_eq!(Action::parse(s), Some(a), "{s} is an action");
        }
        assert_eq!(Action::parse("GET"), None, "names are exact");
        assert_eq!(Action::parse(""), None, "no action is usage");
    }

    #[test]
    fn not_found_is_the_exact_text_docker_compares() {
        let a = Answer::not_found();
        assert_eq!(a.stdout.trim(), "credentials not found in native keychain");
        assert_eq!(a.code, 1, "docker expects exit 1 with it");
    }

    #[test]
    fn inputs_are_read_safely() {
        assert_eq!(
            server_url(b"https://index.docker.io/v1/\n").ok().as_deref(),
            Some("https://index.docker.io/v1/")
        );
        let missing = server_url(b"  \n").expect_err("blank");
        assert_eq!(missing.stdout.trim(), MISSING_SERVER_URL);
        assert!(server_url(b"\xff\xfe").is_err(), "non-UTF-8 is refused");
        assert_eq!(
            stored_server_url(br#"{"ServerURL":"r.example.com","Username":"u","Secret":"s"}"#)
                .ok()
                .as_deref(),
            Some("r.example.com")
        );
        for bad in [
            &b"not json s3cret-value"[..],
            br#"{"Secret":"s3cret-value"}"#,
            br#"[1]"#,
            br#"{"ServerURL":5,"Secret":"s3cret-value"}"#,
        ] {
            let a = stored_server_url(bad).expect_err("refused");
            assert_eq!(a.code, 1, "a bad store input fails");
            assert!(
                !a.stdout.contains("s3cret-value"),
                "the refusal never repeats the secret: {}",
                a.stdout
            );
        }
    }

    #[test]
    fn list_keys_are_docker_s_server_urls() {
        let maps = [
            DockerHost {
                host: "index.docker.io".into(),
                client: "hub".into(),
                username: "me".into(),
            },
            DockerHost {
                host: "registry.example.com:5000".into(),
                client: "r".into(),
                username: "oauth2accesstoken".into(),
            },
        ];
        let v: serde_json::Value = serde_json::from_str(&list_answer(&maps)).expect("JSON");
        assert_eq!(
            v,
            serde_json::json!({
                "https://index.docker.io/v1/": "me",
                "registry.example.com:5000": "oauth2accesstoken",
            }),
            "Docker Hub under the URL docker uses for it, other registries by host"
        );
    }

    #[test]
    fn failures_are_escaped_and_exit_3_for_a_login() {
        let e = CoreError::NeedsLogin {
            client: "reg".into(),
            reason: "the grant was revoked\u{1b}[2J".into(),
        };
        let a = Answer::error(&e);
        assert_eq!(a.code, 3, "a needed login exits 3");
        assert!(
            a.stdout.contains("oauthdesk login reg"),
            "it names the command: {}",
            a.stdout
        );
        assert!(
            !a.stdout.contains('\u{1b}'),
            "controls are escaped: {:?}",
            a.stdout
        );
    }
}
