//! Server-sent and user-pasted text made safe to show: control characters (C0, DEL, C1, and
//! the bidirectional overrides of Unicode TR #9 that can disguise text, "Trojan Source") are
//! escaped, so an `error_description`, a `scope` or a claim can never move a terminal's cursor,
//! change its title, or hide what it says.

/// `text` with every control character written as a visible escape (`\u{1b}`); newlines and
/// tabs are escaped too unless `keep_lines`.
pub fn escape_controls(text: &str, keep_lines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let line = keep_lines && (c == '\n' || c == '\t');
        if !line && is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `text` holds anything [`escape_controls`] would escape (newlines included).
pub fn has_controls(text: &str) -> bool {
    text.chars().any(is_unsafe)
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_sequences_and_bidi_overrides() {
        assert_eq!(
            escape_controls("bad\u{1b}]0;pwned\u{7}", false),
            "bad\\u{1b}]0;pwned\\u{7}",
            "ESC and BEL are shown, not sent to the terminal"
        );
        assert_eq!(
            escape_controls("a\u{202e}b", false),
            "a\\u{202e}b",
            "a right-to-left override cannot reorder what is shown"
        );
        assert_eq!(
            escape_controls("line one\nline two", true),
            "line one\nline two",
            "newlines may be kept where a message has lines"
        );
        assert_eq!(
            escape_controls("a\nb", false),
            "a\\u{a}b",
            "on one line, a newline is escaped"
        );
        assert!(has_controls("x\u{9b}y"), "C1 controls (CSI) count");
        assert!(!has_controls("plain scope openid"), "plain text has none");
    }
}
