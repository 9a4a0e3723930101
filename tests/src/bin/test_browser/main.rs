//! `oauthdesk-test-browser <URL>`: a scripted "system browser" for end-to-end tests.
//!
//! OAuth Desk opens the browser by running `$BROWSER <URL>`. In tests `$BROWSER` is this binary,
//! which plays the user against the test authorization server (`tests/provider`, oidc-provider
//! with devInteractions) over plain HTTP with a cookie jar, following redirects by hand.
//!
//! Mode (`OAUTHDESK_TEST_BROWSER_MODE`):
//! - `consent` (default): log in and consent, then deliver the redirect to the loopback listener.
//! - `deny`: abort at the first interaction and deliver the `error=access_denied` redirect.
//! - `tamper-state`: like `consent`, but the final redirect's `state` becomes `tampered`.
//! - `device`: confirm the user code (`verification_uri_complete`, or `verification_uri` plus
//!   `OAUTHDESK_TEST_BROWSER_USER_CODE`), log in and consent, until the success page.
//! - `device-deny`: abort the device request at the confirmation step.
//! - `none`: do nothing (only log the URL).
//!
//! A redirect carrying a fragment (implicit flow) is delivered like the listener page's script
//! does: GET the URL without the fragment, then POST the fragment as a form body to that URL.
//!
//! `OAUTHDESK_TEST_BROWSER_LOG`: file to append `<mode> <URL>` and then `done <status>` (the
//! last HTTP status; `done none` in mode none) or `error <message>`.
//! `OAUTHDESK_TEST_BROWSER_LOGIN`: login name to use (default `alice`).
//! Exit status 0 on success, 1 on failure.

use std::{env, fs::OpenOptions, io::Write as _, process::ExitCode, time::Duration};

use reqwest::{Client, Response, header, redirect::Policy};
use url::{Url, form_urlencoded};

mod error;
mod html;

use error::BrowseError;
use html::{Form, attr, first_form, summary, tags};

const MODE_VAR: &str = "OAUTHDESK_TEST_BROWSER_MODE";
const LOG_VAR: &str = "OAUTHDESK_TEST_BROWSER_LOG";
const USER_CODE_VAR: &str = "OAUTHDESK_TEST_BROWSER_USER_CODE";
const LOGIN_VAR: &str = "OAUTHDESK_TEST_BROWSER_LOGIN";
/// A PEM CA certificate the browser trusts besides the system's (the mTLS listener's test CA,
/// where oidc-provider puts the device verification page of requests made to its alias).
const CA_VAR: &str = "OAUTHDESK_TEST_BROWSER_CA";
const MAX_STEPS: usize = 30;
const FORM: &str = "application/x-www-form-urlencoded";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Consent,
    Deny,
    TamperState,
    Device,
    DeviceDeny,
    None,
}

impl Mode {
    fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "" | "consent" => Self::Consent,
            "deny" => Self::Deny,
            "tamper-state" => Self::TamperState,
            "device" => Self::Device,
            "device-deny" => Self::DeviceDeny,
            "none" => Self::None,
            _ => return None,
        })
    }
    fn denies(self) -> bool {
        matches!(self, Self::Deny | Self::DeviceDeny)
    }
    fn is_device(self) -> bool {
        matches!(self, Self::Device | Self::DeviceDeny)
    }
}

/// What to send next.
enum Req {
    Get(Url),
    Post(Url, String),
}

struct Browser {
    http: Client,
    mode: Mode,
    issuer: Url,
    login: String,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let mode_name = env::var(MODE_VAR).unwrap_or_default();
    let [url] = args.as_slice() else {
        eprintln!("usage: oauthdesk-test-browser <URL>");
        log_line(&format!("{mode_name} {}", args.join(" ")));
        log_line("error usage: oauthdesk-test-browser <URL>");
        return ExitCode::FAILURE;
    };
    let shown = if mode_name.is_empty() {
        "consent"
    } else {
        mode_name.as_str()
    };
    log_line(&format!("{shown} {url}"));
    eprintln!("test-browser [{shown}]: open {url}");
    let result = match Mode::parse(&mode_name) {
        Some(mode) => run(mode, url).await,
        None => Err(BrowseError::UnknownMode {
            var: MODE_VAR,
            value: mode_name.clone(),
        }),
    };
    match result {
        Ok(status) => {
            eprintln!("test-browser [{shown}]: done ({status})");
            log_line(&format!("done {status}"));
            ExitCode::SUCCESS
        }
        Err(error) => {
            let message = error.to_string().replace('\n', " ");
            eprintln!("test-browser [{shown}]: error: {message}");
            log_line(&format!("error {message}"));
            ExitCode::FAILURE
        }
    }
}

