//! What was recorded: `log` (a client's HTTP exchanges) and `history` (grant events).

use crate::args::LogArgs;
use crate::output;
use oauthdesk_core::{CoreError, Desk};

pub async fn log(desk: &Desk, a: LogArgs) -> Result<u8, CoreError> {
    let flows = desk.transcripts(&a.name, a.flows).await?;
    if a.json {
        output::json(&flows)
    } else if a.curl {
        output::transcript_curl(&flows)
    } else {
        output::transcript(&flows)
    }
    Ok(0)
}

pub async fn history(
    desk: &Desk,
    name: Option<&str>,
    json: bool,
    now: i64,
) -> Result<u8, CoreError> {
    let events = desk.history(name).await?;
    if json {
        output::json(&events)
    } else {
        output::history(&events, now)
    }
    Ok(0)
}
