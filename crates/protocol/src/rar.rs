//! Rich authorization requests (RFC 9396): the `authorization_details` parameter — parsed and
//! checked (§2: a JSON array of objects, each with a string `type`), serialized for a form,
//! read back from a token response (§7), an introspection response (§9.2) or a JWT access
//! token's claim (§9.1), and what was granted compared with what was asked, per type.

use serde::Serialize;
use serde_json::{Map, Value};

/// The largest `authorization_details` accepted, as JSON text: requests go in a URL or a form,
/// and answers are metadata.
pub const MAX_BYTES: usize = 32 * 1024;
/// The most entries accepted in one array.
pub const MAX_ENTRIES: usize = 64;
/// The common data fields of RFC 9396 §2.2 that are arrays of strings.
const STRING_ARRAYS: [&str; 4] = ["locations", "actions", "datatypes", "privileges"];

/// Why an `authorization_details` value is not one (a sentence with the index and the RFC
/// section).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("authorization_details: {0}")]
pub struct RarError(pub String);

/// Parses and checks `authorization_details` as the user typed it (JSON text, a single object
/// taken as an array of one). Returns the array.
pub fn parse(text: &str) -> Result<Value, RarError> {
    let text = text.trim();
    if text.len() > MAX_BYTES {
        return Err(RarError(format!(
            "{} bytes is more than the {MAX_BYTES} accepted",
            text.len()
        )));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        RarError(format!(
            "not JSON ({e}); RFC 9396 §2 wants a JSON array of objects"
        ))
    })?;
    let value = match value {
        Value::Object(_) => Value::Array(vec![value]),
        other => other,
    };
    validate(&value)?;
    Ok(value)
}

/// Checks the shape RFC 9396 §2 requires: an array of objects, each with a non-empty string
/// `type`; the common fields of §2.2 with their types.
pub fn validate(value: &Value) -> Result<(), RarError> {
    let Value::Array(items) = value else {
        return Err(RarError(
            "must be a JSON array of objects (RFC 9396 §2)".into(),
        ));
    };
    if items.is_empty() {
        return Err(RarError(
            "the array is empty; leave it out instead (RFC 9396 §2)".into(),
        ));
    }
    if items.len() > MAX_ENTRIES {
        return Err(RarError(format!(
            "{} entries is more than the {MAX_ENTRIES} accepted",
            items.len()
        )));
    }
    for (i, item) in items.iter().enumerate() {
        let Value::Object(o) = item else {
            return Err(RarError(format!(
                "entry {i} is not a JSON object (RFC 9396 §2)"
            )));
        };
        match o.get("type") {
            Some(Value::String(t)) if !t.trim().is_empty() => {}
            Some(_) => {
                return Err(RarError(format!(
                    "entry {i}: `type` must be a non-empty string (RFC 9396 §2)"
                )));
            }
            None => {
                return Err(RarError(format!(
                    "entry {i} has no `type`, which RFC 9396 §2 requires"
                )));
            }
        }
        for field in STRING_ARRAYS {
            if let Some(v) = o.get(field) {
                let ok = v
                    .as_array()
                    .is_some_and(|a| a.iter().all(|s| s.as_str().is_some_and(|s| !s.is_empty())));
                if !ok {
                    return Err(RarError(format!(
                        "entry {i}: `{field}` must be an array of non-empty strings (RFC 9396 §2.2)"
                    )));
                }
            }
        }
        if let Some(v) = o.get("identifier")
            && v.as_str().is_none_or(str::is_empty)
        {
            return Err(RarError(format!(
                "entry {i}: `identifier` must be a non-empty string (RFC 9396 §2.2)"
            )));
        }
    }
    Ok(())
}

/// The form value: compact JSON (RFC 9396 §3: the parameter is the JSON text, form-encoded).
pub fn to_param(details: &Value) -> String {
    details.to_string()
}

/// The distinct `type`s, in order of first appearance.
pub fn types(details: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in details
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("type")?.as_str())
    {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    out
}

/// Types of `details` the server does not list in `authorization_details_types_supported`
/// (RFC 9396 §10). Nothing when the server lists none (it need not publish the member).
pub fn unsupported_types(details: &Value, supported: &[String]) -> Vec<String> {
    if supported.is_empty() {
        return vec![];
    }
    types(details)
        .into_iter()
        .filter(|t| !supported.contains(t))
        .collect()
}

/// What a server said was granted: the `authorization_details` member of a token response
/// (§7), an introspection response (§9.2) or a JWT access token's claims (§9.1). Missing →
/// `None`; present but malformed → `Err` with the reason (the caller records a deviation).
pub fn granted_in(object: &Map<String, Value>) -> Option<Result<Value, RarError>> {
    let v = object.get("authorization_details")?;
    if v.is_null() {
        return None;
    }
    // A server might send the JSON as a string (a form-encoded answer).
    let v = match v {
        Value::String(s) if s.len() <= MAX_BYTES => match serde_json::from_str::<Value>(s) {
            Ok(inner) => inner,
            Err(e) => return Some(Err(RarError(format!("not JSON ({e})")))),
        },
        other => other.clone(),
    };
    Some(validate(&v).map(|()| v))
}

