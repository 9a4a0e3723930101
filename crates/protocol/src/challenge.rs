//! `WWW-Authenticate` challenges (RFC 9110 §11.6.1, grammar of §11.2 and lists of §5.6.1):
//! every field line of a response, several challenges per line, `auth-param`s or a `token68`,
//! quoted strings with escapes. Hostile input is normal input: nothing panics, what is malformed
//! is said in words (display-safe) next to whatever could still be read, and the work is linear
//! in the header's length and bounded in what it keeps. The OAuth meaning of `Bearer` and `DPoP`
//! challenges is [`Challenges::oauth`] (in `challenge/oauth.rs`).

#[cfg(test)]
mod hostile_tests;
mod oauth;
#[cfg(test)]
mod tests;

pub use oauth::ResourceChallenge;

use crate::text::escape_controls;
use serde::Serialize;

/// At most this many challenges are read from one response; the rest is refused with a problem.
pub const MAX_CHALLENGES: usize = 64;
/// At most this many parameters are kept per challenge; the rest is refused with a problem.
pub const MAX_PARAMS: usize = 64;
/// At most this many problems are listed; one more line counts the others.
pub const MAX_PROBLEMS: usize = 32;

/// One challenge of a WWW-Authenticate field (RFC 9110 §11.6.1): `scheme` as sent, params with lowercased names in order, or a token68.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Challenge {
    pub scheme: String,
    pub token68: Option<String>,
    pub params: Vec<(String, String)>,
}

impl Challenge {
    /// The value of the parameter `name` (case-insensitive), its first occurrence.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether this is a `scheme` challenge; schemes are case-insensitive (RFC 9110 §11.1), and
    /// servers do send `bearer`.
    pub fn is_scheme(&self, scheme: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(scheme)
    }

    /// The challenge written back in canonical form (`Scheme token68` or `Scheme a="1", b="2"`,
    /// every value quoted and escaped), which [`parse`] reads back to the same challenge.
    /// Values are raw: escape control characters before showing it.
    pub fn to_field_value(&self) -> String {
        let mut out = self.scheme.clone();
        if let Some(t) = &self.token68 {
            out.push(' ');
            out.push_str(t);
        }
        for (i, (name, value)) in self.params.iter().enumerate() {
            out.push_str(if i == 0 { " " } else { ", " });
            out.push_str(name);
            out.push_str("=\"");
            for c in value.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        }
        out
    }
}

/// Everything parsed from all WWW-Authenticate field lines of one response, plus what was malformed, in words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Challenges {
    pub challenges: Vec<Challenge>,
    /// Syntax and size problems (RFC 9110 §11.2 / §11.6.1), display-safe. What a Bearer or DPoP
    /// challenge's values mean, and what is wrong with them, is in [`Challenges::oauth`].
    pub problems: Vec<String>,
}

/// Parses the values of every `WWW-Authenticate` field line of one response, in order.
pub fn parse<'a>(field_values: impl IntoIterator<Item = &'a str>) -> Challenges {
    let lines: Vec<&str> = field_values.into_iter().collect();
    let mut p = Parser {
        out: Challenges::default(),
        unlisted: 0,
        full: false,
        several_lines: lines.len() > 1,
    };
    for (i, line) in lines.iter().enumerate() {
        if p.full {
            break;
        }
        p.field(line, i + 1);
    }
    if p.unlisted > 0 {
        let n = p.unlisted;
        p.out.problems.push(format!(
            "and {n} more problem{} not listed",
            if n == 1 { "" } else { "s" }
        ));
    }
    p.out
}

/// Every `www-authenticate` line of `headers` (names compared case-insensitively), parsed.
pub fn from_headers(headers: &[(String, String)]) -> Challenges {
    parse(
        headers
            .iter()
            .filter(|(n, _)| n.trim().eq_ignore_ascii_case("www-authenticate"))
            .map(|(_, v)| v.as_str()),
    )
}

/// The challenge being read on the current field line.
struct Current {
    index: usize,
    /// A space followed the scheme (`Bearer realm=…`), as `1*SP` requires before parameters.
    spaced: bool,
    /// Parameters after a comma without that space were already reported.
    comma_reported: bool,
    /// More than [`MAX_PARAMS`] parameters were already reported.
    over_reported: bool,
}

struct Parser {
    out: Challenges,
    unlisted: usize,
    full: bool,
    several_lines: bool,
}

