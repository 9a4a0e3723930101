//! `report NAME --profile fapi2`: the FAPI 2.0 verdict — the summary line, the findings as the
//! provider report prints them, then what passed and what no record shows. Exit codes as the
//! plain report (0 when the report was made, whatever it says).

use crate::output::{self, errln, finding_list, outln, safe};
use oauthdesk_core::desk::{ProfileReport, ProfileVerdict};
use oauthdesk_core::protocol::profile::ProfileCheck;
use oauthdesk_core::{CoreError, Desk};

pub async fn fapi2(desk: &Desk, name: &str, json: bool) -> Result<u8, CoreError> {
    let report = desk.fapi2_report(name).await?;
    if json {
        output::json(&report);
    } else {
        render(&report);
    }
    Ok(0)
}

fn render(r: &ProfileReport) {
    outln!(
        "{} for {} ({}): {} flow(s), {} exchange(s) checked.",
        safe(&r.profile_name),
        safe(&r.client),
        r.issuer.as_deref().map_or_else(|| "no issuer".into(), safe),
        r.flows_checked,
        r.exchanges_checked,
    );
    outln!("{}", safe(&r.summary));
    if r.verdict == ProfileVerdict::ConformantForWhatWasObserved && !r.not_observed.is_empty() {
        errln!(
            "note: {} rule(s) could not be observed (listed below); the verdict covers only what was recorded",
            r.not_observed.len()
        );
    }
    if !r.findings.is_empty() {
        finding_list(&r.findings);
    }
    checks("passed", &r.passed);
    checks("not observed", &r.not_observed);
}

fn checks(title: &str, list: &[ProfileCheck]) {
    if list.is_empty() {
        return;
    }
    outln!("\n{} ({}):", title.to_uppercase(), list.len());
    for c in list {
        outln!(
            "  {}  [{}]  at {}",
            safe(&c.code),
            safe(&c.section),
            safe(&c.source)
        );
        outln!("    {} — {}", safe(&c.requirement), safe(&c.detail));
    }
}
