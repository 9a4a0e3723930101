//! `report NAME --profile P`: the provider report against a security profile.

use clap::ValueEnum;

/// The profiles `report --profile` checks against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "lower")]
pub enum ReportProfile {
    /// The FAPI 2.0 Security Profile (OpenID Final, February 2025).
    Fapi2,
}
