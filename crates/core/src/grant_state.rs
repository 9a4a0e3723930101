//! What a grant holds now, derived in one place for every screen of the GUI and the CLI: the
//! access token active / expired / revoked, the refresh token present / rejected, the ID token,
//! and the one headline a list row shows. Before this, each screen read the stored flags its own
//! way, and a grant whose access token was revoked still read "active · expires in 57 min".

use crate::model::{GrantStatus, GrantView};
use serde::Serialize;

/// The access token's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum AccessState {
    /// Stored and, as far as its `expires_in` says, still valid (or no expiry was given).
    Active,
    /// Stored, past its expiry.
    Expired,
    /// Revoked here (RFC 7009) and no longer stored.
    Revoked,
}

/// The refresh token's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RefreshState {
    /// Stored: a new access token can be had without the browser.
    Present,
    /// The server refused it (`invalid_grant`): spent, expired or revoked there.
    Rejected,
    /// None stored: never issued, or revoked with the grant.
    None,
}

/// The one word a grant's row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Headline {
    /// The access token is active.
    Active,
    /// The access token is expired or revoked, but the refresh token gets a new one on demand.
    Refreshable,
    /// Expired, with no refresh token: log in again (client credentials: just ask again).
    Expired,
    /// The refresh token was refused: log in again.
    NeedsLogin,
    Revoked,
}

impl Headline {
    pub fn as_str(self) -> &'static str {
        match self {
            Headline::Active => "active",
            Headline::Refreshable => "refreshable",
            Headline::Expired => "expired",
            Headline::NeedsLogin => "needs_login",
            Headline::Revoked => "revoked",
        }
    }
}

/// The state of a grant's tokens at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct TokenStates {
    pub headline: Headline,
    pub access: AccessState,
    pub refresh: RefreshState,
    pub id_token: bool,
    /// When the access token expires (Unix seconds), for an active or expired one that had an
    /// expiry; `null` otherwise. "expires in" is shown only while `access` is active.
    pub access_expires_at: Option<i64>,
    /// Whether a call with this grant can go ahead now: an active access token, or a refresh
    /// token to get one.
    pub usable: bool,
}

/// The stored facts the state is derived from.
pub struct Facts {
    pub status: GrantStatus,
    pub has_access_token: bool,
    pub has_refresh_token: bool,
    pub has_id_token: bool,
    pub expires_at: Option<i64>,
}

impl TokenStates {
    /// The state at `now` (Unix seconds). An access token is expired from its `expires_at` on.
    pub fn of(f: &Facts, now: i64) -> TokenStates {
        let revoked = f.status == GrantStatus::Revoked;
        let access = if revoked || !f.has_access_token {
            // Only a revocation removes a stored access token (RFC 7009 here).
            AccessState::Revoked
        } else if f.expires_at.is_some_and(|e| e <= now) {
            AccessState::Expired
        } else {
            AccessState::Active
        };
        let refresh = match (f.status, f.has_refresh_token) {
            (GrantStatus::NeedsLogin, _) => RefreshState::Rejected,
            (GrantStatus::Revoked, _) | (_, false) => RefreshState::None,
            (GrantStatus::Active, true) => RefreshState::Present,
        };
        let headline = match (f.status, access, refresh) {
            (GrantStatus::Revoked, _, _) => Headline::Revoked,
            (_, AccessState::Active, _) => Headline::Active,
            (GrantStatus::NeedsLogin, _, _) => Headline::NeedsLogin,
            (_, _, RefreshState::Present) => Headline::Refreshable,
            (_, AccessState::Revoked, _) => Headline::Revoked,
            _ => Headline::Expired,
        };
        TokenStates {
            headline,
            access,
            refresh,
            id_token: f.has_id_token && !revoked,
            access_expires_at: match access {
                AccessState::Revoked => None,
                _ => f.expires_at,
            },
            usable: access == AccessState::Active || refresh == RefreshState::Present,
        }
    }

    pub fn of_view(v: &GrantView, now: i64) -> TokenStates {
        TokenStates::of(
            &Facts {
                status: v.status,
                has_access_token: v.has_access_token,
                has_refresh_token: v.has_refresh_token,
                has_id_token: v.has_id_token,
                expires_at: v.expires_at,
            },
            now,
        )
    }

