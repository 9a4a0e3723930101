//! `oauthdesk resource` and `oauthdesk mcp`: starting from an API or an MCP server.

use super::values::parse_text;
use clap::Args;

#[derive(Args)]
#[command(
    after_help = "Examples:\n  oauthdesk resource https://api.example.com/v1/me\n  oauthdesk resource https://mcp.example.com/mcp --mcp --json\n\nExit status: 0 when the resource led to a usable authorization server, 4 when it did but broke a MUST on the way, 1 when it could not be followed."
)]
pub struct ResourceArgs {
    #[arg(value_parser = parse_text)]
    pub url: String,
    #[arg(long, short = 'X', value_parser = ["GET", "POST"], default_value = "GET")]
    pub method: String,
    /// Knock with an MCP `initialize` (JSON-RPC POST with the Streamable HTTP headers).
    #[arg(long)]
    pub mcp: bool,
    /// Allow plain http to non-loopback authorization servers.
    #[arg(long)]
    pub insecure: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
#[command(
    after_help = "Examples:\n  oauthdesk mcp https://mcp.example.com/mcp\n  oauthdesk mcp https://mcp.example.com/mcp --client 'My MCP client' --json\n  oauthdesk mcp https://mcp.example.com/mcp --probe-audience other-api\n\nThe first run registers a client (or uses a Client ID Metadata Document) and logs in once in the browser; later runs reuse the stored grant.\nExit status: 0 flow completed and tools/list answered, 4 completed but a MUST of the revision the server follows was broken, 1 failed, 3 a login is needed and could not be done."
)]
pub struct McpArgs {
    /// The MCP server's endpoint (Streamable HTTP), e.g. https://host/mcp.
    #[arg(value_parser = parse_text)]
    pub url: String,
    /// Use this client instead of finding or making one.
    #[arg(long, value_parser = parse_text)]
    pub client: Option<String>,
    /// Be the client whose ID is this Client ID Metadata Document URL (when the server supports them).
    #[arg(long, value_parser = parse_text)]
    pub client_id_metadata_url: Option<String>,
    /// Present this client's current token (for another resource) to check the server refuses it.
    /// The server sees that token: use one you are willing to show it.
    #[arg(long, value_parser = parse_text)]
    pub probe_audience: Option<String>,
    /// Never open a browser: exit 3 when a login is needed.
    #[arg(long)]
    pub no_login: bool,
    /// Print the authorization URL instead of opening the browser.
    #[arg(long)]
    pub no_open: bool,
    #[arg(long)]
    pub insecure: bool,
    #[arg(long)]
    pub json: bool,
}
