//! Hostile and malformed WWW-Authenticate input: recovery, bounds, linear time, byte soup.

use super::*;
use std::time::{Duration, Instant};

fn one(header: &str) -> Challenges {
    parse([header])
}

#[test]
fn malformed_headers_yield_problems_and_what_could_be_read() {
    let c = one(r#"Bearer error="invalid_token", error_description="never closed, realm=x"#);
    assert_eq!(
        c.challenges[0].param("error"),
        Some("invalid_token"),
        "what came before an unterminated quote is kept"
    );
    assert_eq!(
        c.challenges[0].param("error_description"),
        Some("never closed, realm=x"),
        "an unterminated quoted string runs to the end of the line"
    );
    assert!(
        c.problems.iter().any(|p| p.contains("not closed")),
        "an unterminated quote is reported: {:?}",
        c.problems
    );

    let c = one(r#"Bearer realm="ab\"c\"#);
    assert_eq!(
        c.challenges[0].param("realm"),
        Some(r#"ab"c"#),
        "a backslash at the very end is dropped, not the text before it read twice"
    );

    let c = one("Bearer realm=\"a\0b\r\nc\", error=\"x\"");
    assert_eq!(
        (
            c.challenges[0].param("realm"),
            c.challenges[0].param("error")
        ),
        (Some("a\0b\r\nc"), Some("x")),
        "NUL, CR and LF inside a value are kept raw (the display layer escapes) and parsing goes on"
    );
    assert!(
        c.problems.iter().any(|p| p.contains("\\u{0}"))
            && !c.problems.iter().any(|p| p.contains('\0')),
        "the control character is named escaped, never raw, in the problem: {:?}",
        c.problems
    );

    let c = one("Bearer realm=\"a\", @@@ junk \"with, comma\", error=\"x\", DPoP algs=ES256");
    assert_eq!(
        (
            c.challenges[0].param("error"),
            c.challenges.len(),
            c.challenges[1].param("algs")
        ),
        (Some("x"), 2, Some("ES256")),
        "garbage is skipped to the next comma outside quotes, and reading resumes"
    );
    assert!(!c.problems.is_empty(), "the garbage is reported");

    let c = one(r#"realm="x", Bearer"#);
    assert!(
        c.problems.iter().any(|p| p.contains("before any scheme")),
        "a parameter without a scheme is reported: {:?}",
        c.problems
    );
    assert_eq!(c.challenges.len(), 1, "the scheme after it is still read");

    let c = one(r#"Bearer, realm="x""#);
    assert_eq!(
        c.challenges[0].param("realm"),
        Some("x"),
        "params after a comma still attach to Bearer"
    );
    assert!(
        c.problems.iter().any(|p| p.contains("after a space")),
        "but the missing space after the scheme is reported: {:?}",
        c.problems
    );

    let c = one("Bearer foo bar, Basic x");
    assert!(
        c.problems
            .iter()
            .any(|p| p.contains("token68 or name=value")),
        "two bare words after a scheme are reported: {:?}",
        c.problems
    );
    assert_eq!(
        c.challenges[1].token68.as_deref(),
        Some("x"),
        "the next challenge is still read"
    );

    let c = one("Bearer resource_metadata=https://rs.example/.well-known/oauth-protected-resource");
    assert_eq!(
        c.challenges[0].param("resource_metadata"),
        Some("https://rs.example/.well-known/oauth-protected-resource"),
        "an unquoted URL (servers send them) is kept whole"
    );
    assert!(
        c.problems
            .iter()
            .any(|p| p.contains("should be a quoted string")),
        "but reported as not a token: {:?}",
        c.problems
    );

    let c = one("Bearer abc, realm=\"x\"");
    let r = &c.oauth()[0];
    assert!(
        c.problems.iter().any(|p| p.contains("token68"))
            && r.problems.iter().any(|p| p.contains("token68")),
        "a parameter after a token68 is refused and a Bearer token68 is reported: {:?} {:?}",
        c.problems,
        r.problems
    );
}

#[test]
fn bounded_challenges_params_and_problems() {
    let many = vec!["Bearer"; MAX_CHALLENGES + 10].join(", ");
    let c = one(&many);
    assert_eq!(
        c.challenges.len(),
        MAX_CHALLENGES,
        "at most {MAX_CHALLENGES} challenges are kept"
    );
    assert!(
        c.problems
            .iter()
            .any(|p| p.contains("more than 64 challenges")),
        "the refusal is said: {:?}",
        c.problems
    );
    let lines = vec!["Bearer"; MAX_CHALLENGES + 1];
    assert_eq!(
        parse(lines.iter().copied()).challenges.len(),
        MAX_CHALLENGES,
        "the bound holds across field lines"
    );
    let many: Vec<String> = (0..MAX_PARAMS + 5).map(|i| format!("p{i}=v")).collect();
    let c = one(&format!("Bearer {}, DPoP algs=ES256", many.join(", ")));
    assert_eq!(
        c.challenges[0].params.len(),
        MAX_PARAMS,
        "at most {MAX_PARAMS} params are kept"
    );
    assert_eq!(
        c.problems
            .iter()
            .filter(|p| p.contains("parameters in the Bearer"))
            .count(),
        1,
        "the refusal is said once: {:?}",
        c.problems
    );
    assert_eq!(
        c.challenges[1].param("algs"),
        Some("ES256"),
        "the next challenge is still read"
    );
    let junk = "@,".repeat(1000);
    let c = one(&junk);
    assert_eq!(
        c.problems.len(),
        MAX_PROBLEMS + 1,
        "problems are capped, plus one counting the rest"
    );
    assert!(
        c.problems
            .last()
            .is_some_and(|p| p.contains("968 more problems")),
        "the last line counts the unlisted problems: {:?}",
        c.problems.last()
    );
}

#[test]
fn a_mebibyte_header_takes_linear_time() {
    const MIB: usize = 1 << 20;
    let shapes = [
        ",".repeat(MIB),
        format!("Bearer realm=\"{}", "a,".repeat(MIB / 2)),
        format!("Bearer {}", "x".repeat(MIB)),
        "a=b, ".repeat(MIB / 5),
        "Bearer ".repeat(MIB / 7),
        "\\\"".repeat(MIB / 2),
        format!("Bearer error_description=\"{}\"", "\\\\".repeat(MIB / 2)),
    ];
    for h in &shapes {
        let start = Instant::now();
        let c = one(h);
        let took = start.elapsed();
        assert!(
            took < Duration::from_secs(10),
            "a 1 MiB header ({}…) parses in linear time, not {took:?}",
            &h[..20]
        );
        assert!(
            c.challenges.len() <= MAX_CHALLENGES && c.problems.len() <= MAX_PROBLEMS + 1,
            "bounds hold on 1 MiB"
        );
    }
}

#[test]
fn canonical_form_reads_back_the_same() {
    let c = one(r#"Newauth realm="apps", type=1, title="Login to \"apps\" \\ ok", Basic abc=="#);
    let again = parse(
        c.challenges
            .iter()
            .map(Challenge::to_field_value)
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    assert_eq!(
        again, c,
        "to_field_value quotes and escapes so parse reads the same challenges back"
    );
}

/// A deterministic byte soup (no proptest in this crate): header-ish fragments and hostile
/// bytes in random order. Nothing panics, bounds hold, names are lowercase tokens, and every
/// challenge read writes back canonically and reads back the same.
#[test]
fn byte_soup_never_panics_and_round_trips() {
    const PIECES: &[&str] = &[
        "Bearer", "DPoP", "bearer", "Basic", " ", "\t", ",", "=", "==", "\"", "\\", "realm",
        "error", "max_age", "scope", "\"a b\"", "x", "\0", "\r", "\n", "é", "\u{202e}", "@",
        "abc/+", ";",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..4000 {
        let len = (next() % 40) as usize;
        let header: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let c = one(&header);
        assert!(
            c.challenges.len() <= MAX_CHALLENGES,
            "challenge bound on {header:?}"
        );
        for ch in &c.challenges {
            assert!(
                !ch.scheme.is_empty() && ch.scheme.bytes().all(is_tchar),
                "a scheme is a token: {header:?} → {ch:?}"
            );
            assert!(
                ch.params.iter().all(|(n, _)| !n.is_empty()
                    && n.bytes().all(|b| is_tchar(b) && !b.is_ascii_uppercase())),
                "param names are lowercased tokens: {header:?} → {ch:?}"
            );
        }
        assert!(
            c.problems.iter().all(|p| !crate::text::has_controls(p)),
            "problems are display-safe: {header:?} → {:?}",
            c.problems
        );
        let written: Vec<String> = c.challenges.iter().map(Challenge::to_field_value).collect();
        let again = parse(written.iter().map(String::as_str));
        assert_eq!(
            again.challenges, c.challenges,
            "canonical form reads back: {header:?} → {written:?}"
        );
        for r in c.oauth() {
            assert!(
                r.problems.iter().all(|p| !crate::text::has_controls(p)),
                "oauth problems are display-safe"
            );
        }
    }
}
