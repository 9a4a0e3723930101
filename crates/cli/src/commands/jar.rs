//! `oauthdesk client edit`: a client's request signing (RFC 9101) and response mode (JARM).

use crate::args::jar::{ClientEditArgs, response_mode_setting};
use crate::output::{self, outln};
use oauthdesk_core::{CoreError, Desk};

pub async fn edit(desk: &Desk, a: ClientEditArgs) -> Result<u8, CoreError> {
    if a.jar.is_none() && a.response_mode.is_none() {
        return Err(CoreError::InvalidInput(
            "nothing to change: give --jar and/or --response-mode".into(),
        ));
    }
    let client = desk
        .set_client_jar(
            &a.name,
            a.jar.map(Into::into),
            response_mode_setting(a.response_mode),
        )
        .await?;
    if a.json {
        output::json(&client)
    } else {
        outln!(
            "{:?}: request objects {}, response mode {}.",
            client.name,
            client.jar.as_str(),
            client.response_mode.as_deref().unwrap_or("default")
        )
    }
    Ok(0)
}

/// `client show`'s lines for request signing and the response mode (none when both are default).
pub fn client_lines(c: &oauthdesk_core::model::Client) {
    use oauthdesk_core::protocol::jar::JarMode;
    match c.jar {
        JarMode::Off => {}
        JarMode::Value => outln!("jar:           signed request objects by value (RFC 9101 §5.1)"),
        JarMode::Par => {
            outln!("jar:           signed request objects through PAR (RFC 9101, RFC 9126 §3)")
        }
    }
    if let Some(mode) = &c.response_mode {
        let jarm = if oauthdesk_core::protocol::jarm::is_jwt_mode(mode) {
            " (JARM: the response is a signed JWT, verified before the code is used)"
        } else {
            ""
        };
        outln!("response mode: {}{jarm}", output::safe(mode));
    }
}