async fn run(mode: Mode, raw: &str) -> Result<String, BrowseError> {
    let start = Url::parse(raw).map_err(|error| BrowseError::InvalidUrl {
        raw: raw.to_owned(),
        error,
    })?;
    if mode == Mode::None {
        return Ok("none".into());
    }
    let mut builder = Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .timeout(Duration::from_secs(15));
    if let Some(ca) = env::var(CA_VAR)
        .ok()
        .and_then(|path| std::fs::read(path).ok())
        .and_then(|pem| reqwest::Certificate::from_pem(&pem).ok())
    {
        builder = builder.add_root_certificate(ca);
    }
    let http = builder.build().map_err(BrowseError::Client)?;
    let login = env::var(LOGIN_VAR).unwrap_or_else(|_| "alice".into());
    let browser = Browser {
        http,
        mode,
        issuer: start.clone(),
        login,
    };
    browser.browse(start).await
}

impl Browser {
    /// Follows the authorization server's pages until the flow leaves the issuer's origin (then
    /// delivers that redirect) or, for the device flow, reaches its final page.
    async fn browse(&self, start: Url) -> Result<String, BrowseError> {
        let mut next = Req::Get(start);
        let mut device_form_posted = false;
        for _ in 0..MAX_STEPS {
            let (url, resp) = self.send(next).await?;
            let status = resp.status();
            if status.is_redirection() {
                let target = location(&url, &resp)?;
                if target.origin() == self.issuer.origin() {
                    next = Req::Get(target);
                    continue;
                }
                if self.mode.is_device() {
                    return Err(BrowseError::DeviceRedirectedOff { target });
                }
                return self.deliver(target).await;
            }
            let body = resp.text().await.map_err(|error| BrowseError::Read {
                url: url.clone(),
                error,
            })?;
            if !status.is_success() {
                let summary = summary(&body);
                return Err(BrowseError::Status {
                    status,
                    url,
                    summary,
                });
            }
            if body.contains("Sign-in Success") {
                return match self.mode {
                    Mode::Device => Ok(status.as_u16().to_string()),
                    _ => Err(BrowseError::DeviceSuccessPage { url }),
                };
            }
            let Some(form) = first_form(&body) else {
                let summary = summary(&body);
                return Err(BrowseError::UnexpectedPage { url, summary });
            };
            let action = match &form.action {
                Some(action) => url
                    .join(action)
                    .map_err(|error| BrowseError::BadFormAction {
                        action: action.clone(),
                        error,
                    })?,
                None => url.clone(),
            };
            next = match form.field("prompt") {
                Some(prompt @ ("login" | "consent")) if self.mode.denies() => {
                    eprintln!("test-browser: aborting at the {prompt} interaction");
                    Req::Get(abort_url(&url, &body)?)
                }
                Some("login") => Req::Post(
                    action,
                    encode(&[
                        ("prompt", "login"),
                        ("login", &self.login),
                        ("password", "any password"),
                    ]),
                ),
                Some("consent") => Req::Post(action, encode(&[("prompt", "consent")])),
                // RP-initiated logout: oidc-provider's "Do you want to sign-out?" page.
                _ if action.path().ends_with("/session/end/confirm") => {
                    let xsrf = form.field("xsrf").unwrap_or_default().to_owned();
                    Req::Post(
                        action,
                        encode(&[("xsrf", xsrf.as_str()), ("logout", "yes")]),
                    )
                }
                _ if form.field("xsrf").is_some() => {
                    if !self.mode.is_device() {
                        return Err(BrowseError::DevicePageInWrongMode { url });
                    }
                    if device_form_posted {
                        // oidc-provider re-renders the code input page (status 200) on errors.
                        if self.mode == Mode::DeviceDeny && body.contains("interrupted") {
                            return Ok(status.as_u16().to_string());
                        }
                        let summary = summary(&body);
                        return Err(BrowseError::DeviceFormRejected { url, summary });
                    }
                    device_form_posted = true;
                    Req::Post(action, self.device_form(&form)?)
                }
                _ if action.origin() != self.issuer.origin() => {
                    // response_mode=form_post: the page auto-submits to the client.
                    if self.mode.is_device() {
                        return Err(BrowseError::DevicePostedOff { action });
                    }
                    let fields: Vec<(&str, &str)> = form
                        .fields
                        .iter()
                        .map(|(n, v)| (n.as_str(), v.as_str()))
                        .collect();
                    let (_, resp) = self.send(Req::Post(action, encode(&fields))).await?;
                    return Ok(resp.status().as_u16().to_string());
                }
                _ => {
                    let summary = summary(&body);
                    return Err(BrowseError::UnexpectedForm { url, summary });
                }
            };
        }
        Err(BrowseError::GaveUp { steps: MAX_STEPS })
    }

