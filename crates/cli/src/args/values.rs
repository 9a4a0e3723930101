//! Value parsers for arguments clap cannot read by itself (durations, `KEY=VALUE` pairs), for
//! text that is sent to a server or stored (which must hold no control character: it would be
//! sent as is, and could later drive the terminal of whoever looks at it), and `ArgError`, the
//! error they give clap to print after "invalid value … for …: ".

use oauthdesk_core::protocol::text::has_controls;

/// Why free text is refused a control character, after the "; " of the message.
const PRINTABLE: &str = "what is sent to a server or stored must be printable text on one line";

/// Why an argument value was refused. The messages are part of the command-line contract.
#[derive(Debug, thiserror::Error)]
pub enum ArgError {
    #[error("expected a duration like 90s, 30m, 2h or 7d, got {0:?}")]
    NotADuration(String),
    #[error("unknown unit {unit:?} in {value:?} (use s, m, h or d)")]
    UnknownUnit { unit: String, value: String },
    #[error("expected KEY=VALUE, got {0:?}")]
    NotKeyValue(String),
    /// `kind` is "control character" or, for the bidirectional overrides that can disguise
    /// text, "bidirectional formatting character".
    #[error("the {what} contains a {kind} (U+{code:04X}); {rule}")]
    Control {
        what: &'static str,
        kind: &'static str,
        code: u32,
        rule: &'static str,
    },
    #[error(
        "the scope contains {ch:?} (U+{code:04X}), which a scope token cannot hold; scope tokens are printable ASCII other than space, '\"' and '\\' (RFC 6749 §3.3)"
    )]
    NotAScopeCharacter { ch: char, code: u32 },
}

/// Refuses `s` if it holds a character `escape_controls` would escape (see `protocol::text`).
fn refuse_controls(s: &str, what: &'static str, rule: &'static str) -> Result<(), ArgError> {
    let mut buf = [0; 4];
    match s.chars().find(|c| has_controls(c.encode_utf8(&mut buf))) {
        None => Ok(()),
        Some(c) => Err(ArgError::Control {
            what,
            kind: if c.is_control() {
                "control character"
            } else {
                "bidirectional formatting character"
            },
            code: c.into(),
            rule,
        }),
    }
}

/// Free text that is sent to a server or stored (a client id, a URL, a username, …): any
/// printable text, refused if it holds a control character.
pub fn parse_text(s: &str) -> Result<String, ArgError> {
    refuse_controls(s, "value", PRINTABLE)?;
    Ok(s.to_owned())
}

/// A new client's name: shown in every table and typed in every command, so printable.
pub fn parse_client_name(s: &str) -> Result<String, ArgError> {
    refuse_controls(
        s,
        "client name",
        "a client name is printable text on one line",
    )?;
    Ok(s.to_owned())
}

/// Space-separated scope tokens, each `1*( %x21 / %x23-5B / %x5D-7E )` (RFC 6749 §3.3): printable
/// ASCII other than space, `"` and `\`. Runs of spaces are read as one; the empty string (no
/// scope) is allowed.
pub fn parse_scope(s: &str) -> Result<String, ArgError> {
    refuse_controls(s, "scope", "scopes are printable ASCII (RFC 6749 §3.3)")?;
    let token_char = |c: char| matches!(c, '\x21' | '\x23'..='\x5b' | '\x5d'..='\x7e');
    if let Some(ch) = s.chars().find(|&c| c != ' ' && !token_char(c)) {
        return Err(ArgError::NotAScopeCharacter {
            ch,
            code: ch.into(),
        });
    }
    Ok(s.split(' ')
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" "))
}

/// Seconds from `90`, `90s`, `30m`, `2h` or `7d` (surrounding spaces ignored).
pub fn parse_duration(s: &str) -> Result<i64, ArgError> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num
        .parse()
        .map_err(|_| ArgError::NotADuration(s.to_owned()))?;
    let mult = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(ArgError::UnknownUnit {
                unit: unit.to_owned(),
                value: s.to_owned(),
            });
        }
    };
    Ok(n * mult)
}