/// [`granted_in`] for a token response: a malformed member is a deviation, not a failure (the
/// token is still usable; what it grants is unknown).
pub fn granted_from_token_response(
    object: &Map<String, Value>,
    deviations: &mut Vec<crate::endpoint::Deviation>,
) -> Option<Value> {
    match granted_in(object)? {
        Ok(v) => Some(v),
        Err(e) => {
            deviations.push(crate::endpoint::Deviation::new(
                "authorization_details_malformed",
                "RFC 9396 §7",
                format!("the token response's {e}; ignored"),
            ));
            None
        }
    }
}

/// How a type fared: what was asked for it and what the server granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DetailStatus {
    /// Granted as asked.
    Granted,
    /// Granted with less than asked (a field or an array member left out, or fewer entries).
    Narrowed,
    /// Granted with something not asked for (a value or field added or changed).
    Broadened,
    /// Granted but never asked for.
    Added,
    /// Asked for, not granted.
    Missing,
}

/// One type's comparison.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct DetailComparison {
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub type_: String,
    pub status: DetailStatus,
    #[ts(type = "Array<unknown>")]
    pub requested: Vec<Value>,
    #[ts(type = "Array<unknown>")]
    pub granted: Vec<Value>,
    /// In words, e.g. "granted with less: actions [read_transactions] left out".
    pub note: String,
}

impl DetailComparison {
    /// The server granted more than was asked (an audit finding, like a scope not requested).
    pub fn more_than_asked(&self) -> bool {
        matches!(self.status, DetailStatus::Added | DetailStatus::Broadened)
    }
}

/// Compares requested with granted, per type (RFC 9396 §7: the server may grant less, or
/// enrich the details; the client learns which from the token response). Without a granted
/// value nothing is compared (the server said nothing; it need not, §7).
pub fn compare(requested: Option<&Value>, granted: Option<&Value>) -> Vec<DetailComparison> {
    let Some(granted) = granted else {
        return vec![];
    };
    let of_type = |v: Option<&Value>, t: &str| -> Vec<Value> {
        v.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|d| d.get("type").and_then(Value::as_str) == Some(t))
            .cloned()
            .collect()
    };
    let mut all = requested.map(types).unwrap_or_default();
    for t in types(granted) {
        if !all.contains(&t) {
            all.push(t);
        }
    }
    all.into_iter()
        .map(|t| {
            let req = of_type(requested, &t);
            let got = of_type(Some(granted), &t);
            let (status, note) = judge(&req, &got);
            DetailComparison {
                type_: t,
                status,
                requested: req,
                granted: got,
                note,
            }
        })
        .collect()
}

fn judge(req: &[Value], got: &[Value]) -> (DetailStatus, String) {
    match (req.is_empty(), got.is_empty()) {
        (false, true) => return (DetailStatus::Missing, "asked for, not granted".into()),
        (true, _) => {
            return (
                DetailStatus::Added,
                "granted without being asked for".into(),
            );
        }
        _ => {}
    }
    if req.len() == got.len() && req.iter().all(|r| got.contains(r)) {
        return (DetailStatus::Granted, "granted as asked".into());
    }
    // Every granted entry must fit inside one asked for; otherwise the server added something.
    let mut cut = Vec::new();
    for g in got {
        match req.iter().find_map(|r| narrower(g, r, "")) {
            Some(lost) => cut.extend(lost),
            None => {
                return (
                    DetailStatus::Broadened,
                    format!("granted with something not asked for: {}", short(g)),
                );
            }
        }
    }
    if got.len() < req.len() {
        cut.push(format!(
            "{} of {} entries",
            req.len() - got.len(),
            req.len()
        ));
    }
    cut.dedup();
    (
        DetailStatus::Narrowed,
        format!("granted with less: {} left out", cut.join(", ")),
    )
}

/// When `g` is `r` with parts left out: what was left out (field names, array members).
fn narrower(g: &Value, r: &Value, path: &str) -> Option<Vec<String>> {
    match (g, r) {
        (Value::Object(go), Value::Object(ro)) => {
            let mut lost = Vec::new();
            for (k, rv) in ro {
                let here = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match go.get(k) {
                    None => lost.push(here),
                    Some(gv) => lost.extend(narrower(gv, rv, &here)?),
                }
            }
            go.keys().all(|k| ro.contains_key(k)).then_some(lost)
        }
        (Value::Array(ga), Value::Array(ra)) => {
            if !ga.iter().all(|v| ra.contains(v)) {
                return None;
            }
            let gone: Vec<String> = ra.iter().filter(|v| !ga.contains(v)).map(short).collect();
            Some(if gone.is_empty() {
                vec![]
            } else {
                vec![format!("{path} [{}]", gone.join(", "))]
            })
        }
        _ => (g == r).then(Vec::new),
    }
}

fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let s = crate::text::escape_controls(&s, false);
    match s.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s,
    }
}

#[cfg(test)]
mod tests;