    /// The device confirmation form: hidden fields (xsrf, maybe user_code) plus confirm/abort.
    fn device_form(&self, form: &Form) -> Result<String, BrowseError> {
        let mut fields: Vec<(&str, &str)> = form
            .fields
            .iter()
            .filter(|(n, _)| n == "xsrf" || n == "user_code")
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let env_code;
        if !fields
            .iter()
            .any(|(n, v)| *n == "user_code" && !v.is_empty())
        {
            fields.retain(|(n, _)| *n != "user_code");
            env_code = env::var(USER_CODE_VAR)
                .map_err(|_| BrowseError::NoUserCode { var: USER_CODE_VAR })?;
            fields.push(("user_code", &env_code));
        }
        fields.push(if self.mode == Mode::DeviceDeny {
            ("abort", "yes")
        } else {
            ("confirm", "yes")
        });
        Ok(encode(&fields))
    }

    /// Delivers the client redirect to the loopback listener, as a browser (and the listener
    /// page's script, for a fragment) would.
    async fn deliver(&self, mut target: Url) -> Result<String, BrowseError> {
        if self.mode == Mode::TamperState && !tamper_state(&mut target) {
            eprintln!("test-browser: warning: no state parameter to tamper with in {target}");
        }
        let Some(fragment) = target.fragment().map(str::to_owned) else {
            let (_, resp) = self.send(Req::Get(target)).await?;
            return Ok(resp.status().as_u16().to_string());
        };
        target.set_fragment(None);
        let (_, page) = self.send(Req::Get(target.clone())).await?;
        // Read the page like a browser would before its script runs.
        page.bytes().await.map_err(|error| BrowseError::Read {
            url: target.clone(),
            error,
        })?;
        let (_, resp) = self.send(Req::Post(target, fragment)).await?;
        Ok(resp.status().as_u16().to_string())
    }

    async fn send(&self, req: Req) -> Result<(Url, Response), BrowseError> {
        let (method, url, builder) = match req {
            Req::Get(url) => ("GET", url.clone(), self.http.get(url)),
            Req::Post(url, body) => (
                "POST",
                url.clone(),
                self.http
                    .post(url)
                    .header(header::CONTENT_TYPE, FORM)
                    .body(body),
            ),
        };
        let resp = builder.send().await.map_err(|error| BrowseError::Request {
            method,
            url: url.clone(),
            error,
        })?;
        eprintln!(
            "test-browser: {method} {} -> {}",
            redacted(&url),
            resp.status().as_u16()
        );
        Ok((url, resp))
    }
}

fn location(base: &Url, resp: &Response) -> Result<Url, BrowseError> {
    let value = resp
        .headers()
        .get(header::LOCATION)
        .ok_or_else(|| BrowseError::NoLocation {
            status: resp.status(),
            base: base.clone(),
        })?;
    let value = value
        .to_str()
        .map_err(|error| BrowseError::NonAsciiLocation {
            base: base.clone(),
            error,
        })?;
    base.join(value).map_err(|error| BrowseError::BadLocation {
        value: value.to_owned(),
        base: base.clone(),
        error,
    })
}

/// devInteractions pages link `[ Cancel ]` to `/interaction/<uid>/abort`.
fn abort_url(page: &Url, body: &str) -> Result<Url, BrowseError> {
    let href = tags(body, "a")
        .filter_map(|tag| attr(tag, "href"))
        .find(|href| href.ends_with("/abort"))
        .unwrap_or_else(|| format!("{}/abort", page.path().trim_end_matches('/')));
    page.join(&href)
        .map_err(|error| BrowseError::BadAbortLink { href, error })
}

/// Sets `state=tampered` in the query and/or fragment; false when there was no state.
fn tamper_state(url: &mut Url) -> bool {
    let swap = |pairs: Vec<(String, String)>| -> Option<String> {
        if !pairs.iter().any(|(k, _)| k == "state") {
            return None;
        }
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            out.append_pair(k, if k == "state" { "tampered" } else { v });
        }
        Some(out.finish())
    };
    let query = swap(url.query_pairs().into_owned().collect());
    let fragment = url
        .fragment()
        .and_then(|f| swap(form_urlencoded::parse(f.as_bytes()).into_owned().collect()));
    let found = query.is_some() || fragment.is_some();
    if let Some(q) = query {
        url.set_query(Some(&q));
    }
    if let Some(f) = fragment {
        url.set_fragment(Some(&f));
    }
    found
}

fn encode(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// The URL for logs, with codes and tokens in its query replaced (test output holds no secret).
fn redacted(url: &Url) -> Url {
    const SECRET: &[&str] = &[
        "code",
        "access_token",
        "id_token",
        "refresh_token",
        "device_code",
    ];
    let mut shown = url.clone();
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    if SECRET.contains(&k.as_ref()) {
                        "[redacted]".to_owned()
                    } else {
                        v.into_owned()
                    },
                )
            })
            .collect();
        shown.query_pairs_mut().clear().extend_pairs(pairs);
    }
    shown
}

fn log_line(line: &str) {
    let Ok(path) = env::var(LOG_VAR) else { return };
    let written = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(format!("{line}\n").as_bytes()));
    if let Err(e) = written {
        eprintln!("test-browser: cannot append to {LOG_VAR} file {path}: {e}");
    }
}
