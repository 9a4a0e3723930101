//! `oauthdesk client set-authorization-details`: a client's default `authorization_details`
//! (RFC 9396), given as JSON or `@FILE`, or removed with `--none`.

use crate::output;
use oauthdesk_core::desk::parse_authorization_details;
use oauthdesk_core::{CoreError, Desk};

/// `--authorization-details JSON|@FILE`, checked before anything is sent.
pub fn parse(text: Option<&str>) -> Result<Option<serde_json::Value>, CoreError> {
    text.map(parse_authorization_details).transpose()
}

pub async fn set(
    desk: &Desk,
    name: &str,
    details: Option<&str>,
    json: bool,
) -> Result<u8, CoreError> {
    let client = desk
        .set_client_authorization_details(name, parse(details)?)
        .await?;
    if json {
        output::json(&client);
    } else {
        output::client_details(&client);
    }
    Ok(0)
}
