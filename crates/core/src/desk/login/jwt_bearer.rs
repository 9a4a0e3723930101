//! The JWT bearer login (RFC 7523 §2.1): an assertion given (piped in, pasted), or one signed
//! here with the client's key or secret and the given claims, traded at the token endpoint. The
//! assertion goes into the request only: the transcript redacts it, nothing stores it.

use super::{Flow, Obtained};
use crate::desk::Desk;
use crate::desk::clients::endpoint;
use crate::error::{CoreError, Result};
use oauthdesk_protocol::grant::jwt_bearer;
use oauthdesk_protocol::secret::Assertion;

/// What a JWT bearer login sends: an assertion, or claims for one signed with the client's
/// credential (neither: one with the standard claims only).
#[derive(Debug, Clone, Default)]
pub struct JwtBearerOptions {
    pub assertion: Option<Assertion>,
    /// A JSON object of claims added to (and overriding) `iss`, `sub`, `aud`, `exp`, `iat`,
    /// `jti` of a self-signed assertion.
    pub claims: Option<String>,
}

impl Desk {
    pub(super) async fn jwt_bearer_flow(&self, flow: &Flow<'_>) -> Result<Obtained> {
        let Flow {
            client,
            auth,
            opts,
            scope,
            extra,
            transcript,
            ..
        } = *flow;
        let token_endpoint = endpoint(client, &client.endpoints.token, "token")?;
        let assertion = match (&opts.jwt_bearer.assertion, &opts.jwt_bearer.claims) {
            (Some(_), Some(c)) if !c.trim().is_empty() => {
                return Err(CoreError::InvalidInput(
                    "give either an assertion or claims to sign one with the client's key, not both".into(),
                ));
            }
            (Some(given), _) => jwt_bearer::given(given.expose())?,
            (None, claims) => {
                let extra_claims = jwt_bearer::parse_claims(claims.as_deref())?;
                let now = u64::try_from(self.now()).unwrap_or(0);
                jwt_bearer::self_signed(auth, token_endpoint.as_str(), &extra_claims, now)?
            }
        };
        let mut params = jwt_bearer::params(&assertion, scope);
        params.extend(extra.iter().cloned());
        self.direct_grant(
            client,
            auth,
            params,
            "token request (jwt_bearer, RFC 7523 §2.1)",
            transcript,
        )
        .await
    }
}
