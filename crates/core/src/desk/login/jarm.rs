//! A login's response mode and, for the JWT modes (JARM), the response's verification before
//! its code is used: the checks of JARM §2.4 against the issuer's keys (the same key cache the
//! ID token's signature uses), recorded as one step of the timeline with each check's outcome.
//! Only a response that passes them all gives its `code`, `state` and `iss` to the callback
//! checks (state compared with the one sent, iss with the issuer).

use super::browser::event_exchange;
use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::model::Client;
use oauthdesk_protocol::jarm::{self, JarmContext};
use oauthdesk_protocol::loopback::{self, Callback, CallbackExpectation};
use oauthdesk_protocol::transcript::Transcript;
use oauthdesk_protocol::verify::Check;

/// A response mode as given (trimmed; empty is none), or a plain-words refusal.
pub(crate) fn checked_response_mode(mode: Option<&str>) -> Result<Option<String>> {
    match mode.map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(None),
        Some(m) if jarm::MODES.contains(&m) => Ok(Some(m.to_owned())),
        Some(m) => Err(CoreError::InvalidInput(format!(
            "response mode {m:?} is not one OAuth Desk's loopback listener receives; use one of {}",
            jarm::MODES.join(", ")
        ))),
    }
}

/// Parameters as `(name, value)` pairs.
type Params = Vec<(String, String)>;

/// The login's response mode — a `response_mode` among the flow's parameters (`login
/// --response-mode`) overrides the client's — and the other parameters without it.
pub(super) fn response_mode(
    client: &Client,
    extra: &[(String, String)],
) -> Result<(Option<String>, Params)> {
    let given = extra
        .iter()
        .rev()
        .find(|(k, _)| k == "response_mode")
        .map(|(_, v)| v.as_str());
    let mode = match given {
        Some(m) => checked_response_mode(Some(m))?,
        None => client.response_mode.clone(),
    };
    let rest = extra
        .iter()
        .filter(|(k, _)| k != "response_mode")
        .cloned()
        .collect();
    Ok((mode, rest))
}

impl Desk {
    /// Verifies the `response` JWT of a JARM callback and returns the callback its claims make,
    /// checked as usual. Any failed check refuses the login before the code is used.
    pub(super) async fn open_jarm(
        &self,
        client: &Client,
        callback: &Callback,
        expect: &CallbackExpectation,
        transcript: &Transcript,
    ) -> Result<Callback> {
        let response = callback.get("response").unwrap_or_default();
        let (decoded, checks) = match jarm::shape(response) {
            Err(check) => (None, vec![check]),
            Ok(decoded) => {
                let signature = self
                    .refreshed_id_signature(client, response, transcript)
                    .await;
                let (expected_algs, origin) = expected_algs(client);
                let ctx = JarmContext {
                    issuer: expect.issuer.as_deref(),
                    client_id: &client.client_id,
                    expected_algs,
                    expected_algs_origin: origin,
                    now: self.now(),
                    skew: self
                        .settings()
                        .await
                        .map(|s| s.clock_skew_secs.max(0))
                        .unwrap_or(60),
                };
                let checks = jarm::checks(&decoded, signature, &ctx);
                (Some(decoded), checks)
            }
        };
        let failed: Vec<Check> = checks.iter().filter(|c| c.failed()).cloned().collect();
        let note = if failed.is_empty() {
            format!(
                "accepted: {} checks passed before the code was used (JARM §2.4)",
                checks.len()
            )
        } else {
            format!(
                "refused before the code was used: {}",
                failed
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let mut entry = event_exchange(
            "authorization response (JARM)",
            "JWT",
            "(the response parameter)",
            &note,
        );
        entry.request.body = Some(jarm::transcript_body(decoded.as_ref(), &checks));
        transcript.push(entry);
        if !failed.is_empty() {
            return Err(CoreError::Jarm { checks: failed });
        }
        let claims = decoded
            .and_then(|d| d.claims)
            .unwrap_or(serde_json::Value::Null);
        let plain = CallbackExpectation {
            jarm: false,
            ..expect.clone()
        };
        Ok(loopback::check(&jarm::params_of(&claims), &plain)?)
    }
}

/// The algorithms a response JWT may be signed with: the server's advertised list, else
/// JARM's default (§3: `authorization_signed_response_alg` defaults to RS256).
fn expected_algs(client: &Client) -> (Vec<String>, &'static str) {
    match client
        .metadata
        .as_ref()
        .map(|m| m.authorization_signing_alg_values_supported.clone())
        .filter(|a| !a.is_empty())
    {
        Some(algs) => (
            algs,
            "among the server's authorization_signing_alg_values_supported",
        ),
        None => (
            vec![jarm::DEFAULT_ALG.into()],
            "JARM's default authorization_signed_response_alg (§3)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_modes_are_checked_and_the_flag_overrides_the_client() {
        assert_eq!(
            checked_response_mode(Some(" form_post.jwt ")).unwrap(),
            Some("form_post.jwt".into()),
            "a known mode is kept, trimmed"
        );
        assert_eq!(
            checked_response_mode(Some("")).unwrap(),
            None,
            "empty means the default"
        );
        let err = checked_response_mode(Some("web_message")).unwrap_err();
        assert!(
            err.to_string().contains("query.jwt"),
            "an unknown mode is refused, listing the ones that work: {err}"
        );
        let mut client = Client::bare(Some("https://as.example".into()));
        client.response_mode = Some("jwt".into());
        let extra = vec![
            ("response_mode".to_owned(), "fragment.jwt".to_owned()),
            ("prompt".to_owned(), "login".to_owned()),
        ];
        let (mode, rest) = response_mode(&client, &extra).unwrap();
        assert_eq!(
            mode.as_deref(),
            Some("fragment.jwt"),
            "login --response-mode overrides the client's mode"
        );
        assert_eq!(
            rest,
            vec![("prompt".to_owned(), "login".to_owned())],
            "response_mode is sent once, not also as an extra parameter"
        );
        let (mode, _) = response_mode(&client, &[]).unwrap();
        assert_eq!(
            mode.as_deref(),
            Some("jwt"),
            "without an override the client's mode is used"
        );
    }
}
