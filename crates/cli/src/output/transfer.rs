//! Rendering of `client import`'s report (`client export` writes JSON only).

use super::safe;
use oauthdesk_core::desk::ImportReport;

pub fn import_report(r: &ImportReport) {
    outln!(
        "Read as {}: {} client(s) added.",
        if r.source == "postman" {
            "a Postman collection"
        } else {
            "an OAuth Desk export"
        },
        r.added.len()
    );
    for n in &r.added {
        outln!("  added    {}", safe(n));
    }
    for (n, why) in &r.skipped {
        outln!("  skipped  {}: {}", safe(n), safe(why));
    }
    for n in &r.secrets_stored {
        let n = safe(n);
        outln!(
            "  secret of {n} moved into the keychain (the Postman file still holds it in plain text)"
        );
    }
    for n in &r.need_secret {
        outln!(
            "  {} needs its secret: `oauthdesk client set-secret {} < secret.txt`",
            safe(n),
            safe(&format!("{n:?}"))
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::output::tests::{PWNED, assert_inert, capture};
    use oauthdesk_core::desk::ImportReport;

    #[test]
    fn import_report_escapes_names_and_reasons_from_the_file() {
        let r = ImportReport {
            source: "postman".into(),
            added: vec![format!("a{PWNED}")],
            skipped: vec![(format!("b{PWNED}"), format!("why {PWNED}"))],
            need_secret: vec![format!("c{PWNED}")],
            secrets_stored: vec![format!("d{PWNED}")],
        };
        assert_inert(
            &capture(|| super::import_report(&r)),
            "client import report (names and reasons read from the file)",
        );
    }
}
