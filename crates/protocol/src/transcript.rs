//! Captured HTTP exchanges of a flow, redacted *when recorded*, so the raw secret never reaches
//! the transcript at all. Rendered step by step or as curl commands in which each redacted value
//! becomes a shell variable the user fills in (`"client_secret=${CLIENT_SECRET}"`).

use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Parameter and JSON member names whose values are secrets (RFC 6749, 7636, 8628, 8693, 7523, 7591).
pub const SECRET_KEYS: &[&str] = &[
    "client_secret",
    "code",
    "code_verifier",
    "refresh_token",
    "access_token",
    "id_token",
    "token",
    "password",
    "device_code",
    "subject_token",
    "actor_token",
    "client_assertion",
    "assertion",
    "registration_access_token",
    "id_token_hint",
    "logout_token",
    // JARM §2.1: the signed authorization response, which carries the code.
    "response",
    // RFC 9101 §5.1: a request object may carry an id_token_hint or login_hint_token; the flow's
    // timeline shows it decoded, with those redacted, as its own step.
    "request",
    // CIBA §7.1, §7.3: whoever holds them can poll for (or be told of) the user's tokens.
    "auth_req_id",
    "client_notification_token",
    "login_hint_token",
    // CIBA §7.1: "a secret code, such as a password or pin" the user gives. The device grant's
    // user code (RFC 8628 §3.2) is redacted too: it is shown to the user by its own event, and
    // a stored transcript has no use for it.
    "user_code",
];

/// Headers whose values are secrets (API keys too: "Call API" may send them).
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "cookie",
    "set-cookie",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "x-auth-token",
    // MCP Streamable HTTP: the session id lets whoever holds it act in the session.
    "mcp-session-id",
];

pub fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.contains(&key)
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct RecordedRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct RecordedResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// One step of a flow: an HTTP exchange we made, or an event such as "opened in browser".
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct Exchange {
    pub step: String,
    /// Unix time in milliseconds.
    pub started_at_ms: i64,
    pub duration_ms: u64,
    pub request: RecordedRequest,
    pub response: Option<RecordedResponse>,
    /// Transport failure or a note on what happened (no secret in it).
    pub note: Option<String>,
}

/// Called with each exchange as it is recorded (a GUI's live timeline).
pub type Observer = Arc<dyn Fn(&Exchange) + Send + Sync>;

/// The shared, append-only list of a flow's exchanges.
#[derive(Clone, Default)]
pub struct Transcript {
    entries: Arc<Mutex<Vec<Exchange>>>,
    observer: Option<Observer>,
}

impl std::fmt::Debug for Transcript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcript")
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

impl Transcript {
    pub fn observed(observer: Observer) -> Self {
        Self {
            entries: Default::default(),
            observer: Some(observer),
        }
    }

    pub fn push(&self, exchange: Exchange) {
        if let Some(observe) = &self.observer {
            observe(&exchange);
        }
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(exchange);
    }

