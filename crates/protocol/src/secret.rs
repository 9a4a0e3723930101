//! Secret newtypes. A [`Secret`] prints as `[redacted]` and has no `Serialize`, so it cannot
//! reach a log line, an error message or an IPC payload by accident (as oauth2-rs's
//! `ClientSecret` and friends do). Reading it is always an explicit `expose()`.

use std::fmt;

/// A secret string: client secret, token, code, verifier, password.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A short, safe preview: the first characters and the length (`eyJhbG…(812 chars)`).
    /// Short secrets show nothing at all.
    pub fn preview(&self) -> String {
        let chars = self.0.chars().count();
        if chars < 24 {
            return format!("…({chars} chars)");
        }
        let head: String = self.0.chars().take(6).collect();
        format!("{head}…({chars} chars)")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_value() {
        let s = Secret::new("super-secret-value-that-is-long-enough");
        assert_eq!(format!("{s:?}"), "[redacted]", "Debug must redact");
        assert!(
            !s.preview().contains("secret-value"),
            "preview must not leak the body"
        );
        assert_eq!(
            Secret::new("short").preview(),
            "…(5 chars)",
            "short secrets show no characters"
        );
    }
}
