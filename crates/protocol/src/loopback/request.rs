//! The pure HTTP/1.x request parsing step of the loopback listener: no I/O, no panics on any
//! input (a fuzz target calls [`parse_request`] directly), and early rejection of bytes that
//! cannot start an HTTP request (a TLS hello, binary noise) so they are answered at once.

/// Cap on the request head, and separately on the body (RFC 9110 §15.5.14 / RFC 6585 §5).
pub const MAX_REQUEST: usize = 64 * 1024;

/// Longest method accepted; real ones are at most 7 bytes.
const MAX_METHOD: usize = 32;

/// A parsed request: what the listener needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target before `?`, as sent (still percent-encoded).
    pub path: String,
    /// The query's parameters, or for `POST` the form-encoded body's.
    pub params: Vec<(String, String)>,
}

/// Why bytes are not (yet) a request the listener takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Valid so far, but the head or the body is not complete.
    #[error("the request is not complete")]
    Incomplete,
    #[error("the request line is not HTTP/1.x")]
    BadRequestLine,
    #[error("a header line is malformed")]
    BadHeader,
    #[error("the content-length is malformed or repeated with different values")]
    BadContentLength,
    /// Chunked and other transfer codings are not supported (browsers send a length).
    #[error("transfer codings are not supported")]
    TransferEncoding,
    #[error("the request head is larger than {MAX_REQUEST} bytes")]
    HeadTooLarge,
    #[error("the request body is larger than {MAX_REQUEST} bytes")]
    BodyTooLarge,
}

impl ParseError {
    /// The HTTP status to answer with.
    pub fn status(self) -> u16 {
        match self {
            Self::HeadTooLarge => 431,
            Self::BodyTooLarge => 413,
            _ => 400,
        }
    }
}

/// Parses one complete request (head, then `content-length` bytes of body; bytes after it are
/// ignored). [`ParseError::Incomplete`] means more bytes could still make it valid.
pub fn parse_request(bytes: &[u8]) -> Result<Request, ParseError> {
    let Some(end) = head_end(bytes, 0) else {
        check_start(bytes)?;
        return Err(if bytes.len() >= MAX_REQUEST {
            ParseError::HeadTooLarge
        } else {
            ParseError::Incomplete
        });
    };
    let head = parse_head(&bytes[..end])?;
    let body = bytes
        .get(end..end + head.content_length)
        .ok_or(ParseError::Incomplete)?;
    Ok(head.into_request(body))
}

/// The end of the head (just past its blank line), searching from `from` (bytes before it are
/// known not to hold the end; the search backs up 3 bytes so a split `\r\n\r\n` is found).
pub(super) fn head_end(bytes: &[u8], from: usize) -> Option<usize> {
    let from = from.saturating_sub(3).min(bytes.len());
    bytes[from..]
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| from + i + 4)
}

/// Rejects bytes that cannot begin a request line; accepts any valid prefix of one.
pub(super) fn check_start(bytes: &[u8]) -> Result<(), ParseError> {
    request_line(bytes).map(|_| ())
}

/// A request line's parts; `end` is the index just past its CRLF.
struct RequestLine<'a> {
    method: &'a [u8],
    target: &'a [u8],
    end: usize,
}

/// The request line at the start of `bytes`; `Ok(None)` for a valid but unfinished one.
fn request_line(bytes: &[u8]) -> Result<Option<RequestLine<'_>>, ParseError> {
    let bad = Err(ParseError::BadRequestLine);
    let method_len = bytes.iter().position(|&b| b == b' ').unwrap_or(bytes.len());
    let method = &bytes[..method_len];
    if method.len() > MAX_METHOD || !method.iter().all(|&b| is_tchar(b)) {
        return bad;
    }
    if method_len == bytes.len() {
        return Ok(None);
    }
    if method.is_empty() {
        return bad;
    }
    let rest = &bytes[method_len + 1..];
    let target_len = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
    let target = &rest[..target_len];
    if !target.iter().all(|&b| is_target_byte(b)) {
        return bad;
    }
    if target_len == rest.len() {
        return Ok(None);
    }
    if target.is_empty() {
        return bad;
    }
    let version = &rest[target_len + 1..];
    const SHAPE: &[u8] = b"HTTP/1.#\r\n";
    for (&got, &want) in version.iter().zip(SHAPE) {
        let ok = if want == b'#' {
            got.is_ascii_digit()
        } else {
            got == want
        };
        if !ok {
            return bad;
        }
    }
    if version.len() < SHAPE.len() {
        return Ok(None);
    }
    Ok(Some(RequestLine {
        method,
        target,
        end: method_len + 1 + target_len + 1 + SHAPE.len(),
    }))
}

/// What the head says: enough to read the body and build the [`Request`].
#[derive(Debug)]
pub(super) struct Head {
    method: String,
    target: String,
    pub(super) content_length: usize,
}

