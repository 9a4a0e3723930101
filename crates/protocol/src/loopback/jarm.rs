//! The callback of a JWT response mode (JARM §2.3): the `response` JWT is handed over unread,
//! for the caller to verify against the issuer's keys before anything in it is used.

use super::{Callback, CallbackExpectation, check};
use crate::error::{ProtocolError, Result};

/// A plain answer instead of a `response` is checked as usual — a state-checked error is still
/// explained — but a plain success is refused: it is not signed, which is what the client asked
/// for.
pub(super) fn callback(
    params: &[(String, String)],
    expect: &CallbackExpectation,
) -> Result<Callback> {
    if params.iter().any(|(k, _)| k == "response") {
        return Ok(Callback {
            params: params.to_vec(),
            iss_checked: false,
        });
    }
    let plain = CallbackExpectation {
        jarm: false,
        ..expect.clone()
    };
    check(params, &plain)?;
    Err(ProtocolError::Jarm(
        "the server answered with plain parameters although a JWT response mode was asked for (JARM §2.3); an unsigned response was not used".into(),
    ))
}