impl Parser {
    fn problem(&mut self, line: usize, at: usize, what: String) {
        if self.out.problems.len() >= MAX_PROBLEMS {
            self.unlisted += 1;
            return;
        }
        let place = if self.several_lines {
            format!("WWW-Authenticate line {line}, byte {at}")
        } else {
            format!("WWW-Authenticate, byte {at}")
        };
        self.out.problems.push(format!("{place}: {what}"));
    }

    /// One field line: `#challenge`, each `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`.
    /// The parameter lists of the challenges and the list of challenges share their commas: an
    /// element that is `token BWS "="` is a parameter of the challenge before it, any other
    /// token starts a new challenge.
    fn field(&mut self, text: &str, line: usize) {
        let b = text.as_bytes();
        let mut pos = 0;
        let mut current: Option<Current> = None;
        loop {
            pos = skip(b, pos, |c| matches!(c, b' ' | b'\t' | b','));
            if pos >= b.len() {
                return;
            }
            let start = pos;
            let name_end = skip(b, pos, is_tchar);
            if name_end == start {
                let what = format!(
                    "{} where a scheme or a parameter name should start",
                    describe(text, start)
                );
                self.problem(line, start, what);
                pos = to_comma(b, start);
                continue;
            }
            let after_name = skip(b, name_end, is_ws);
            if b.get(after_name) == Some(&b'=') {
                let name = text[start..name_end].to_ascii_lowercase();
                pos = skip(b, after_name + 1, is_ws);
                let Some(value) = self.value(text, &mut pos, line, &name) else {
                    pos = to_comma(b, pos);
                    continue;
                };
                let next = skip(b, pos, is_ws);
                if next < b.len() && b[next] != b',' {
                    let what = format!("{} after the value of {name}", describe(text, next));
                    self.problem(line, next, what);
                }
                pos = to_comma(b, next);
                self.attach(&mut current, name, value, line, start);
                continue;
            }
            if self.out.challenges.len() >= MAX_CHALLENGES {
                let what = format!(
                    "more than {MAX_CHALLENGES} challenges; the rest of the header was not read"
                );
                self.problem(line, start, what);
                self.full = true;
                return;
            }
            let scheme = &text[start..name_end];
            self.out.challenges.push(Challenge {
                scheme: scheme.to_owned(),
                token68: None,
                params: Vec::new(),
            });
            let index = self.out.challenges.len() - 1;
            let spaced = after_name > name_end;
            current = Some(Current {
                index,
                spaced,
                comma_reported: false,
                over_reported: false,
            });
            pos = after_name;
            if pos >= b.len() || b[pos] == b',' {
                continue;
            }
            if !spaced {
                let what = format!("{} right after the scheme {scheme}", describe(text, pos));
                self.problem(line, pos, what);
                pos = to_comma(b, pos);
                continue;
            }
            // token68: its characters, then `=` padding, then the end of the element.
            let t_end = skip(b, pos, is_token68_char);
            if t_end > pos {
                let padded = skip(b, t_end, |c| c == b'=');
                let next = skip(b, padded, is_ws);
                if next >= b.len() || b[next] == b',' {
                    self.out.challenges[index].token68 = Some(text[pos..padded].to_owned());
                    pos = next;
                    continue;
                }
            }
            // Otherwise parameters, which the loop reads: the element must be `token BWS "="`.
            let n_end = skip(b, pos, is_tchar);
            if n_end > pos && b.get(skip(b, n_end, is_ws)) == Some(&b'=') {
                continue;
            }
            let what = format!(
                "after the scheme {scheme}, {} where a token68 or name=value parameters should be",
                describe(text, pos)
            );
            self.problem(line, pos, what);
            pos = to_comma(b, pos);
        }
    }

    fn attach(
        &mut self,
        current: &mut Option<Current>,
        name: String,
        value: String,
        line: usize,
        at: usize,
    ) {
        let Some(cur) = current else {
            let what = format!("parameter {name} comes before any scheme; it was ignored");
            self.problem(line, at, what);
            return;
        };
        let challenge = &self.out.challenges[cur.index];
        let scheme = challenge.scheme.clone();
        if challenge.token68.is_some() {
            let what = format!(
                "parameter {name} follows the token68 of the {scheme} challenge, which cannot also \
                 have parameters; it was ignored"
            );
            self.problem(line, at, what);
            return;
        }
        if challenge.params.len() >= MAX_PARAMS {
            if !cur.over_reported {
                cur.over_reported = true;
                let what = format!(
                    "more than {MAX_PARAMS} parameters in the {scheme} challenge; the rest were ignored"
                );
                self.problem(line, at, what);
            }
            return;
        }
        if !cur.spaced && !cur.comma_reported {
            cur.comma_reported = true;
            let what = format!(
                "the parameters of {scheme} should follow it after a space, not after a comma \
                 (RFC 9110 §11.6.1); they were read as its parameters"
            );
            self.problem(line, at, what);
        }
        self.out.challenges[cur.index].params.push((name, value));
    }

