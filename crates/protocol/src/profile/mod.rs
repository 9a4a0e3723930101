//! Security profiles: an authorization server checked against a profile's rules, from what a
//! client can see of it (its metadata and the recorded exchanges), never more.

pub mod fapi2;
mod fapi2_credentials;
mod fapi2_exchanges;

use serde::{Deserialize, Serialize};

/// How a profile rule came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A "shall" / "shall not" of the profile is broken.
    Violation,
    /// Against a "should", or a security consideration of the profile.
    Advice,
    /// Checked, and the server did what the rule asks.
    Passed,
    /// Nothing recorded shows it either way (no such exchange yet, or not visible to a client).
    NotObserved,
}

/// One rule of a profile, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ProfileCheck {
    pub code: String,
    pub outcome: Outcome,
    /// The profile's section (and item), e.g. `FAPI 2.0 SP §5.3.2.2 (5)`.
    pub section: String,
    /// The rule, in words.
    pub requirement: String,
    /// What was seen (or why nothing could be).
    pub detail: String,
    /// Where: `metadata`, or the recorded step (`pushed authorization request`, …).
    pub source: String,
    /// How many times it was seen (exchanges).
    pub occurrences: u32,
}

impl ProfileCheck {
    pub(crate) fn new(
        code: &str,
        outcome: Outcome,
        section: &str,
        requirement: &str,
        detail: String,
        source: &str,
    ) -> ProfileCheck {
        ProfileCheck {
            code: code.into(),
            outcome,
            section: section.into(),
            requirement: requirement.into(),
            detail: crate::text::escape_controls(&detail, false),
            source: source.into(),
            occurrences: 1,
        }
    }
}
