//! The bodies of the fuzz targets (`fuzz_targets/*.rs` are one call each). Plain functions of
//! `&[u8]`, so `tests/tests/fuzz_corpus.rs` replays the committed corpus and the regressions
//! through exactly the same code on stable (it includes this file with `#[path]`).
//!
//! Every function must not panic on any input; `redaction` also asserts its property (a
//! secret never reaches the redacted body). Input formats are described on each function.

use oauthdesk_protocol::http::HttpResponse;
use oauthdesk_protocol::verify::{self, AccessTokenContext, IdTokenContext, KeySet};
use oauthdesk_protocol::{ClientSecret, discovery, endpoint, grant, jose, loopback, transcript};
use serde_json::{Map, Value};
use std::sync::LazyLock;

mod mcp_answer;
mod www_authenticate;
pub use mcp_answer::mcp_answer;
pub use www_authenticate::www_authenticate;

/// A fixed issuer JWKS: RSA, EC P-256 and Ed25519 signing keys, an `enc` key and an unusable
/// P-521 entry. The private halves are not kept; seeds were signed once when it was made.
pub const TEST_JWKS: &str = r#"{"keys": [{"kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256", "n": "tg7jSoXP3dnXp94VaVYDN5JCdRzRF-KQyGwMc-ZR4D31tQp3Ov8SkrlR7x5Jt-pAzJvZHKoPCtg5TvSphwxZMaR69t6n9uSADHSbZ71xVeb8vdJ5QlmJemJbHtVlXjTpNZkg0F_Hlm7IBJo5Wrr6pkvYqGoVCJC-2gJQa30yg8PD3mWBbivtVg3PhlmZMcpw55_eldk-_j0g_p5o5LCAKPQnajWrUX_GwNl51dQQ2LziE9iDVBDby1p7ylcwXUKEzIiCbXfJKjPEsE51yB8izumI2MvQQE3mL-TZh8gnPnNotNSrrgOTR6mdzG6zItdvOxXA39WOu8J0XCllsp2aiw", "e": "AQAB"}, {"kty": "EC", "kid": "ec-1", "use": "sig", "alg": "ES256", "crv": "P-256", "x": "7NacPtkC_3_ZBKB5foY0-Vq7eDoa6k7_4JyRjYBO-dA", "y": "6KEX3Yf0i-QRua4bvJds68VO7b289X8wjnfB41VTE8s"}, {"kty": "OKP", "kid": "ed-1", "use": "sig", "crv": "Ed25519", "x": "c_O43Ma8i5LZEVHteB7fpDLIm5OpJURefx5pBFZa74s"}, {"kty": "RSA", "kid": "enc-1", "use": "enc", "n": "tg7jSoXP3dnXp94VaVYDN5JCdRzRF-KQyGwMc-ZR4D31tQp3Ov8SkrlR7x5Jt-pAzJvZHKoPCtg5TvSphwxZMaR69t6n9uSADHSbZ71xVeb8vdJ5QlmJemJbHtVlXjTpNZkg0F_Hlm7IBJo5Wrr6pkvYqGoVCJC-2gJQa30yg8PD3mWBbivtVg3PhlmZMcpw55_eldk-_j0g_p5o5LCAKPQnajWrUX_GwNl51dQQ2LziE9iDVBDby1p7ylcwXUKEzIiCbXfJKjPEsE51yB8izumI2MvQQE3mL-TZh8gnPnNotNSrrgOTR6mdzG6zItdvOxXA39WOu8J0XCllsp2aiw", "e": "AQAB"}, {"kty": "EC", "kid": "p521", "crv": "P-521", "x": "AA", "y": "AA"}]}"#;

/// The client secret of the HMAC key set (OIDC Core §10.1).
pub const TEST_CLIENT_SECRET: &str = "fuzz-client-secret-0123456789abcdef";

/// The `now` of every claim check: 2023-11-14T22:13:20Z.
pub const NOW: i64 = 1_700_000_000;

static JWKS_KEYS: LazyLock<KeySet> =
    LazyLock::new(|| KeySet::parse(TEST_JWKS, "the test JWKS").expect("the test JWKS parses"));