    /// Why no call can be made with this grant, in words; `None` when one can.
    pub fn why_unusable(&self) -> Option<&'static str> {
        if self.usable {
            return None;
        }
        Some(match self.headline {
            Headline::Revoked => "the grant was revoked: obtain a new token on Authorize",
            Headline::NeedsLogin => {
                "the server refused the refresh token: log in again on Authorize"
            }
            _ => match self.access {
                AccessState::Revoked => {
                    "the access token was revoked and there is no refresh token: obtain a new one"
                }
                _ => "the access token expired and there is no refresh token: obtain a new one",
            },
        })
    }

    /// The state in words, as the CLI prints it: "access token active, expires in 57 min ·
    /// refresh token present · ID token".
    pub fn in_words(&self, now: i64) -> String {
        let access = match (self.access, self.access_expires_at) {
            (AccessState::Active, Some(e)) => {
                format!(
                    "access token active, expires in {}",
                    span(e.saturating_sub(now))
                )
            }
            (AccessState::Active, None) => "access token active (no expiry given)".to_owned(),
            (AccessState::Expired, Some(e)) => {
                format!("access token expired {} ago", span(now.saturating_sub(e)))
            }
            (AccessState::Expired, None) => "access token expired".to_owned(),
            (AccessState::Revoked, _) => "access token revoked".to_owned(),
        };
        let refresh = match self.refresh {
            RefreshState::Present => "refresh token present",
            RefreshState::Rejected => "refresh token refused by the server",
            RefreshState::None => "no refresh token",
        };
        let id = if self.id_token { " · ID token" } else { "" };
        format!("{access} · {refresh}{id}")
    }
}

/// A non-negative span in the largest whole unit: "42 s", "57 min", "3 h", "12 d".
fn span(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..60 => format!("{secs} s"),
        60..3_600 => format!("{} min", secs / 60),
        3_600..86_400 => format!("{} h", secs / 3_600),
        _ => format!("{} d", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(status: GrantStatus, access: bool, refresh: bool, expires_at: Option<i64>) -> Facts {
        Facts {
            status,
            has_access_token: access,
            has_refresh_token: refresh,
            has_id_token: true,
            expires_at,
        }
    }

    #[test]
    fn a_revoked_access_token_with_a_refresh_token_is_refreshable_not_active() {
        let s = TokenStates::of(&facts(GrantStatus::Active, false, true, Some(1_000)), 100);
        assert_eq!(
            s.access,
            AccessState::Revoked,
            "no stored access token means revoked"
        );
        assert_eq!(
            s.headline,
            Headline::Refreshable,
            "the row must not say active"
        );
        assert_eq!(
            s.access_expires_at, None,
            "no 'expires in' for a revoked token"
        );
        assert!(s.usable, "a refresh token makes a call possible");
    }

    #[test]
    fn expiry_is_judged_at_now_and_only_a_live_token_is_active() {
        let f = facts(GrantStatus::Active, true, false, Some(1_000));
        assert_eq!(
            TokenStates::of(&f, 999).headline,
            Headline::Active,
            "before exp"
        );
        let after = TokenStates::of(&f, 1_000);
        assert_eq!(
            after.access,
            AccessState::Expired,
            "at exp the token is expired"
        );
        assert_eq!(
            after.headline,
            Headline::Expired,
            "no refresh token: expired"
        );
        assert!(!after.usable, "nothing can make the call");
        assert!(
            after.why_unusable().is_some_and(|w| w.contains("expired")),
            "the reason names the expiry"
        );
    }

    #[test]
    fn hostile_times_do_not_overflow() {
        let f = facts(GrantStatus::Active, true, true, Some(i64::MIN));
        let s = TokenStates::of(&f, i64::MAX);
        assert_eq!(
            s.access,
            AccessState::Expired,
            "an expiry in the far past is expired"
        );
        let words = s.in_words(i64::MAX);
        assert!(
            words.contains("expired"),
            "words for an extreme time: {words}"
        );
        let f = facts(GrantStatus::Active, true, true, Some(i64::MAX));
        assert!(
            TokenStates::of(&f, i64::MIN)
                .in_words(i64::MIN)
                .contains("active"),
            "far future"
        );
    }

    #[test]
    fn a_rejected_refresh_token_needs_a_login_and_revoked_is_revoked() {
        let s = TokenStates::of(&facts(GrantStatus::NeedsLogin, true, true, Some(10)), 100);
        assert_eq!(
            (s.headline, s.refresh),
            (Headline::NeedsLogin, RefreshState::Rejected),
            "refused refresh"
        );
        assert!(!s.usable, "a refused refresh token cannot make a call");
        let s = TokenStates::of(&facts(GrantStatus::Revoked, false, false, Some(1_000)), 100);
        assert_eq!(
            (s.headline, s.access, s.id_token),
            (Headline::Revoked, AccessState::Revoked, false),
            "revoked grant"
        );
    }
}