    /// `token / quoted-string` at `*pos`. An unquoted value is read up to the next comma or
    /// whitespace, and characters a token cannot hold are reported, not dropped (servers send
    /// unquoted URLs). `None` when there is no value at all.
    fn value(&mut self, text: &str, pos: &mut usize, line: usize, name: &str) -> Option<String> {
        let b = text.as_bytes();
        let start = *pos;
        match b.get(start) {
            None | Some(b',') => {
                let what = format!("{name}= has no value; it was ignored");
                self.problem(line, start, what);
                None
            }
            Some(b'"') => Some(self.quoted(text, pos, line, name)),
            Some(_) => {
                let end = skip(b, start, |c| !matches!(c, b',' | b' ' | b'\t' | b'"'));
                *pos = end;
                if end == start {
                    let what = format!(
                        "{} where the value of {name} should be (a token or a quoted string)",
                        describe(text, start)
                    );
                    self.problem(line, start, what);
                    return None;
                }
                let raw = &text[start..end];
                if let Some(i) = raw.bytes().position(|c| !is_tchar(c)) {
                    let what = format!(
                        "the unquoted value of {name} holds {}, which a token cannot; it should \
                         be a quoted string (RFC 9110 §11.2)",
                        describe(text, start + i)
                    );
                    self.problem(line, start + i, what);
                }
                Some(raw.to_owned())
            }
        }
    }

    /// A quoted string starting at the `"` at `*pos`, with `\` escapes (RFC 9110 §5.6.4).
    /// Unterminated: everything to the end of the line, reported.
    fn quoted(&mut self, text: &str, pos: &mut usize, line: usize, name: &str) -> String {
        let b = text.as_bytes();
        let open = *pos;
        let mut value = String::new();
        let mut seg = open + 1;
        let mut i = seg;
        let mut control_reported = false;
        while i < b.len() {
            match b[i] {
                b'"' => {
                    value.push_str(&text[seg..i]);
                    *pos = i + 1;
                    return value;
                }
                b'\\' => {
                    value.push_str(&text[seg..i]);
                    seg = i + 1;
                    let Some(c) = text.get(seg..).and_then(|r| r.chars().next()) else {
                        break;
                    };
                    value.push(c);
                    i = seg + c.len_utf8();
                    seg = i;
                    continue;
                }
                c if ((c < 0x20 && c != b'\t') || c == 0x7f) && !control_reported => {
                    control_reported = true;
                    let what = format!(
                        "the quoted value of {name} holds the control character {}, which a \
                         quoted string cannot; it was kept",
                        describe(text, i)
                    );
                    self.problem(line, i, what);
                }
                _ => {}
            }
            i += 1;
        }
        value.push_str(text.get(seg..).unwrap_or(""));
        *pos = b.len();
        let what =
            format!("the quoted value of {name} is not closed; it was read to the end of the line");
        self.problem(line, open, what);
        value
    }
}

/// RFC 9110 §5.6.2 `tchar`.
fn is_tchar(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c)
}

/// RFC 9110 §11.2 `token68` characters, before the `=` padding.
fn is_token68_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._~+/".contains(&c)
}

fn is_ws(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn skip(b: &[u8], mut pos: usize, while_: impl Fn(u8) -> bool) -> usize {
    while pos < b.len() && while_(b[pos]) {
        pos += 1;
    }
    pos
}

/// The next comma outside a quoted string, or the end: where reading resumes after a problem.
fn to_comma(b: &[u8], mut pos: usize) -> usize {
    let mut quoted = false;
    while pos < b.len() {
        match b[pos] {
            b'\\' if quoted => pos += 1,
            b'"' => quoted = !quoted,
            b',' if !quoted => return pos,
            _ => {}
        }
        pos += 1;
    }
    b.len()
}

/// The character at `pos` in words, display-safe.
fn describe(text: &str, pos: usize) -> String {
    match text.get(pos..).and_then(|r| r.chars().next()) {
        None => "the end of the line".into(),
        Some(' ') => "a space".into(),
        Some(c) => format!("'{}'", escape_controls(&c.to_string(), false)),
    }
}