static SECRET_KEYS: LazyLock<KeySet> = LazyLock::new(|| {
    KeySet::from_client_secret(&ClientSecret::new(TEST_CLIENT_SECRET), "the client secret")
});

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// `jose::decode` on any string.
pub fn jwt_decode(data: &[u8]) {
    let token = text(data);
    if let Some(d) = jose::decode(&token) {
        let _ = format!("{d:?}");
        assert!(
            d.encrypted == d.claims.is_none(),
            "a JWS has claims and a JWE has none: {d:?}"
        );
    }
}

/// Input: `TOKEN` or `TOKEN\nKEY MATERIAL`. The token is verified against the fixed JWKS,
/// the client-secret key set and (when given and parsable) the pasted key material
/// (`KeySet::parse`: a JWKS, a JWK or a PEM); its claims go through the ID token and
/// access token checks (`iss`, `aud`, `exp` / `iat` / `nbf`, `auth_time`, hashes) with
/// both a `max_age` and none.
pub fn jwt_verify(data: &[u8]) {
    let input = text(data);
    let (token, material) = match input.split_once('\n') {
        Some((t, m)) => (t, Some(m)),
        None => (input.as_str(), None),
    };
    for keys in [&*JWKS_KEYS, &*SECRET_KEYS] {
        let outcome = verify::verify_signature(token, keys);
        let _ = outcome.check.to_string();
    }
    if let Some(m) = material
        && let Ok(mut pasted) = KeySet::parse(m, "the pasted key")
    {
        let _ = verify::verify_signature(token, &pasted).check.to_string();
        let _ = pasted.has_kid("rsa-1");
        pasted.merge(KeySet::default());
    }
    let Some(decoded) = jose::decode(token) else {
        return;
    };
    let Some(claims) = decoded.claims else {
        return;
    };
    let header = decoded.header;
    for max_age in [None, Some(300), Some(i64::MAX), Some(i64::MIN)] {
        let ctx = IdTokenContext {
            issuer: Some("https://as.example"),
            client_id: Some("fuzz-client"),
            nonce: Some("n-0S6_WzA2Mj"),
            max_age,
            access_token: Some("SlAV32hkKG"),
            at_hash_required: max_age.is_some(),
            code: Some("Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Wxf"),
            expected_algs: vec!["RS256".into(), "ES256".into(), "EdDSA".into()],
            expected_algs_origin: "the client's registration",
            now: NOW,
            skew: 60,
        };
        for check in verify::id_token_checks(&header, &claims, &ctx) {
            let _ = check.to_string();
        }
    }
    let ctx = AccessTokenContext {
        issuer: Some("https://as.example"),
        client_id: Some("fuzz-client"),
        resource: Some("https://api.example"),
        now: NOW,
        skew: 60,
    };
    for check in verify::access_token_checks(&header, &claims, &ctx) {
        let _ = check.to_string();
    }
    let _ = verify::token_scopes(&claims);
    if let Some(alg) = header.get("alg").and_then(Value::as_str) {
        let _ = verify::half_hash(alg, token);
    }
}

/// Input: a first line `STATUS CONTENT-TYPE` (`200 application/json`), then the body.
/// Without a newline, or without a number first, the status is 200 and the line is the
/// content type (see [`response`]).
pub fn response(data: &[u8]) -> HttpResponse {
    let (head, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (text(&data[..i]), data[i + 1..].to_vec()),
        None => (String::new(), data.to_vec()),
    };
    let head = head.trim_end_matches('\r');
    let (status, content_type) = match head.split_once(' ') {
        Some((s, ct)) if s.parse::<u16>().is_ok() => (s.parse::<u16>().unwrap_or(200), ct),
        _ => match head.parse::<u16>() {
            Ok(s) => (s, ""),
            Err(_) => (200, head),
        },
    };
    let mut headers = vec![("content-type".to_owned(), content_type.to_owned())];
    if content_type.is_empty() {
        headers.clear();
    }
    HttpResponse {
        url: "https://as.example/token".into(),
        status,
        headers,
        body,
    }
}

