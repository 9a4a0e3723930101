//! Value parsers for arguments clap cannot read by itself (durations, `KEY=VALUE` pairs), and
//! `ArgError`, the error they give clap to print after "invalid value … for …: ".

/// Why an argument value was refused. The messages are part of the command-line contract.
#[derive(Debug, thiserror::Error)]
pub enum ArgError {
    #[error("expected a duration like 90s, 30m, 2h or 7d, got {0:?}")]
    NotADuration(String),
    #[error("unknown unit {unit:?} in {value:?} (use s, m, h or d)")]
    UnknownUnit { unit: String, value: String },
    #[error("expected KEY=VALUE, got {0:?}")]
    NotKeyValue(String),
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

/// `KEY=VALUE` with a non-empty key; the value may be empty or hold further `=`.
pub fn parse_param(s: &str) -> Result<(String, String), ArgError> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(ArgError::NotKeyValue(s.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_duration, parse_param};

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90").unwrap(), 90);
        assert_eq!(parse_duration(" 30m ").unwrap(), 1800);
        assert_eq!(parse_duration("2h").unwrap(), 7200);
        assert_eq!(parse_duration("7d").unwrap(), 604_800);
        assert_eq!(
            parse_duration("abc").unwrap_err().to_string(),
            r#"expected a duration like 90s, 30m, 2h or 7d, got "abc""#
        );
        assert_eq!(
            parse_duration("5x").unwrap_err().to_string(),
            r#"unknown unit "x" in "5x" (use s, m, h or d)"#
        );
    }

    #[test]
    fn params() {
        assert_eq!(
            parse_param("a=b=c").unwrap(),
            ("a".to_owned(), "b=c".to_owned())
        );
        assert_eq!(parse_param("a=").unwrap(), ("a".to_owned(), String::new()));
        assert_eq!(
            parse_param("=v").unwrap_err().to_string(),
            r#"expected KEY=VALUE, got "=v""#
        );
    }
}