impl Head {
    pub(super) fn into_request(self, body: &[u8]) -> Request {
        let (path, query) = self.target.split_once('?').unwrap_or((&self.target, ""));
        let source = if self.method == "POST" {
            body
        } else {
            query.as_bytes()
        };
        Request {
            params: url::form_urlencoded::parse(source).into_owned().collect(),
            path: path.to_owned(),
            method: self.method,
        }
    }
}

/// Parses a complete head: `head` ends with its blank line and holds no earlier one.
pub(super) fn parse_head(head: &[u8]) -> Result<Head, ParseError> {
    if head.len() > MAX_REQUEST {
        return Err(ParseError::HeadTooLarge);
    }
    let RequestLine {
        method,
        target,
        end: line_end,
    } = request_line(head)?.ok_or(ParseError::BadRequestLine)?;
    let mut content_length = None;
    // Every line ends in CRLF: split on LF, then each line's CR must be its last byte.
    let fields = head
        .get(line_end..)
        .and_then(|f| f.strip_suffix(b"\n"))
        .ok_or(ParseError::BadHeader)?;
    for line in fields.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").ok_or(ParseError::BadHeader)?;
        if line.is_empty() {
            continue; // the blank line closing the head
        }
        let colon = line
            .iter()
            .position(|&b| b == b':')
            .ok_or(ParseError::BadHeader)?;
        let (name, value) = (&line[..colon], trim(&line[colon + 1..]));
        if name.is_empty()
            || !name.iter().all(|&b| is_tchar(b))
            || !value.iter().all(|&b| is_value_byte(b))
        {
            return Err(ParseError::BadHeader);
        }
        if name.eq_ignore_ascii_case(b"transfer-encoding") {
            return Err(ParseError::TransferEncoding);
        }
        if name.eq_ignore_ascii_case(b"content-length") {
            if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                return Err(ParseError::BadContentLength);
            }
            // Digits only, so a failed parse is an overflow: far above the cap.
            let length = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(usize::MAX);
            if content_length.is_some_and(|l| l != length) {
                return Err(ParseError::BadContentLength);
            }
            content_length = Some(length);
        }
    }
    let content_length = content_length.unwrap_or(0);
    if content_length > MAX_REQUEST {
        return Err(ParseError::BodyTooLarge);
    }
    Ok(Head {
        method: String::from_utf8_lossy(method).into_owned(),
        target: String::from_utf8_lossy(target).into_owned(),
        content_length,
    })
}

