//! The audit as a document — JSON, CSV or Markdown — written row by row as the scan reads them
//! (no document is ever held whole). It holds metadata only, never a token or secret.

use super::audit::{AuditFormat, AuditRow, iso8601};
use crate::pretty_array::PrettyArray;
use std::io::{self, Write};

const COLUMNS: [&str; 17] = [
    "client",
    "grant_id",
    "grant_type",
    "status",
    "subject",
    "scopes_requested",
    "scopes_granted",
    "not_granted",
    "not_requested",
    "over_privileged",
    "expires_at",
    "refresh_token",
    "issued_at",
    "last_used_at",
    "last_used_by",
    "revoked_at",
    "authorization_details",
];

enum Body<W: Write> {
    Json(PrettyArray<W>),
    Csv(W),
    Markdown(W),
}

/// Writes an audit document: [`AuditWriter::start`], a [`AuditWriter::row`] per grant, then
/// [`AuditWriter::finish`].
pub struct AuditWriter<W: Write> {
    body: Body<W>,
    rows: u64,
}

impl<W: Write> AuditWriter<W> {
    /// Writes the head of the document: generated at `now`.
    pub fn start(mut w: W, format: AuditFormat, now: i64) -> io::Result<Self> {
        let body = match format {
            AuditFormat::Json => {
                write!(
                    w,
                    "{{\n  \"generated_at\": \"{}\",\n  \"grants\": ",
                    iso8601(now)
                )?;
                Body::Json(PrettyArray::start(w, 1)?)
            }
            AuditFormat::Csv => {
                w.write_all(COLUMNS.join(",").as_bytes())?;
                w.write_all(b"\r\n")?;
                Body::Csv(w)
            }
            AuditFormat::Markdown => {
                write!(
                    w,
                    "# OAuth Desk audit\n\nGenerated {}. No token or secret is included.\n\n| {} |\n|{}\n",
                    iso8601(now),
                    COLUMNS.join(" | "),
                    "---|".repeat(COLUMNS.len())
                )?;
                Body::Markdown(w)
            }
        };
        Ok(Self { body, rows: 0 })
    }

