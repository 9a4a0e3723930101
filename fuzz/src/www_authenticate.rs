//! The `www_authenticate` target: the WWW-Authenticate challenge parser and its properties.

/// `challenge::parse` (RFC 9110 §11.6.1) on field lines separated by `\n` (each line one
/// `WWW-Authenticate` value), then `Challenges::oauth`. Properties: the bounds hold, schemes
/// and parameter names are tokens (names lowercased), problems are display-safe, and every
/// challenge read, written back canonically (`Challenge::to_field_value`), reads back the same.
pub fn www_authenticate(data: &[u8]) {
    use oauthdesk_protocol::challenge::{self, MAX_CHALLENGES, MAX_PARAMS, MAX_PROBLEMS};
    use oauthdesk_protocol::text::has_controls;
    let input = super::text(data);
    let parsed = challenge::parse(input.split('\n'));
    assert!(
        parsed.challenges.len() <= MAX_CHALLENGES && parsed.problems.len() <= MAX_PROBLEMS + 1,
        "bounded: {} challenges, {} problems",
        parsed.challenges.len(),
        parsed.problems.len()
    );
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    for c in &parsed.challenges {
        assert!(token(&c.scheme), "a scheme is a token: {c:?}");
        assert!(c.params.len() <= MAX_PARAMS, "at most {MAX_PARAMS} params");
        assert!(
            c.params
                .iter()
                .all(|(n, _)| token(n) && !n.bytes().any(|b| b.is_ascii_uppercase())),
            "param names are lowercased tokens: {c:?}"
        );
        assert!(
            c.token68.is_none() || c.params.is_empty(),
            "a token68 or params, not both: {c:?}"
        );
    }
    assert!(
        parsed.problems.iter().all(|p| !has_controls(p)),
        "problems are display-safe: {:?}",
        parsed.problems
    );
    let written: Vec<String> = parsed
        .challenges
        .iter()
        .map(challenge::Challenge::to_field_value)
        .collect();
    let again = challenge::parse(written.iter().map(String::as_str));
    assert!(
        again.challenges == parsed.challenges,
        "the canonical form reads back the same\nwritten: {written:?}\nfirst:  {:?}\nagain:  {:?}",
        parsed.challenges,
        again.challenges
    );
    for r in parsed.oauth() {
        assert!(
            r.problems.iter().all(|p| !has_controls(p)),
            "OAuth problems are display-safe: {:?}",
            r.problems
        );
        let _ = serde_json::to_string(&r);
    }
    let _ = serde_json::to_string(&parsed);
}
