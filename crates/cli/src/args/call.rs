//! `oauthdesk call`: a request to an API with a grant's token.

use super::values::{ArgError, parse_text};
use clap::Args;

#[derive(Args)]
#[command(after_help = "Examples:
  oauthdesk call api https://api.example.com/v1/me
  oauthdesk call api https://api.example.com/v1/items -X POST -H 'Content-Type: application/json' -d '{\"name\":\"x\"}'
  oauthdesk call api https://api.example.com/v1/items -X PUT -d @item.json
  echo '{}' | oauthdesk call api https://api.example.com/v1/items -X POST -d @-
  oauthdesk call api https://api.example.com/v1/admin --step-up --json

The status line, the response headers and the body go to stdout; a refusal (401/403 and their
WWW-Authenticate challenge) is explained on stderr. With --step-up, a refusal a new login can
satisfy (missing scopes, RFC 6750 §3.1; a stronger or fresher authentication, RFC 9470; an expired,
revoked or wrong-audience token) logs in again asking for exactly that, stores the new grant and
retries once.

--json prints one object: status, headers ([name, value] pairs), body (text), json (the body
parsed, or null), challenge (the explanation, or null), step_up (the re-authorization a new
login would do, or null), retried (whether the call was retried after a step-up), first (the
first attempt's status, challenge and step_up when it was retried, else null), grant_id (the
grant whose token answered) and notes (what the new grant holds against what was asked for).

Exit status: 0 for a 2xx answer, 1 otherwise, 3 when a login is needed and could not be done.")]
pub struct CallArgs {
    /// The client whose current grant's access token is sent.
    pub name: String,
    /// The API's URL (https, or http on loopback).
    #[arg(value_parser = parse_text)]
    pub url: String,
    /// The method: GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS (default GET; POST with -d, as curl).
    #[arg(short = 'X', long = "request", value_name = "METHOD", value_parser = parse_text)]
    pub method: Option<String>,
    /// A request header `Name: value`; repeatable. Authorization is the grant's and cannot be set.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    pub headers: Vec<(String, String)>,
    /// The request body: the text itself, @FILE for a file's contents, @- for stdin (10 MiB at most).
    #[arg(short = 'd', long = "data", value_name = "BODY|@FILE|@-")]
    pub data: Option<String>,
    /// When the API refuses and says what it wants, log in again asking for it and retry once.
    #[arg(long)]
    pub step_up: bool,
    /// With --step-up: print the authorization URL instead of opening the browser.
    #[arg(long, requires = "step_up")]
    pub no_open: bool,
    #[arg(long)]
    pub json: bool,
}

/// Why a `-H` value was refused.
#[derive(Debug, thiserror::Error)]
pub enum HeaderError {
    #[error(transparent)]
    Text(#[from] ArgError),
    #[error(
        "expected NAME: VALUE with NAME a token (letters, digits, !#$%&'*+-.^_`|~; RFC 9110 §5.1), got {0:?}"
    )]
    NotAHeader(String),
}

/// `Name: value` (RFC 9110 §5.1: the name a token, the value printable). The value's surrounding
/// whitespace is dropped, as RFC 9110 §5.5 reads a field value.
pub fn parse_header(s: &str) -> Result<(String, String), HeaderError> {
    let value = parse_text(s)?;
    let Some((name, v)) = value.split_once(':') else {
        return Err(HeaderError::NotAHeader(s.to_owned()));
    };
    let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(tchar) {
        return Err(HeaderError::NotAHeader(s.to_owned()));
    }
    Ok((name.to_owned(), v.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::parse_header;

    #[test]
    fn headers_are_name_colon_value() {
        assert_eq!(
            parse_header("Content-Type:  application/json ").expect("a header"),
            ("Content-Type".to_owned(), "application/json".to_owned()),
            "the name before the first colon, the value trimmed"
        );
        assert_eq!(
            parse_header("X-Empty:").expect("an empty value is a header"),
            ("X-Empty".to_owned(), String::new()),
            "an empty value is allowed"
        );
        for bad in ["no colon", ": v", "Bad Name: v", "X: a\nInjected: b"] {
            assert!(
                parse_header(bad).is_err(),
                "{bad:?} is refused: a header name is a token and no line break may be smuggled"
            );
        }
    }
}
