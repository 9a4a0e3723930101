//! `oauthdesk mcp URL`: the MCP authorization flow end to end, its tools, and a conformance
//! report per MCP revision. Exit 0 completed, 4 completed but a MUST of the followed revision
//! broken, 1 failed, 3 a login is needed and could not be done.

use super::login::progress;
use crate::args::McpArgs;
use crate::output;
use oauthdesk_core::desk::McpOptions;
use oauthdesk_core::{CoreError, Desk};

pub async fn run(desk: &Desk, a: McpArgs) -> Result<u8, CoreError> {
    let opts = McpOptions {
        client: a.client,
        client_id_metadata_url: a.client_id_metadata_url,
        probe_audience: a.probe_audience,
        no_login: a.no_login,
        no_open: a.no_open,
        insecure: a.insecure,
    };
    let flow = desk.mcp_flow(&a.url, opts, progress());
    let report = tokio::select! {
        r = flow => r?,
        _ = tokio::signal::ctrl_c() => return Err(CoreError::InvalidInput("cancelled (Ctrl-C); a login in progress was abandoned and nothing half-written was kept".into())),
    };
    if a.json {
        output::json(&report);
    } else {
        output::mcp_report(&report);
    }
    Ok(report.outcome.exit_code())
}