/// `KEY=VALUE` with a non-empty key; the value may be empty or hold further `=`. Neither may
/// hold a control character: both are sent to the server (or, for a preset variable, put in
/// its URLs) and stored.
pub fn parse_param(s: &str) -> Result<(String, String), ArgError> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => {
            refuse_controls(k, "parameter name", PRINTABLE)?;
            refuse_controls(v, "parameter value", PRINTABLE)?;
            Ok((k.to_owned(), v.to_owned()))
        }
        _ => Err(ArgError::NotKeyValue(s.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_client_name, parse_duration, parse_param, parse_scope, parse_text};

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("90").unwrap(),
            90,
            "a bare number is a count of seconds"
        );
        assert_eq!(
            parse_duration(" 30m ").unwrap(),
            1800,
            "surrounding spaces are trimmed and `m` means minutes"
        );
        assert_eq!(parse_duration("2h").unwrap(), 7200, "`h` means hours");
        assert_eq!(parse_duration("7d").unwrap(), 604_800, "`d` means days");
        assert_eq!(
            parse_duration("abc").unwrap_err().to_string(),
            r#"expected a duration like 90s, 30m, 2h or 7d, got "abc""#,
            "a value without a leading number is refused, listing the accepted forms"
        );
        assert_eq!(
            parse_duration("5x").unwrap_err().to_string(),
            r#"unknown unit "x" in "5x" (use s, m, h or d)"#,
            "an unknown unit is refused, naming it and the units accepted"
        );
    }

    #[test]
    fn params() {
        assert_eq!(
            parse_param("a=b=c").unwrap(),
            ("a".to_owned(), "b=c".to_owned()),
            "only the first `=` separates: the value keeps any further `=`"
        );
        assert_eq!(
            parse_param("a=").unwrap(),
            ("a".to_owned(), String::new()),
            "an empty value is allowed"
        );
        assert_eq!(
            parse_param("=v").unwrap_err().to_string(),
            r#"expected KEY=VALUE, got "=v""#,
            "an empty key is refused"
        );
    }

    #[test]
    fn scopes_follow_rfc_6749_section_3_3() {
        assert_eq!(
            parse_scope(
                "openid profile api:read https://api.example/x!#$%&'()*+,-./;<=>?@[]^_`{|}~"
            )
            .expect(
                "every printable ASCII character but space, '\"' and '\\' is a scope character"
            ),
            "openid profile api:read https://api.example/x!#$%&'()*+,-./;<=>?@[]^_`{|}~",
            "valid scopes pass unchanged"
        );
        assert_eq!(
            parse_scope(" openid   email ").expect("extra spaces are only separators"),
            "openid email",
            "runs of spaces separate tokens once, as RFC 6749 §3.3 writes the list"
        );
        assert_eq!(
            parse_scope("").expect("no scope at all is allowed"),
            "",
            "an empty --scope still means no scope"
        );
        assert_eq!(
            parse_scope("openid\u{1b}]0;pwned\u{7}")
                .unwrap_err()
                .to_string(),
            "the scope contains a control character (U+001B); scopes are printable ASCII (RFC 6749 §3.3)",
            "an escape sequence in a scope is refused in words, naming the character"
        );
        assert_eq!(
            parse_scope("openid\tprofile").unwrap_err().to_string(),
            "the scope contains a control character (U+0009); scopes are printable ASCII (RFC 6749 §3.3)",
            "a tab is not a scope separator: only a space is"
        );
        for (bad, code) in [
            ('"', "U+0022"),
            ('\\', "U+005C"),
            ('é', "U+00E9"),
            ('\u{7f}', "U+007F"),
        ] {
            let msg = parse_scope(&format!("a{bad}b")).unwrap_err().to_string();
            assert!(
                msg.contains(code) && msg.contains("RFC 6749 §3.3"),
                "{bad:?} is outside scope-token = 1*( %x21 / %x23-5B / %x5D-7E ): {msg}"
            );
        }
        assert!(
            parse_scope("a\u{202e}b")
                .unwrap_err()
                .to_string()
                .contains("bidirectional formatting character (U+202E)"),
            "a right-to-left override, which could disguise the scope, is named for what it is"
        );
    }

    #[test]
    fn free_text_names_and_params_refuse_control_characters() {
        assert_eq!(
            parse_client_name("work\u{1b}[2J").unwrap_err().to_string(),
            "the client name contains a control character (U+001B); a client name is printable text on one line",
            "a client name cannot carry an escape sequence into every table"
        );
        assert_eq!(
            parse_client_name("Work (staging) ü").expect("printable Unicode is a fine name"),
            "Work (staging) ü",
            "printable names are kept as typed"
        );
        assert_eq!(
            parse_param("prompt=login\nx").unwrap_err().to_string(),
            "the parameter value contains a control character (U+000A); what is sent to a server or stored must be printable text on one line",
            "a --param value cannot smuggle a newline to the server"
        );
        assert!(
            parse_param("a\u{7}=b")
                .unwrap_err()
                .to_string()
                .contains("parameter name"),
            "a --param name is checked too"
        );
        assert_eq!(
            parse_param("claims={\"a\": 1}").expect("JSON without newlines is printable"),
            ("claims".to_owned(), "{\"a\": 1}".to_owned()),
            "printable values, spaces and quotes included, pass"
        );
        assert!(
            parse_text("abc\u{9b}")
                .unwrap_err()
                .to_string()
                .contains("(U+009B)"),
            "a C1 control (CSI) in a client id or URL is refused"
        );
        assert_eq!(
            parse_text("http://127.0.0.1/cb").expect("printable"),
            "http://127.0.0.1/cb",
            "printable text passes unchanged"
        );
    }
}