fn trim(mut v: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = v {
        v = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = v {
        v = rest;
    }
    v
}

/// RFC 9110 §5.6.2 token characters.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Visible ASCII, plus bytes above 0x7f (browsers percent-encode, other clients may not).
fn is_target_byte(b: u8) -> bool {
    (0x21..=0x7e).contains(&b) || b >= 0x80
}

/// RFC 9110 §5.5 field-value bytes: visible, space, tab, obs-text.
fn is_value_byte(b: u8) -> bool {
    b == b'\t' || (0x20..=0x7e).contains(&b) || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: &[u8] =
        b"GET /callback?code=a%20b&state=s1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";

    #[test]
    fn reads_method_path_and_params() {
        let r = parse_request(GET).expect("a plain browser GET parses");
        assert_eq!(
            (r.method.as_str(), r.path.as_str()),
            ("GET", "/callback"),
            "method and path split from the query"
        );
        assert_eq!(
            r.params,
            vec![("code".into(), "a b".into()), ("state".into(), "s1".into())],
            "query parameters are percent-decoded in order"
        );
        let post = b"POST /callback?ignored=1 HTTP/1.1\r\ncontent-length: 16\r\n\r\ncode=c&state=s1&trailing";
        let r = parse_request(post).expect("a form POST parses");
        assert_eq!(
            r.params,
            vec![("code".into(), "c".into()), ("state".into(), "s1".into())],
            "a POST takes its parameters from exactly content-length bytes of body"
        );
        let r = parse_request(b"GET / HTTP/1.0\r\n\r\n").expect("no headers at all is fine");
        assert!(r.params.is_empty(), "no query, no params");
    }

    #[test]
    fn incomplete_until_head_and_body_are_in() {
        for n in 0..GET.len() {
            assert_eq!(
                parse_request(&GET[..n]),
                Err(ParseError::Incomplete),
                "every prefix of a valid request is merely incomplete ({n} bytes)"
            );
        }
        assert_eq!(
            parse_request(b"POST /c HTTP/1.1\r\ncontent-length: 10\r\n\r\nabc"),
            Err(ParseError::Incomplete),
            "a short body waits for more"
        );
    }

    #[test]
    fn garbage_is_refused_early() {
        let cases: &[(&[u8], ParseError)] = &[
            (b"\x16\x03\x01\x02\x00\x01", ParseError::BadRequestLine), // TLS hello
            (b"\x00", ParseError::BadRequestLine),
            (b" GET", ParseError::BadRequestLine),
            (b"GET  /", ParseError::BadRequestLine),
            (b"GET /a\x01", ParseError::BadRequestLine),
            (b"GET / FTP", ParseError::BadRequestLine),
            (b"GET / HTTP/2.0", ParseError::BadRequestLine),
            (b"GET / HTTP/1.1\n", ParseError::BadRequestLine),
            (&[b'A'; MAX_METHOD + 1], ParseError::BadRequestLine),
            (b"GET / HTTP/1.1\r\nno colon\r\n\r\n", ParseError::BadHeader),
            (
                b"GET / HTTP/1.1\r\n folded: x\r\n\r\n",
                ParseError::BadHeader,
            ),
            (b"GET / HTTP/1.1\r\nname : x\r\n\r\n", ParseError::BadHeader),
            (
                b"GET / HTTP/1.1\r\nx: a\x00b\r\n\r\n",
                ParseError::BadHeader,
            ),
            (
                b"GET / HTTP/1.1\r\nx: a\nb: c\r\n\r\n",
                ParseError::BadHeader,
            ),
            (b"GET / HTTP/1.1\r\n\nx: y\r\n\r\n", ParseError::BadHeader),
            (
                b"GET / HTTP/1.1\r\ncontent-length: -1\r\n\r\n",
                ParseError::BadContentLength,
            ),
            (
                b"GET / HTTP/1.1\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab",
                ParseError::BadContentLength,
            ),
            (
                b"POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n",
                ParseError::TransferEncoding,
            ),
            (
                b"POST / HTTP/1.1\r\ncontent-length: 99999999999999999999999\r\n\r\n",
                ParseError::BodyTooLarge,
            ),
        ];
        for (bytes, want) in cases {
            assert_eq!(
                parse_request(bytes),
                Err(*want),
                "{:?} is refused as {want:?}",
                String::from_utf8_lossy(bytes)
            );
        }
        assert_eq!(ParseError::HeadTooLarge.status(), 431, "431 for a big head");
        assert_eq!(ParseError::BadHeader.status(), 400, "400 for garbage");
    }

    #[test]
    fn size_caps() {
        let mut big = b"GET /callback HTTP/1.1\r\nx: ".to_vec();
        big.resize(MAX_REQUEST, b'a');
        assert_eq!(
            parse_request(&big),
            Err(ParseError::HeadTooLarge),
            "an unterminated head at the cap is too large, not incomplete"
        );
        big.extend_from_slice(b"\r\n\r\n");
        assert_eq!(
            parse_request(&big),
            Err(ParseError::HeadTooLarge),
            "a terminated head above the cap is too large"
        );
        let body = format!(
            "POST / HTTP/1.1\r\ncontent-length: {}\r\n\r\n",
            MAX_REQUEST + 1
        );
        assert_eq!(
            parse_request(body.as_bytes()),
            Err(ParseError::BodyTooLarge),
            "a body above the cap is refused before it is read"
        );
    }

    #[test]
    fn head_end_finds_a_split_terminator() {
        let bytes = b"GET / HTTP/1.1\r\n\r\n";
        // `from` is how much was searched before the last read, which ended the head.
        for from in 0..bytes.len() {
            assert_eq!(
                head_end(bytes, from),
                Some(bytes.len()),
                "the end is found when the search resumes at {from}"
            );
        }
        assert_eq!(
            head_end(bytes, bytes.len() + 9),
            None,
            "a resume point past the end is harmless"
        );
    }

    #[test]
    fn never_panics() {
        // Every truncation and every single-byte mutation of requests, plus random noise drawn
        // from the bytes HTTP parsing cares about.
        let seeds: &[&[u8]] = &[
            GET,
            b"POST /callback HTTP/1.1\r\nContent-Length: 7\r\nx:\t y \r\n\r\nstate=s",
        ];
        let specials = [b'\r', b'\n', b' ', b':', b'?', b'\t', 0, 0x80, 0xff, b'9'];
        for seed in seeds {
            for n in 0..=seed.len() {
                let _ = parse_request(&seed[..n]);
                let _ = check_start(&seed[..n]);
                for i in 0..n {
                    for s in specials {
                        let mut m = seed[..n].to_vec();
                        m[i] = s;
                        let _ = parse_request(&m);
                        m.remove(i);
                        let _ = parse_request(&m);
                    }
                }
            }
        }
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(8252);
        let alphabet = b"GETPOST /?=&HTP1.\r\n:content-length0123456789\t\x00\xff";
        for _ in 0..20_000 {
            let len = rng.random_range(0..96);
            let bytes: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                .collect();
            let _ = parse_request(&bytes);
        }
    }
}
