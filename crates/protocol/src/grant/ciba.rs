//! Client-Initiated Backchannel Authentication (OpenID Connect CIBA Core 1.0), poll and ping
//! modes: the backchannel authentication request (§7.1) with its client authentication, the
//! response (§7.3: `auth_req_id`, `expires_in`, `interval` with 5 s as the default), and the token
//! request with `grant_type=urn:openid:params:grant-type:ciba` (§10.1) — polled in poll mode,
//! made once after the server's notification in ping mode (§10.2, see [`super::ciba_notify`]).
//! The answers of §11: `authorization_pending` (wait), `slow_down` (wait 5 s longer),
//! `expired_token` and `access_denied` (stop). Push mode (§10.3) is not offered: it sends the
//! tokens themselves to the client's endpoint, and FAPI-CIBA forbids it.

use super::device::PollStatus;
use super::{TokenResponse, token_request};
use crate::client_auth::ClientAuth;
use crate::endpoint::{self, Deviation};
use crate::error::{ProtocolError, Result};
use crate::http::HttpClient;
use crate::secret::{AuthReqId, ClientNotificationToken, IdToken, PastedToken};
use crate::transcript::Transcript;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

pub const GRANT_TYPE: &str = "urn:openid:params:grant-type:ciba";
/// CIBA §7.3: "If no value is provided, clients MUST use 5 as the default value."
pub const DEFAULT_INTERVAL: u64 = 5;
/// The longest a backchannel request is waited for: a day (a server that says more is not
/// believed, and its number must not overflow the deadline).
pub const MAX_LIFETIME_SECS: u64 = 86_400;
// The longest `interval` believed (beyond it a countdown would look hung): the device grant's.
pub use super::device::MAX_INTERVAL_SECS;

/// How the client learns that the user answered (CIBA §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMode {
    /// The client polls the token endpoint.
    Poll,
    /// The server POSTs to the client's notification endpoint, then the client asks once.
    Ping,
}

impl DeliveryMode {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMode::Poll => "poll",
            DeliveryMode::Ping => "ping",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "poll" => Some(DeliveryMode::Poll),
            "ping" => Some(DeliveryMode::Ping),
            _ => None,
        }
    }
}

/// Who the user is (CIBA §7.1: exactly one of the three).
#[derive(Debug, Clone)]
pub enum Hint {
    LoginHint(String),
    IdTokenHint(IdToken),
    /// A token (often a JWT) that names the user; treated as a secret.
    LoginHintToken(PastedToken),
}

/// A backchannel authentication request (CIBA §7.1).
#[derive(Debug, Clone)]
pub struct BackchannelRequest {
    /// Space-separated; `openid` is added when missing (§7.1: REQUIRED, MUST contain it).
    pub scope: String,
    pub hint: Hint,
    /// Shown on both devices so the user can tell the request is theirs (§7.1).
    pub binding_message: Option<String>,
    pub user_code: Option<String>,
    /// Seconds the client asks the request to live (§7.1), a positive integer.
    pub requested_expiry: Option<u64>,
    /// Ping mode only (§7.1: REQUIRED then).
    pub client_notification_token: Option<ClientNotificationToken>,
    /// More parameters (acr_values, resource, …), sent as given.
    pub extra: Vec<(String, String)>,
}

/// The form of a [`BackchannelRequest`]. Empty optional values are left out.
pub fn request_params(req: &BackchannelRequest) -> Result<Vec<(String, String)>> {
    let mut scopes: Vec<&str> = req.scope.split_whitespace().collect();
    if !scopes.contains(&"openid") {
        scopes.insert(0, "openid");
    }
    let mut p = vec![("scope".to_owned(), scopes.join(" "))];
    match &req.hint {
        Hint::LoginHint(h) if !h.trim().is_empty() => p.push(("login_hint".into(), h.clone())),
        Hint::IdTokenHint(t) => p.push(("id_token_hint".into(), t.expose().to_owned())),
        Hint::LoginHintToken(t) => p.push(("login_hint_token".into(), t.expose().to_owned())),
        Hint::LoginHint(_) => {
            return Err(ProtocolError::Backchannel(
                "a login hint is needed: CIBA §7.1 requires one of login_hint, id_token_hint or login_hint_token to say who is asked".into(),
            ));
        }
    }
    for (k, v) in [
        ("binding_message", &req.binding_message),
        ("user_code", &req.user_code),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            p.push((k.into(), v.to_owned()));
        }
    }
    if let Some(e) = req.requested_expiry {
        if e == 0 {
            return Err(ProtocolError::Backchannel(
                "requested_expiry must be a positive number of seconds (CIBA §7.1)".into(),
            ));
        }
        p.push(("requested_expiry".into(), e.to_string()));
    }
    if let Some(t) = &req.client_notification_token {
        p.push(("client_notification_token".into(), t.expose().to_owned()));
    }
    p.extend(req.extra.iter().cloned());
    Ok(p)
}

/// The successful answer (CIBA §7.3).
#[derive(Debug, Clone)]
pub struct BackchannelAuthorization {
    pub auth_req_id: AuthReqId,
    pub expires_in: u64,
    pub interval: u64,
    /// Whether the server sent `interval` (else [`DEFAULT_INTERVAL`]).
    pub interval_given: bool,
    pub deviations: Vec<Deviation>,
}