    pub fn row(&mut self, r: &AuditRow) -> io::Result<()> {
        self.rows += 1;
        match &mut self.body {
            Body::Json(a) => a.push(r),
            Body::Csv(w) => {
                // Server text (subjects, scopes) may hold control characters: escaped, so neither
                // a terminal nor a spreadsheet receives them raw.
                let line = cells(r)
                    .iter()
                    .map(|c| {
                        let s = oauthdesk_protocol::text::escape_controls(c, false);
                        if s.contains([',', '"', '\n', '\r']) {
                            format!("\"{}\"", s.replace('"', "\"\""))
                        } else {
                            s
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(",");
                w.write_all(line.as_bytes())?;
                w.write_all(b"\r\n")
            }
            Body::Markdown(w) => {
                let line = cells(r)
                    .iter()
                    .map(|c| {
                        oauthdesk_protocol::text::escape_controls(c, false).replace('|', "\\|")
                    })
                    .collect::<Vec<_>>()
                    .join(" | ");
                writeln!(w, "| {line} |")
            }
        }
    }

    /// Closes the document (the Markdown one ends with the number of grants) and gives the
    /// writer back, flushed.
    pub fn finish(self) -> io::Result<W> {
        let mut w = match self.body {
            Body::Json(a) => {
                let mut w = a.finish()?;
                w.write_all(b"\n}")?;
                w
            }
            Body::Csv(w) => w,
            Body::Markdown(mut w) => {
                writeln!(w, "\n{} grant(s).", self.rows)?;
                w
            }
        };
        w.flush()?;
        Ok(w)
    }
}

/// The cells of a row, in [`COLUMNS`] order.
fn cells(r: &AuditRow) -> [String; 17] {
    let t = |x: Option<i64>| x.map(iso8601).unwrap_or_default();
    let yes = |b: bool| if b { "yes" } else { "no" }.to_owned();
    [
        r.client.clone(),
        r.grant_id.clone(),
        r.grant_type.as_str().into(),
        r.status.as_str().into(),
        r.subject.clone().unwrap_or_default(),
        r.scopes_requested.join(" "),
        if r.scope_omitted {
            format!(
                "{} (scope omitted: as requested)",
                r.scopes_granted.join(" ")
            )
        } else {
            r.scopes_granted.join(" ")
        },
        r.not_granted.join(" "),
        r.not_requested.join(" "),
        yes(r.over_privileged),
        t(r.expires_at),
        yes(r.has_refresh_token),
        iso8601(r.issued_at),
        t(r.last_used_at),
        r.last_used_by.clone().unwrap_or_default(),
        t(r.revoked_at),
        super::rar::audit_cell(&r.authorization_details, &r.authorization_details_types),
    ]
}

/// The whole document for rows already in memory (the unit tests' way in).
#[cfg(test)]
pub(crate) fn render_audit(rows: &[AuditRow], format: AuditFormat, now: i64) -> io::Result<String> {
    let mut w = AuditWriter::start(Vec::new(), format, now)?;
    for r in rows {
        w.row(r)?;
    }
    String::from_utf8(w.finish()?).map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GrantStatus, GrantType};

    fn row() -> AuditRow {
        AuditRow {
            grant_id: "g1".into(),
            client: "a,\"b\"|c".into(),
            grant_type: GrantType::AuthorizationCode,
            status: GrantStatus::Active,
            subject: Some("eve\u{1b}]0;pwned\u{7}".into()),
            scopes_requested: vec!["openid".into()],
            scopes_granted: vec!["openid".into(), "admin".into()],
            scope_omitted: false,
            not_granted: vec![],
            not_requested: vec!["admin".into()],
            over_privileged: true,
            expires_at: Some(60),
            has_refresh_token: true,
            issued_at: 0,
            last_used_at: None,
            last_used_by: None,
            revoked: false,
            revoked_at: None,
            tokens: crate::grant_state::TokenStates::of(
                &crate::grant_state::Facts {
                    status: GrantStatus::Active,
                    has_access_token: true,
                    has_refresh_token: true,
                    has_id_token: false,
                    expires_at: Some(60),
                },
                0,
            ),
            authorization_details_types: vec![],
            authorization_details: vec![],
        }
    }

    #[test]
    fn csv_quotes_and_markdown_escapes() {
        let row = row();
        let csv = render_audit(std::slice::from_ref(&row), AuditFormat::Csv, 0).unwrap();
        assert!(
            csv.lines().nth(1).unwrap().starts_with(
                "\"a,\"\"b\"\"|c\",g1,authorization_code,active,eve\\u{1b}]0;pwned\\u{7},openid,openid admin,,admin,yes,1970-01-01T00:01:00Z,yes,"
            ),
            "CSV quotes commas and quotes, and escapes control characters: {csv}"
        );
        assert!(
            !csv.contains('\u{1b}') && !csv.contains('\u{7}'),
            "no raw control character reaches the CSV"
        );
        let md = render_audit(&[row.clone(), row], AuditFormat::Markdown, 0).unwrap();
        assert!(
            md.contains("| a,\"b\"\\|c | g1 |"),
            "Markdown escapes the pipe: {md}"
        );
        assert!(!md.contains('\u{1b}'), "no raw ESC reaches the Markdown");
        assert!(
            md.ends_with("\n2 grant(s).\n"),
            "the Markdown counts the rows it wrote: {md}"
        );
    }

    #[test]
    fn the_streamed_json_is_the_document_serde_json_prints() {
        let rows = vec![row(), row()];
        let streamed = render_audit(&rows, AuditFormat::Json, 0).unwrap();
        #[derive(serde::Serialize)]
        struct Document<'a> {
            generated_at: String,
            grants: &'a [AuditRow],
        }
        let whole = serde_json::to_string_pretty(&Document {
            generated_at: iso8601(0),
            grants: &rows,
        })
        .unwrap();
        assert_eq!(
            streamed, whole,
            "row-by-row JSON is byte for byte the document as one value"
        );
        let empty = render_audit(&[], AuditFormat::Json, 0).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&empty).expect("valid JSON");
        assert_eq!(
            parsed["grants"],
            serde_json::json!([]),
            "no grant: an empty list"
        );
    }
}
