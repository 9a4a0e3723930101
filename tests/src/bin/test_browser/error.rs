//! Why the test browser gave up: one variant per way a flow can go wrong, each naming the page
//! or URL it happened at (the message goes to stderr and, on one line, to the browser log).

use reqwest::{StatusCode, header::ToStrError};
use url::{ParseError, Url};

#[derive(Debug, thiserror::Error)]
pub enum BrowseError {
    #[error("unknown {var} {value:?}")]
    UnknownMode { var: &'static str, value: String },
    #[error("invalid URL {raw:?}: {error}")]
    InvalidUrl { raw: String, error: ParseError },
    #[error("cannot build HTTP client: {}", chain(.0))]
    Client(reqwest::Error),
    #[error("{method} {url}: {}", chain(.error))]
    Request {
        method: &'static str,
        url: Url,
        error: reqwest::Error,
    },
    #[error("reading {url}: {}", chain(.error))]
    Read { url: Url, error: reqwest::Error },
    #[error("HTTP {status} at {url}: {summary}")]
    Status {
        status: StatusCode,
        url: Url,
        summary: String,
    },
    #[error("HTTP {status} from {base} without Location")]
    NoLocation { status: StatusCode, base: Url },
    #[error("non-ASCII Location from {base}: {error}")]
    NonAsciiLocation { base: Url, error: ToStrError },
    #[error("bad Location {value:?} from {base}: {error}")]
    BadLocation {
        value: String,
        base: Url,
        error: ParseError,
    },
    #[error("unexpected page at {url}: {summary}")]
    UnexpectedPage { url: Url, summary: String },
    #[error("unexpected form at {url}: {summary}")]
    UnexpectedForm { url: Url, summary: String },
    #[error("bad form action {action:?}: {error}")]
    BadFormAction { action: String, error: ParseError },
    #[error("bad abort link {href:?}: {error}")]
    BadAbortLink { href: String, error: ParseError },
    #[error("device flow redirected off the issuer, to {target}")]
    DeviceRedirectedOff { target: Url },
    #[error("device flow posted off the issuer, to {action}")]
    DevicePostedOff { action: Url },
    #[error("reached the device success page at {url}")]
    DeviceSuccessPage { url: Url },
    #[error("device verification page at {url} in a non-device mode")]
    DevicePageInWrongMode { url: Url },
    #[error("device form rejected at {url}: {summary}")]
    DeviceFormRejected { url: Url, summary: String },
    #[error("no user_code in the URL and {var} is not set")]
    NoUserCode { var: &'static str },
    #[error("gave up after {steps} requests")]
    GaveUp { steps: usize },
}

/// An error with all its sources, `: `-separated (reqwest's own message alone says little).
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        out.push_str(": ");
        out.push_str(&e.to_string());
        source = e.source();
    }
    out
}
