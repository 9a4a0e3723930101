//! The test MCP server (`tests/mcp/server.mjs`): the official TypeScript SDK serving Streamable
//! HTTP behind its own bearer-auth middleware, with RFC 9728 protected resource metadata, backed
//! by a test oidc-provider ([`crate::Provider`]) as its authorization server. Routes and exact
//! challenge headers: tests/mcp/README.md.

use std::process::Child;

use crate::network::PrivateCa;
use crate::provider::start_node;

/// A running test MCP server on a random port; killed on drop.
pub struct McpServer {
    child: Child,
    base: String,
}

impl McpServer {
    /// Starts the server for the authorization server `issuer` (e.g. [`crate::Provider::issuer`]).
    pub fn start(issuer: &str) -> McpServer {
        Self::start_with(issuer, &[])
    }

    /// Also serves Client ID Metadata Documents over HTTPS with `ca`'s server certificate
    /// (`https://127.0.0.1:<port>`, see [`McpServer::publish_client_metadata`]). The provider must
    /// trust the CA: start it with `NODE_EXTRA_CA_CERTS` = [`PrivateCa::ca_pem_path`].
    pub fn start_with_cimd(issuer: &str, ca: &PrivateCa) -> McpServer {
        // The file names PrivateCa writes (tests/src/network.rs).
        let cert = ca.dir.path().join("server.pem");
        let key = ca.dir.path().join("server.key");
        let (cert, key) = (cert.to_string_lossy(), key.to_string_lossy());
        Self::start_with(issuer, &[("CIMD_CERT", &cert), ("CIMD_KEY", &key)])
    }

    fn start_with(issuer: &str, env: &[(&str, &str)]) -> McpServer {
        let mut all = vec![("ISSUER", issuer)];
        all.extend_from_slice(env);
        let (child, base) = start_node(
            "mcp",
            "@modelcontextprotocol/sdk",
            "server.mjs",
            &all,
            "the test MCP server",
        );
        McpServer { child, base }
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `path` (starting with `/`) on this server, e.g. `url("/mcp")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Requests per path: `{"routes": {"/mcp": {"requests", "with_authorization",
    /// "without_authorization", "last_scheme", "methods"}}}` (tests/mcp/README.md).
    pub fn stats(&self) -> serde_json::Value {
        crate::http(reqwest::Method::GET, &self.url("/__test/stats"), &[], None).1
    }

    /// The stats of one path (`Null` when it was never requested).
    pub fn route_stats(&self, path: &str) -> serde_json::Value {
        self.stats()["routes"][path].clone()
    }

    pub fn reset_stats(&self) {
        crate::http(reqwest::Method::POST, &self.url("/__test/reset"), &[], None);
    }

    /// Publishes a Client ID Metadata Document (server started with
    /// [`McpServer::start_with_cimd`]) and returns its URL, the client ID. `client_id` in
    /// `metadata` is set to that URL unless `metadata` has one of its own.
    #[track_caller]
    pub fn publish_client_metadata(&self, metadata: serde_json::Value) -> String {
        let (status, answer) = post_json(&self.url("/__test/cimd"), &metadata);
        let Some(id) = answer["client_id"].as_str().filter(|_| status == 201) else {
            panic!("the MCP server published no client metadata document ({status}): {answer}");
        };
        id.to_owned()
    }
}

impl Drop for McpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A JSON POST on its own thread (callable from async tests too): status and JSON answer.
fn post_json(url: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    let resp = reqwest::Client::new()
                        .post(url)
                        .header("content-type", "application/json")
                        .body(body.to_string())
                        .send()
                        .await
                        .expect("the test MCP server answers");
                    let status = resp.status().as_u16();
                    let text = resp.text().await.unwrap_or_default();
                    (status, serde_json::from_str(&text).unwrap_or_default())
                })
            })
            .join()
            .expect("http thread")
    })
}