/// Sends the request to the backchannel authentication endpoint and reads its answer.
pub async fn request_backchannel_authentication(
    http: &HttpClient,
    transcript: &Transcript,
    endpoint: &Url,
    auth: &ClientAuth,
    params: Vec<(String, String)>,
) -> Result<BackchannelAuthorization> {
    let (resp, object) = endpoint::post_form(
        http,
        transcript,
        "backchannel authentication request",
        endpoint,
        auth,
        params,
    )
    .await?;
    let endpoint::OAuthObject {
        members: o,
        mut deviations,
    } = object;
    let number = |k: &str| {
        o.get(k).and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        })
    };
    let auth_req_id = o
        .get("auth_req_id")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            resp.invalid("no auth_req_id in the backchannel authentication response (CIBA §7.3)")
        })?;
    let expires_in = match number("expires_in") {
        Some(e) => bounded(
            e,
            MAX_LIFETIME_SECS,
            "ciba_expires_in_implausible",
            &mut deviations,
        ),
        None => {
            deviations.push(Deviation::new(
                "ciba_expires_in_missing",
                "CIBA §7.3",
                "expires_in is REQUIRED but missing; waiting at most 120 s",
            ));
            120
        }
    };
    let given = number("interval");
    let interval = given
        .map(|i| {
            bounded(
                i,
                MAX_INTERVAL_SECS,
                "ciba_interval_implausible",
                &mut deviations,
            )
        })
        .unwrap_or(DEFAULT_INTERVAL)
        .max(1);
    Ok(BackchannelAuthorization {
        auth_req_id: AuthReqId::new(auth_req_id),
        expires_in,
        interval,
        interval_given: given.is_some(),
        deviations,
    })
}

fn bounded(secs: u64, max: u64, code: &str, deviations: &mut Vec<Deviation>) -> u64 {
    if secs > max {
        deviations.push(Deviation::new(
            code,
            "CIBA §7.3",
            format!("{secs} s is implausible; using at most {max} s"),
        ));
        return max;
    }
    secs
}

/// The token request of CIBA §10.1.
pub fn token_params(auth_req_id: &AuthReqId) -> Vec<(String, String)> {
    vec![
        ("grant_type".to_owned(), GRANT_TYPE.to_owned()),
        ("auth_req_id".to_owned(), auth_req_id.expose().to_owned()),
    ]
}

/// When the request expires: `expires_in` from now, never overflowing.
pub fn deadline(ba: &BackchannelAuthorization) -> Instant {
    let lifetime = Duration::from_secs(ba.expires_in.min(MAX_LIFETIME_SECS));
    Instant::now()
        .checked_add(lifetime)
        .unwrap_or_else(Instant::now)
}

/// Poll mode: asks every `interval` seconds until the user approves, denies or the request
/// expires, reporting a [`PollStatus`] every second for a countdown (the device grant's loop).
pub async fn poll_for_token(
    http: &HttpClient,
    transcript: &Transcript,
    token_endpoint: &Url,
    auth: &ClientAuth,
    ba: &BackchannelAuthorization,
    on_status: &(dyn Fn(&PollStatus) + Send + Sync),
) -> Result<TokenResponse> {
    super::device::poll_until_answered(
        &super::device::Polling {
            http,
            transcript,
            token_endpoint,
            auth,
            step: "ciba token poll",
            params: token_params(&ba.auth_req_id),
            expires_in: ba.expires_in.min(MAX_LIFETIME_SECS),
            interval: ba.interval,
            expired: || ProtocolError::BackchannelExpired,
        },
        on_status,
    )
    .await
}

/// Ping mode, after the notification: the one token request (CIBA §10.2). A "not yet" here is
/// the server's contradiction of its own notification, reported as such.
pub async fn token_after_ping(
    http: &HttpClient,
    transcript: &Transcript,
    token_endpoint: &Url,
    auth: &ClientAuth,
    ba: &BackchannelAuthorization,
) -> Result<TokenResponse> {
    let result = token_request(
        http,
        transcript,
        "ciba token request (after the ping)",
        token_endpoint,
        auth,
        token_params(&ba.auth_req_id),
    )
    .await;
    match result {
        Ok(token) => Ok(token),
        Err(e) => match answer(e)? {
            Answer::Pending | Answer::SlowDown => Err(ProtocolError::Backchannel(
                "the server notified the client (ping) but its token endpoint still says the request is pending; CIBA §10.2 says the notification comes when the user has answered".into(),
            )),
        },
    }
}

enum Answer {
    Pending,
    SlowDown,
}

/// CIBA §11: the two "not yet" answers; `expired_token` as its own error; anything else
/// (`access_denied`, `invalid_grant`, transport) as it came.
fn answer(e: ProtocolError) -> Result<Answer> {
    match e {
        ProtocolError::OAuth(o) => match o.error.as_str() {
            "authorization_pending" => Ok(Answer::Pending),
            "slow_down" => Ok(Answer::SlowDown),
            "expired_token" => Err(ProtocolError::BackchannelExpired),
            _ => Err(ProtocolError::OAuth(o)),
        },
        other => Err(other),
    }
}

#[cfg(test)]
mod tests;