    /// Records without telling the observer: for a step the flow already reports as its own
    /// event (the browser hand-offs), so a live timeline shows it once.
    pub fn push_unobserved(&self, exchange: Exchange) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(exchange);
    }

    pub fn exchanges(&self) -> Vec<Exchange> {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Whether an exchange is a device token poll answered "not yet" (`authorization_pending` or
/// `slow_down`, RFC 8628 §3.5): expected, and summed up by the flow's poll status rather than
/// shown one by one.
pub fn is_expected_poll_answer(exchange: &Exchange) -> bool {
    let Some(response) = &exchange.response else {
        return false;
    };
    if response.status != 400 {
        return false;
    }
    let error = serde_json::from_str::<serde_json::Value>(&response.body)
        .ok()
        .and_then(|v| v.get("error")?.as_str().map(str::to_owned));
    matches!(
        error.as_deref(),
        Some("authorization_pending" | "slow_down")
    )
}

/// Redacts secret values in an `application/x-www-form-urlencoded` string.
pub fn redact_form(body: &str) -> String {
    url::form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| {
            let v = if is_secret_key(&k) {
                REDACTED.into()
            } else {
                v
            };
            format!(
                "{}={}",
                enc(&k),
                if v == REDACTED {
                    REDACTED.to_owned()
                } else {
                    enc(&v)
                }
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Redacts secret query and fragment parameters of a URL.
pub fn redact_url(raw: &str) -> String {
    let Ok(mut url) = url::Url::parse(raw) else {
        // Not a URL that parses (relative, malformed, a label): its query and fragment are
        // still read as forms and their secrets masked — redaction fails closed.
        return match raw.find(['?', '#']) {
            None => raw.to_owned(),
            Some(i) => {
                let (head, tail) = raw.split_at(i);
                let masked: Vec<String> = tail[1..].split('#').map(redact_form).collect();
                format!("{head}{}{}", &tail[..1], masked.join("#"))
            }
        };
    };
    if let Some(q) = url.query().map(redact_form) {
        url.set_query(Some(&q));
    }
    if let Some(f) = url.fragment().filter(|f| f.contains('=')).map(redact_form) {
        url.set_fragment(Some(&f));
    }
    url.to_string().replace("%5Bredacted%5D", REDACTED)
}

/// Redacts secret members anywhere in a JSON document; non-JSON bodies are treated as forms
/// when they look like one (GitHub answers token requests form-encoded) and kept otherwise.
pub fn redact_body(body: &str) -> String {
    if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(body) {
        redact_json(&mut value);
        return serde_json::to_string(&value).unwrap_or_default();
    }
    let trimmed = body.trim();
    // JSON cut short (`{"access_token":"…==`) is not a form, whatever `=` it holds.
    if !trimmed.is_empty()
        && !trimmed.contains(' ')
        && trimmed.contains('=')
        && !trimmed.starts_with(['<', '{', '[', '"'])
    {
        return redact_form(trimmed);
    }
    mask_unparsed(body)
}

/// Longest excerpt kept of a body that parses neither as JSON nor as a form.
pub const UNPARSED_EXCERPT: usize = 2048;

/// Redaction that fails closed for a body that could not be parsed (JSON cut short, HTML, a
/// proprietary format): the value after any secret member name (`"access_token":"…`,
/// `code=…`) is masked, and so is every run of 20 or more token characters (letters, digits,
/// `-._~+/=`) wherever it stands, since a token may sit under a name we do not know. At most
/// [`UNPARSED_EXCERPT`] characters are kept.
pub fn mask_unparsed(body: &str) -> String {
    let is_token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/' | '=');
    let chars: Vec<char> = body.chars().take(UNPARSED_EXCERPT).collect();
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    // Set after a secret member name: the next run of token characters is a secret.
    let mut secret_next = false;
    while i < chars.len() {
        if !is_token_char(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_token_char(chars[i]) {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        // `code=abc`: the name and the value are one run around `=`.
        if let Some((name, _)) = run.split_once('=').filter(|(n, _)| is_secret_key(n)) {
            out.push_str(name);
            out.push('=');
            out.push_str(REDACTED);
            secret_next = false;
            continue;
        }
        if is_secret_key(&run) {
            // A member name, however long (`registration_access_token`): its value follows.
            // Checked first, so a secret name inside a value (`…:access_token`, RFC 8693 token
            // type URNs) cannot make the next member's name take its value's mask.
            secret_next = true;
            out.push_str(&run);
        } else if secret_next {
            out.push_str(REDACTED);
            secret_next = false;
        } else if run.chars().count() >= 20 {
            out.push_str(REDACTED);
        } else {
            out.push_str(&run);
        }
    }
    if body.chars().count() > UNPARSED_EXCERPT {
        out.push_str("…[cut]");
    }
    out
}

fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                // Whatever its type: a server may nest a token in an object or an array.
                if is_secret_key(k) && !v.is_null() {
                    *v = serde_json::Value::String(REDACTED.into());
                } else {
                    redact_json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// Redacts a header value when the header carries credentials (keeps the scheme: `Basic [redacted]`).
pub fn redact_header(name: &str, value: &str) -> String {
    if !SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        return value.to_owned();
    }
    match value.split_once(' ') {
        Some((scheme, _)) if name.eq_ignore_ascii_case("authorization") => {
            format!("{scheme} {REDACTED}")
        }
        _ => REDACTED.to_owned(),
    }
}

/// Renders an exchange's request as a curl command. Redacted values become `${NAME}` variables.
pub fn to_curl(req: &RecordedRequest) -> String {
    let mut out = format!(
        "curl -X {} {}",
        req.method,
        shell_quote(&req.url.replace(REDACTED, "${REDACTED}"))
    );
    for (name, value) in &req.headers {
        if name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        let line = match value.split_once(' ') {
            Some((scheme, rest)) if rest == REDACTED => {
                let var = if scheme.eq_ignore_ascii_case("basic") {
                    "BASIC_CREDENTIALS"
                } else {
                    "ACCESS_TOKEN"
                };
                format!("{name}: {scheme} ${{{var}}}")
            }
            _ => format!("{name}: {value}"),
        };
        out.push_str(" \\\n  -H ");
        out.push_str(&quote_with_vars(&line));
    }
    if let Some(body) = &req.body {
        let form = req.headers.iter().any(|(n, v)| {
            n.eq_ignore_ascii_case("content-type") && v.contains("x-www-form-urlencoded")
        });
        if form {
            for (k, v) in url::form_urlencoded::parse(body.as_bytes()) {
                let field = if v == REDACTED {
                    format!("{k}=${{{}}}", k.to_ascii_uppercase())
                } else {
                    format!("{k}={v}")
                };
                out.push_str(" \\\n  --data-urlencode ");
                out.push_str(&quote_with_vars(&field));
            }
        } else {
            out.push_str(" \\\n  --data-raw ");
            out.push_str(&shell_quote(body));
        }
    }
    out
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Double-quotes a string so `${VAR}` expands but nothing else does.
fn quote_with_vars(s: &str) -> String {
    if !s.contains("${") {
        return shell_quote(s);
    }
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('`', "\\`");
    // Escape `$` except where it opens one of our `${NAME}` variables.
    let mut out = String::with_capacity(escaped.len() + 2);
    let mut rest = escaped.as_str();
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        out.push_str(if rest[i..].starts_with("${") {
            "$"
        } else {
            "\\$"
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    format!("\"{out}\"")
}

#[cfg(test)]
mod tests;