/// `grant::parse_token_response` on a response built by [`response`]; results and errors
/// are formatted too (their `Debug` and `Display` redact).
pub fn token_response(data: &[u8]) {
    let resp = response(data);
    match grant::parse_token_response(&resp) {
        Ok(t) => {
            let _ = format!("{t:?}");
            assert!(
                t.expires_in
                    .is_none_or(|e| (0..=grant::MAX_LIFETIME_SECS).contains(&e)),
                "expires_in is bounded: {:?}",
                t.expires_in
            );
            let _ = grant::expiry_at(NOW, t.expires_in);
        }
        Err(e) => {
            let _ = (e.to_string(), format!("{e:?}"));
        }
    }
}

/// `endpoint::read_object` (device authorization, introspection, PAR, registration and
/// revocation answers), `discovery::parse_metadata` with the issuer comparison, and the
/// first line read as a `WWW-Authenticate` challenge, on a response built by [`response`].
pub fn oauth_response(data: &[u8]) {
    let resp = response(data);
    match endpoint::read_object(&resp) {
        Ok(o) => {
            let _ = (o.text("device_code"), format!("{:?}", o.deviations));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    match discovery::parse_metadata(&resp) {
        Ok(meta) => {
            let _ = discovery::issuer_matches(&meta.issuer, "https://as.example");
            let _ = discovery::issuer_matches(
                &meta.issuer,
                "https://login.microsoftonline.com/common/v2.0",
            );
            let _ = serde_json::to_string(&meta);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    let _ = oauthdesk_protocol::userinfo::parse_www_authenticate(resp.content_type());
}

/// The member names `transcript::is_secret_key` redacts: the one list, from the library.
use oauthdesk_protocol::transcript::SECRET_KEYS as SECRET_NAMES;

/// Names that are not secrets.
const PLAIN_NAMES: &[&str] = &[
    "token_type",
    "expires_in",
    "scope",
    "state",
    "error",
    "error_description",
    "issued_token_type",
    "client_id",
    "grant_type",
    "redirect_uri",
    "username",
    "user_code",
    "verification_uri",
    "active",
    "sub",
    "keys",
];

/// The alphabet secrets are made of. Nothing else the generator writes contains 8 of these in
/// a row (plain text has none, numbers have at most 4 digits), so 8 of them in the output can
/// only have come from a secret.
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// At most this many members, elements or pairs per document (the truncation pass is quadratic).
const MAX_ITEMS: usize = 32;

struct Bytes<'a> {
    data: &'a [u8],
    items: usize,
}

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.data.split_first()?;
        self.data = rest;
        Some(b)
    }
    fn pick<'n>(&mut self, names: &[&'n str]) -> &'n str {
        names[usize::from(self.byte().unwrap_or(0)) % names.len()]
    }
    /// Plain text: up to 24 bytes, without the secret alphabet (upper case folds to lower,
    /// digits to letters) and without `%` (a form decode would make new characters from it).
    fn plain(&mut self) -> String {
        let n = usize::from(self.byte().unwrap_or(0) % 25).min(self.data.len());
        let (chunk, rest) = self.data.split_at(n);
        self.data = rest;
        String::from_utf8_lossy(chunk)
            .chars()
            .map(|c| match c {
                'A'..='Z' => c.to_ascii_lowercase(),
                '0'..='9' => char::from(b'g' + (c as u8 - b'0')),
                '%' => '~',
                c => c,
            })
            .collect()
    }
    fn more(&mut self) -> bool {
        self.items += 1;
        !self.data.is_empty() && self.items <= MAX_ITEMS
    }
}

