//! The generic JWT claim checks (RFC 7519 §4.1) that ID tokens and access tokens share: `iss`
//! against an expected issuer (§4.1.1), `aud` read as one or many (§4.1.3), and the times
//! `exp`, `iat`, `nbf` (§4.1.4–4.1.6) as NumericDates (§2) with a clock-skew tolerance.

use super::Check;
use serde_json::Value;

pub(super) fn num(claims: &Value, name: &str) -> Option<i64> {
    match claims.get(name)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        _ => None,
    }
}

/// 2000-01-01T00:00:00Z. No token OAuth Desk can meet was issued before it.
pub const EARLIEST_PLAUSIBLE: i64 = 946_684_800;

/// About a century, in seconds: no token is valid that long.
const CENTURY: i64 = 100 * 365 * 86_400;

/// A NumericDate (RFC 7519 §2) no real issuer writes: before 2000, or over a century from
/// `now` (`auth_time: 0`, milliseconds instead of seconds, …). Such a time is reported as a
/// deviation rather than read as "20 788 days ago".
pub fn implausible(t: i64, now: i64) -> bool {
    t < EARLIEST_PLAUSIBLE || t > now.saturating_add(CENTURY)
}

/// The reason for an implausible `name` of `t`.
pub(super) fn implausible_reason(name: &str, t: i64) -> String {
    format!(
        "`{name}` is {t}, before the year 2000 or over a century away: the issuer wrote an impossible time (seconds expected, RFC 7519 §2)"
    )
}

/// "in 4 min", "3 h ago": the relative form every reason uses.
pub fn relative(secs: i64) -> String {
    let a = secs.unsigned_abs();
    if a < 5 {
        return "just now".into();
    }
    let span = if a < 90 {
        format!("{a} s")
    } else if a < 90 * 60 {
        format!("{} min", a / 60)
    } else if a < 48 * 3600 {
        format!("{} h", a / 3600)
    } else {
        format!("{} days", a / 86400)
    };
    if secs >= 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

pub(super) fn time_checks(
    claims: &Value,
    now: i64,
    skew: i64,
    spec: &str,
    checks: &mut Vec<Check>,
    required_iat: bool,
) {
    match claims.get("exp") {
        None => checks.push(Check::fail(
            "exp",
            "claim_missing",
            spec,
            "no `exp` claim: the token never says when it stops being valid",
        )),
        Some(_) => match num(claims, "exp") {
            None => checks.push(Check::fail(
                "exp",
                "claim_invalid",
                spec,
                "`exp` is not a number (NumericDate, RFC 7519 §2)",
            )),
            Some(exp) if now.saturating_sub(skew) >= exp => checks.push(Check::fail(
                "exp",
                "expired",
                spec,
                format!(
                    "expired {} (clock-skew tolerance {skew} s)",
                    relative(exp.saturating_sub(now))
                ),
            )),
            Some(exp) if implausible(exp, now) => checks.push(Check::warn(
                "exp",
                "implausible_time",
                spec,
                implausible_reason("exp", exp),
            )),
            Some(exp) => checks.push(Check::pass(
                "exp",
                spec,
                format!("expires {}", relative(exp.saturating_sub(now))),
            )),
        },
    }
    match num(claims, "iat") {
        None if required_iat => checks.push(Check::fail("iat", "claim_missing", spec, "no `iat` claim")),
        None => checks.push(Check::not_applicable("iat", spec, "no `iat` claim")),
        Some(iat) if iat > now.saturating_add(skew) => checks.push(Check::fail(
            "iat",
            "iat_future",
            spec,
            format!(
                "issued {} — in the future beyond the {skew} s clock-skew tolerance: the issuer's clock or the token is wrong",
                relative(iat.saturating_sub(now))
            ),
        )),
        Some(iat) if implausible(iat, now) => checks.push(Check::warn(
            "iat",
            "implausible_time",
            spec,
            implausible_reason("iat", iat),
        )),
        Some(iat) => checks.push(Check::pass(
            "iat",
            spec,
            format!("issued {}", relative(iat.saturating_sub(now))),
        )),
    }
    match num(claims, "nbf") {
        None => checks.push(Check::not_applicable(
            "nbf",
            "RFC 7519 §4.1.5",
            "no `nbf` claim",
        )),
        Some(nbf) if nbf > now.saturating_add(skew) => checks.push(Check::fail(
            "nbf",
            "not_yet_valid",
            "RFC 7519 §4.1.5",
            format!(
                "not valid before {} (beyond the {skew} s tolerance)",
                relative(nbf.saturating_sub(now))
            ),
        )),
        Some(nbf) if implausible(nbf, now) => checks.push(Check::warn(
            "nbf",
            "implausible_time",
            "RFC 7519 §4.1.5",
            implausible_reason("nbf", nbf),
        )),
        Some(nbf) => checks.push(Check::pass(
            "nbf",
            "RFC 7519 §4.1.5",
            format!("valid since {}", relative(nbf.saturating_sub(now))),
        )),
    }
}

pub(super) fn audiences(claims: &Value) -> Vec<String> {
    match claims.get("aud") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => vec![],
    }
}

