//! Rendering of `client import`'s report (`client export` writes JSON only).

use oauthdesk_core::desk::ImportReport;

pub fn import_report(r: &ImportReport) {
    println!(
        "Read as {}: {} client(s) added.",
        if r.source == "postman" {
            "a Postman collection"
        } else {
            "an OAuth Desk export"
        },
        r.added.len()
    );
    for n in &r.added {
        println!("  added    {n}");
    }
    for (n, why) in &r.skipped {
        println!("  skipped  {n}: {why}");
    }
    for n in &r.secrets_stored {
        println!(
            "  secret of {n} moved into the keychain (the Postman file still holds it in plain text)"
        );
    }
    for n in &r.need_secret {
        println!("  {n} needs its secret: `oauthdesk client set-secret {n:?} < secret.txt`");
    }
}