fn secret_name(r: &mut Bytes<'_>) -> &'static str {
    let k = r.pick(SECRET_NAMES);
    assert!(
        transcript::is_secret_key(k),
        "{k} is listed as a secret name here but transcript::is_secret_key disagrees"
    );
    k
}

/// Members until a close op (7) or the end. Ops (a byte, mod 8): 0 a secret member, 1 a plain
/// name with plain text, 2 plain text : plain text, 3 a number, 4 true/false/null, 5 an object,
/// 6 an array.
fn object(r: &mut Bytes<'_>, secret: &str, depth: u8) -> Value {
    let mut map = Map::new();
    while r.more() {
        let op = r.byte().unwrap_or(7) % 8;
        let (key, value) = match op {
            0 => (secret_name(r).to_owned(), Value::String(secret.to_owned())),
            1 => (r.pick(PLAIN_NAMES).to_owned(), Value::String(r.plain())),
            2 => (r.plain(), Value::String(r.plain())),
            3 => (
                r.pick(PLAIN_NAMES).to_owned(),
                Value::from(r.byte().unwrap_or(0) as u16 * 39 % 10_000),
            ),
            4 => (
                r.pick(PLAIN_NAMES).to_owned(),
                [Value::Bool(true), Value::Bool(false), Value::Null]
                    [usize::from(r.byte().unwrap_or(0)) % 3]
                    .clone(),
            ),
            5 if depth < 8 => (r.pick(PLAIN_NAMES).to_owned(), object(r, secret, depth + 1)),
            6 if depth < 8 => (r.pick(PLAIN_NAMES).to_owned(), array(r, secret, depth + 1)),
            _ => break,
        };
        map.insert(key, value);
    }
    Value::Object(map)
}

/// Elements until a close op: 0 and 5 an object, 1–4 plain text or a number, 6 an array.
fn array(r: &mut Bytes<'_>, secret: &str, depth: u8) -> Value {
    let mut items = Vec::new();
    while r.more() {
        let op = r.byte().unwrap_or(7) % 8;
        items.push(match op {
            0 | 5 if depth < 8 => object(r, secret, depth + 1),
            1 | 2 => Value::String(r.plain()),
            3 | 4 => Value::from(r.byte().unwrap_or(0) % 100),
            6 if depth < 8 => array(r, secret, depth + 1),
            _ => break,
        });
    }
    Value::Array(items)
}

/// Pairs: op 0 a secret name with the secret, anything else a plain or known name with text.
fn form(r: &mut Bytes<'_>, secret: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let mut pairs = Vec::new();
    while r.more() {
        let pair = match r.byte().unwrap_or(1) % 4 {
            0 => format!("{}={secret}", secret_name(r)),
            1 => format!("{}={}", r.pick(PLAIN_NAMES), enc(&r.plain())),
            _ => format!("{}={}", enc(&r.plain()), enc(&r.plain())),
        };
        pairs.push(pair);
    }
    pairs.join("&")
}

/// A redaction document and its secret from fuzz input, or `None` when the input is too short.
/// Input: a flags byte (mod 8: bit 0 a form body, bit 1 pretty JSON, bit 2 an array at the
/// top), a length byte (the secret is 8 + len mod 32 characters), the secret's bytes (each
/// picks from [`SECRET_ALPHABET`]), then the ops of [`object`] / [`array`] / [`form`].
/// Seeds can be plain ASCII: `'0'` is op 0, `'1'` op 1, and so on.
pub fn redaction_document(data: &[u8]) -> Option<(String, String)> {
    let mut r = Bytes { data, items: 0 };
    let flags = r.byte()? % 8;
    let len = 8 + usize::from(r.byte()? % 32);
    if r.data.len() < len {
        return None;
    }
    let secret: String = r.data[..len]
        .iter()
        .map(|b| char::from(SECRET_ALPHABET[usize::from(*b) % SECRET_ALPHABET.len()]))
        .collect();
    r.data = &r.data[len..];
    let body = if flags & 1 == 1 {
        form(&mut r, &secret)
    } else {
        let doc = if flags & 4 == 4 {
            array(&mut r, &secret, 0)
        } else {
            object(&mut r, &secret, 0)
        };
        if flags & 2 == 2 {
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        } else {
            serde_json::to_string(&doc).unwrap_or_default()
        }
    };
    Some((secret, body))
}

/// Leaks already found and reported, named in `OAUTHDESK_FUZZ_KNOWN_LEAKS` (comma-separated)
/// so a fuzzing run can look past them for new ones — the replay test never sets it:
/// - `masked_name`: a leak right after a masked member name (`"[redacted]":"SECRET`) is not
///   counted: a secret name in a value (`…:access_token","refresh_token":"…`) makes the masking
///   take the next name for the secret and keep the real one.
fn known_leak(name: &str) -> bool {
    static KNOWN: LazyLock<Vec<String>> = LazyLock::new(|| {
        std::env::var("OAUTHDESK_FUZZ_KNOWN_LEAKS")
            .unwrap_or_default()
            .split(',')
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect()
    });
    KNOWN.iter().any(|n| n == name)
}

/// The property of `transcript::redact_body`: the values of secret members (JSON, any depth)
/// and secret form parameters never reach its output — not for the whole document, and not
/// for the document cut at any character (a truncated response body, a capped excerpt).
/// The secret counts as leaked when its first 8 characters appear.
pub fn redaction(data: &[u8]) {
    let Some((secret, body)) = redaction_document(data) else {
        return;
    };
    let probe = &secret[..8];
    let out = transcript::redact_body(&body);
    assert!(
        !out.contains(probe),
        "the secret {secret} leaks through redact_body of the whole body\nbody: {body}\nout:  {out}"
    );
    for cut in (0..body.len()).filter(|&i| body.is_char_boundary(i)) {
        let part = &body[..cut];
        let out = transcript::redact_body(part);
        if known_leak("masked_name")
            && [":", ": "]
                .iter()
                .any(|sep| out.contains(&format!("\"{}\"{sep}\"{probe}", transcript::REDACTED)))
        {
            continue;
        }
        assert!(
            !out.contains(probe),
            "the secret {secret} leaks through redact_body of the body cut at byte {cut}\npart: {part}\nout:  {out}"
        );
    }
}

/// Input: a Postman collection (JSON), optionally followed by a NUL byte and a Postman
/// environment (JSON). Goes through `oauthdesk_core::desk::parse_postman`.
pub fn postman_import(data: &[u8]) {
    let (collection, env) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(doc) = serde_json::from_slice::<Value>(collection) else {
        return;
    };
    let env = env.and_then(|e| serde_json::from_slice::<Value>(e).ok());
    match oauthdesk_core::desk::parse_postman(&doc, env.as_ref()) {
        Ok(clients) => {
            for (client, _secret) in &clients {
                let _ = serde_json::to_string(client);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// The loopback listener's request parser (`loopback::parse_request`) on raw bytes, then its
/// callback checks (`loopback::check`) on the parameters of what parsed, against a code flow,
/// an implicit flow (fragment POSTed back) and a logout expectation. Properties: a refusal maps
/// to a 4xx status, and every prefix of a request that parses is merely incomplete (or already
/// complete), so a request split across reads is never refused.
pub fn callback_request(data: &[u8]) {
    let request = match loopback::parse_request(data) {
        Ok(r) => r,
        Err(e) => {
            assert!(
                matches!(e.status(), 400 | 413 | 431),
                "a refused request is answered 400, 413 or 431, not {} ({e})",
                e.status()
            );
            return;
        }
    };
    if data.len() <= 4096 {
        for cut in 0..data.len() {
            let prefix = loopback::parse_request(&data[..cut]);
            assert!(
                matches!(prefix, Ok(_) | Err(loopback::ParseError::Incomplete)),
                "a request that parses is refused when only its first {cut} bytes are in: {prefix:?}"
            );
        }
    }
    for (issuer, iss_required, fragment, logout) in [
        (Some("https://as.example"), true, false, false),
        (Some("https://as.example"), false, true, false),
        (None, false, false, true),
    ] {
        let expect = loopback::CallbackExpectation {
            state: "af0ifjsldkj".into(),
            issuer: issuer.map(str::to_owned),
            iss_required,
            fragment,
            logout,
            jarm: false,
        };
        match loopback::check(&request.params, &expect) {
            Ok(cb) => {
                assert!(
                    cb.get("state") == Some("af0ifjsldkj"),
                    "a callback passes only with the expected state: {:?}",
                    cb.params
                );
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}