pub(super) fn iss_check(claims: &Value, issuer: Option<&str>, spec: &str, checks: &mut Vec<Check>) {
    let iss = claims.get("iss").and_then(Value::as_str);
    match (iss, issuer) {
        (None, _) => checks.push(Check::fail("iss", "claim_missing", spec, "no `iss` claim")),
        (Some(iss), None) => checks.push(Check::not_applicable(
            "iss",
            spec,
            format!("issued by {iss}; no expected issuer to compare with"),
        )),
        (Some(iss), Some(want)) if iss == want => {
            checks.push(Check::pass("iss", spec, format!("issuer is {iss}")))
        }
        (Some(iss), Some(want)) => checks.push(Check::fail(
            "iss",
            "iss_mismatch",
            spec,
            format!("issuer is {iss}, expected exactly {want}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(relative(2), "just now", "a few seconds is now");
        assert_eq!(relative(-30), "30 s ago", "the past reads 'ago'");
        assert_eq!(relative(4 * 60), "in 4 min", "minutes");
        assert_eq!(relative(-3 * 3600), "3 h ago", "hours");
        assert_eq!(relative(3 * 86400), "in 3 days", "days");
        assert!(
            relative(i64::MIN).ends_with("ago"),
            "the most negative number does not overflow abs()"
        );
    }

    #[test]
    fn extreme_and_implausible_times_never_panic_and_are_named() {
        let now = 1_700_000_000;
        let check = |claims: Value, name: &str| {
            let mut checks = Vec::new();
            time_checks(&claims, now, i64::MAX, "RFC 7519 §4.1", &mut checks, true);
            checks
                .into_iter()
                .find(|c| c.name == name)
                .and_then(|c| c.code)
        };
        assert_eq!(
            check(json!({"exp": i64::MAX, "iat": now}), "exp").as_deref(),
            Some("implausible_time"),
            "an exp of i64::MAX with an i64::MAX skew is reported, not overflowed"
        );
        assert_eq!(
            check(json!({"exp": now + 60, "iat": i64::MIN}), "iat").as_deref(),
            Some("implausible_time"),
            "an iat of i64::MIN is implausible"
        );
        assert_eq!(
            check(json!({"exp": now + 60, "iat": now, "nbf": 1e300}), "nbf").as_deref(),
            Some("implausible_time"),
            "1e300 saturates to i64::MAX; within an i64::MAX skew it is merely implausible"
        );
        assert_eq!(
            check(json!({"exp": now + 60, "iat": 0}), "iat").as_deref(),
            Some("implausible_time"),
            "iat 0 (1970) is not read as '19 000 days ago'"
        );
    }

    #[test]
    fn time_checks_read_numeric_dates_with_the_skew() {
        let now = 1_700_000_000;
        let codes = |claims: Value| {
            let mut checks = Vec::new();
            time_checks(&claims, now, 30, "RFC 7519 §4.1", &mut checks, true);
            checks
                .into_iter()
                .map(|c| (c.name, c.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(json!({"exp": "soon", "nbf": now + 60})),
            [
                ("exp".to_owned(), Some("claim_invalid".to_owned())),
                ("iat".to_owned(), Some("claim_missing".to_owned())),
                ("nbf".to_owned(), Some("not_yet_valid".to_owned())),
            ],
            "a non-numeric exp, a missing iat and a future nbf are each named"
        );
        assert_eq!(
            audiences(&json!({"aud": ["a", "b"]})),
            ["a", "b"],
            "aud may be an array (RFC 7519 §4.1.3)"
        );
    }
}
