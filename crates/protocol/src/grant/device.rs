//! Device authorization grant (RFC 8628): the device authorization request (§3.1–3.2) and
//! polling the token endpoint (§3.4–3.5), honouring `interval` (default 5 s), growing it by 5 s
//! on `slow_down`, and stopping at `expires_in`, `expired_token` or `access_denied`.

use super::{TokenResponse, token_request};
use crate::client_auth::ClientAuth;
use crate::endpoint::{self, Deviation};
use crate::error::{ProtocolError, Result};
use crate::http::HttpClient;
use crate::secret::DeviceCode;
use crate::transcript::Transcript;
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";
const DEFAULT_INTERVAL: u64 = 5;

#[derive(Debug, Clone)]
pub struct DeviceAuthorization {
    pub device_code: DeviceCode,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_in: u64,
    pub interval: u64,
    pub deviations: Vec<Deviation>,
}

pub async fn request_device_authorization(
    http: &HttpClient,
    transcript: &Transcript,
    endpoint: &Url,
    auth: &ClientAuth,
    scope: &str,
    extra: &[(String, String)],
) -> Result<DeviceAuthorization> {
    let mut params: Vec<(String, String)> = Vec::new();
    if !scope.is_empty() {
        params.push(("scope".into(), scope.into()));
    }
    params.extend(extra.iter().cloned());
    let (resp, object) = endpoint::post_form(
        http,
        transcript,
        "device authorization request",
        endpoint,
        auth,
        params,
    )
    .await?;
    let endpoint::OAuthObject {
        members: o,
        mut deviations,
    } = object;
    let text = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let number = |k: &str| {
        o.get(k).and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
    };
    let verification_uri = match (text("verification_uri"), text("verification_url")) {
        (Some(u), _) => u,
        (None, Some(u)) => {
            deviations.push(Deviation::new(
                "verification_url",
                "RFC 8628 §3.2",
                "verification_url used instead of verification_uri (older drafts, Google)",
            ));
            u
        }
        (None, None) => {
            return Err(resp.invalid("no verification_uri in the device authorization response"));
        }
    };
    let interval = number("interval").unwrap_or_else(|| {
        deviations.push(Deviation::new(
            "interval_missing",
            "RFC 8628 §3.2",
            "no interval given; polling every 5 s as the spec's default",
        ));
        DEFAULT_INTERVAL
    });
    Ok(DeviceAuthorization {
        device_code: DeviceCode::new(
            text("device_code").ok_or_else(|| resp.invalid("no device_code"))?,
        ),
        user_code: text("user_code").ok_or_else(|| resp.invalid("no user_code"))?,
        verification_uri,
        verification_uri_complete: text("verification_uri_complete"),
        expires_in: bounded_lifetime(number("expires_in").unwrap_or(1800), &mut deviations),
        interval: interval.max(1),
        deviations,
    })
}

/// The longest a device code is waited for: a day. RFC 8628 §3.2 examples use 30 minutes; a
/// server that says more is not believed (and its number must not overflow the deadline).
pub const MAX_DEVICE_LIFETIME_SECS: u64 = 86_400;

fn bounded_lifetime(secs: u64, deviations: &mut Vec<Deviation>) -> u64 {
    if secs > MAX_DEVICE_LIFETIME_SECS {
        deviations.push(Deviation::new(
            "device_expires_in_implausible",
            "RFC 8628 §3.2",
            format!("expires_in is {secs} s; waiting at most {MAX_DEVICE_LIFETIME_SECS} s"),
        ));
        return MAX_DEVICE_LIFETIME_SECS;
    }
    secs
}

/// The state of a poll, reported every second for a countdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollStatus {
    pub remaining_secs: u64,
    pub interval_secs: u64,
    pub next_poll_in_secs: u64,
    pub polls: u32,
    /// `waiting`, `authorization_pending` or `slow_down`.
    pub last: &'static str,
}

/// Polls until the user approves, denies or the code expires.
pub async fn poll_for_token(
    http: &HttpClient,
    transcript: &Transcript,
    token_endpoint: &Url,
    auth: &ClientAuth,
    device: &DeviceAuthorization,
    on_status: &(dyn Fn(&PollStatus) + Send + Sync),
) -> Result<TokenResponse> {
    let params = vec![
        ("grant_type".to_owned(), GRANT_TYPE.to_owned()),
        (
            "device_code".to_owned(),
            device.device_code.expose().to_owned(),
        ),
    ];
    poll_until_answered(
        &Polling {
            http,
            transcript,
            token_endpoint,
            auth,
            step: "device token poll",
            params,
            expires_in: device.expires_in.min(MAX_DEVICE_LIFETIME_SECS),
            interval: device.interval,
            expired: || ProtocolError::DeviceExpired,
        },
        on_status,
    )
    .await
}

/// The largest poll interval `slow_down` can grow to.
pub const MAX_INTERVAL_SECS: u64 = 600;

/// One polling loop, shared by the device grant (RFC 8628 §3.4–3.5) and CIBA's poll mode
/// (CIBA §10.1, §11), which answer "not yet" the same way: `authorization_pending`, and
/// `slow_down` (the interval grows by 5 s); `expired_token` or the deadline end it.
pub(crate) struct Polling<'a> {
    pub http: &'a HttpClient,
    pub transcript: &'a Transcript,
    pub token_endpoint: &'a Url,
    pub auth: &'a ClientAuth,
    pub step: &'static str,
    pub params: Vec<(String, String)>,
    /// Seconds, already capped by the caller.
    pub expires_in: u64,
    pub interval: u64,
    /// The error for an expired request (the deadline, or `expired_token`).
    pub expired: fn() -> ProtocolError,
}

pub(crate) async fn poll_until_answered(
    p: &Polling<'_>,
    on_status: &(dyn Fn(&PollStatus) + Send + Sync),
) -> Result<TokenResponse> {
    let deadline = Instant::now()
        .checked_add(Duration::from_secs(p.expires_in))
        .unwrap_or_else(Instant::now);
    let mut status = PollStatus {
        remaining_secs: p.expires_in,
        interval_secs: p.interval.clamp(1, MAX_INTERVAL_SECS),
        next_poll_in_secs: p.interval,
        polls: 0,
        last: "waiting",
    };
    loop {
        for left in (1..=status.interval_secs).rev() {
            status.next_poll_in_secs = left;
            status.remaining_secs = deadline.saturating_duration_since(Instant::now()).as_secs();
            if status.remaining_secs == 0 {
                return Err((p.expired)());
            }
            on_status(&status);
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        status.polls = status.polls.saturating_add(1);
        let answer = token_request(
            p.http,
            p.transcript,
            p.step,
            p.token_endpoint,
            p.auth,
            p.params.clone(),
        )
        .await;
        match answer {
            Ok(token) => return Ok(token),
            Err(ProtocolError::OAuth(e)) => match e.error.as_str() {
                "authorization_pending" => status.last = "authorization_pending",
                "slow_down" => {
                    status.last = "slow_down";
                    status.interval_secs = status
                        .interval_secs
                        .saturating_add(5)
                        .min(MAX_INTERVAL_SECS);
                }
                "expired_token" => return Err((p.expired)()),
                _ => return Err(ProtocolError::OAuth(e)),
            },
            Err(other) => return Err(other),
        }
    }
}
