// OAuth Desk test MCP server: the official TypeScript SDK (@modelcontextprotocol/sdk) serving
// Streamable HTTP behind the SDK's own bearer-auth middleware and RFC 9728 protected resource
// metadata, with the test oidc-provider (tests/provider) as its authorization server.
//
//   ISSUER=http://127.0.0.1:<port> PORT=0 node server.mjs
//   CIMD_CERT=cert.pem CIMD_KEY=key.pem   also serve Client ID Metadata Documents over HTTPS
//
// Prints exactly one line `READY http://127.0.0.1:<port>` to stdout when it accepts requests;
// everything else goes to stderr. SIGTERM/SIGINT exit 0. Routes: README.md.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

// Keep stdout for the READY line only (the SDK and express log with console.log).
console.log = console.error;
console.info = console.error;

let stopping = false;
const servers = [];
const sessionStores = [];
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`received ${signal}, shutting down`);
  for (const sessions of sessionStores) {
    for (const transport of sessions.values()) transport.close().catch(() => {});
  }
  const open = servers.filter((s) => s.listening);
  if (open.length === 0) process.exit(0);
  let left = open.length;
  for (const s of open) {
    s.close(() => {
      left -= 1;
      if (left === 0) process.exit(0);
    });
    s.closeAllConnections();
  }
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
const { createMcpExpressApp } = await import('@modelcontextprotocol/sdk/server/express.js');
const { metadataHandler } = await import('@modelcontextprotocol/sdk/server/auth/handlers/metadata.js');
const { isInitializeRequest } = await import('@modelcontextprotocol/sdk/types.js');
const { z } = await import('zod');
const { bearer, discoverIssuer, issuerJwks, stepUp } = await import('./auth.mjs');
const { cimdRoutes } = await import('./cimd.mjs');
const { Stats } = await import('./stats.mjs');

const ISSUER = process.env.ISSUER;
if (!ISSUER) {
  console.error('ISSUER is required: the test oidc-provider\'s issuer URL');
  process.exit(1);
}
let issuerMeta;
try {
  issuerMeta = await discoverIssuer(ISSUER);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const jwks = issuerJwks(issuerMeta);

const SCOPES = ['api:read', 'api:write'];
const MFA = 'urn:oauthdesk:acr:mfa';
const stats = new Stats();
const app = createMcpExpressApp({ host: '127.0.0.1' });
const server = createServer((req, res) => {
  stats.count(req);
  app(req, res);
});
servers.push(server);
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve);
});
const BASE = `http://127.0.0.1:${server.address().port}`;
const metadataUrl = (path) => `${BASE}/.well-known/oauth-protected-resource${path}`;

// ---- RFC 9728 protected resource metadata ------------------------------------------------------
// The SDK's mcpAuthMetadataRouter cannot add bearer_methods_supported and also mirrors the
// authorization server's metadata at this origin's /.well-known/oauth-authorization-server; we
// serve our documents through the SDK's metadataHandler (the same handler: CORS, GET/OPTIONS,
// 405 otherwise). Path-inserted locations only: the root document is a 404.
function protectedResource(path, resource) {
  app.use(`/.well-known/oauth-protected-resource${path}`, metadataHandler({
    resource,
    authorization_servers: [ISSUER],
    scopes_supported: SCOPES,
    bearer_methods_supported: ['header'],
    resource_name: `OAuth Desk test ${path.slice(1)}`,
  }));
}
protectedResource('/mcp', `${BASE}/mcp`);
// Misconfigured on purpose: names another resource than the one it describes (RFC 9728 §3.3).
protectedResource('/bad-mcp', `${BASE}/mcp`);
protectedResource('/lax-mcp', `${BASE}/lax-mcp`);
protectedResource('/api', `${BASE}/api`);

// ---- MCP endpoints --------------------------------------------------------------------------

function mcpServer() {
  const mcp = new McpServer({ name: 'oauthdesk-test-mcp', version: '1.0.0' });
  mcp.registerTool('whoami', {
    title: 'Who am I',
    description: 'The access token\'s subject, scope and audience',
    inputSchema: {},
  }, async (_args, extra) => {
    const info = extra.authInfo?.extra ?? {};
    const who = { sub: info.sub ?? null, scope: info.scope ?? null, aud: info.aud ?? null };
    return { content: [{ type: 'text', text: JSON.stringify(who) }], structuredContent: who };
  });
  mcp.registerTool('add', {
    title: 'Add',
    description: 'Adds two numbers',
    inputSchema: { a: z.number(), b: z.number() },
  }, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
  return mcp;
}

const rpcError = (res, status, code, message) => res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });

// One Streamable HTTP endpoint with stateful sessions (Mcp-Session-Id), as the SDK's
// simpleStreamableHttp example wires it: a transport and an McpServer per session.
function mcpEndpoint(path, auth) {
  const sessions = new Map();
  sessionStores.push(sessions);
  const handler = async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    const transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    try {
      if (transport) return await transport.handleRequest(req, res, req.body);
      if (sessionId !== undefined) return rpcError(res, 404, -32001, 'Session not found');
      if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
        return rpcError(res, 400, -32000, 'Bad Request: No valid session ID provided');
      }
      const fresh = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => sessions.set(id, fresh),
      });
      fresh.onclose = () => {
        if (fresh.sessionId) sessions.delete(fresh.sessionId);
      };
      await mcpServer().connect(fresh);
      return await fresh.handleRequest(req, res, req.body);
    } catch (err) {
      console.error(`${path}:`, err);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal server error');
    }
  };
  const chain = auth ? [auth, handler] : [handler];
  app.post(path, ...chain);
  app.get(path, ...chain);
  app.delete(path, ...chain);
}

const protect = (path, opts = {}) => bearer({
  issuer: ISSUER,
  jwks,
  resource: `${BASE}${opts.resourcePath ?? path}`,
  metadataUrl: metadataUrl(opts.resourcePath ?? path),
  scopes: opts.scopes ?? ['api:read'],
  checkAudience: opts.checkAudience ?? true,
});

mcpEndpoint('/mcp', protect('/mcp'));
// Tokens are checked against its own resource B/bad-mcp; its metadata says B/mcp.
mcpEndpoint('/bad-mcp', bearer({
  issuer: ISSUER, jwks, resource: `${BASE}/bad-mcp`, metadataUrl: metadataUrl('/bad-mcp'), scopes: ['api:read'],
}));
mcpEndpoint('/lax-mcp', protect('/lax-mcp', { checkAudience: false }));
mcpEndpoint('/noauth-mcp', undefined);

// ---- REST API (one resource, B/api) ---------------------------------------------------------

const echo = (req, res) => {
  const x = req.auth?.extra ?? {};
  res.json({ sub: x.sub ?? null, scope: x.scope ?? null, acr: x.acr ?? null, auth_time: x.auth_time ?? null, client_id: req.auth?.clientId ?? null });
};
const apiRead = protect('/api', { scopes: ['api:read'] });
const apiWrite = protect('/api', { scopes: ['api:read', 'api:write'] });
app.get('/api/profile', apiRead, echo);
app.get('/api/admin', apiWrite, echo);
app.post('/api/admin', apiWrite, echo);
app.get('/api/secure', apiRead, stepUp({ acr: MFA, metadataUrl: metadataUrl('/api') }), echo);
app.get('/api/fresh', apiRead, stepUp({ maxAge: 60, metadataUrl: metadataUrl('/api') }), echo);

// ---- test support ---------------------------------------------------------------------------

let cimdBase = null;
if (process.env.CIMD_CERT && process.env.CIMD_KEY) {
  const documents = new Map();
  const tls = createHttpsServer({ cert: readFileSync(process.env.CIMD_CERT), key: readFileSync(process.env.CIMD_KEY) });
  servers.push(tls);
  await new Promise((resolve, reject) => {
    tls.once('error', reject);
    tls.listen(Number(process.env.CIMD_PORT ?? 0), '127.0.0.1', resolve);
  });
  cimdBase = `https://127.0.0.1:${tls.address().port}`;
  cimdRoutes({ app, tls, documents, cimdBase, stats });
}

app.get('/__test/stats', (req, res) => res.json(stats.snapshot()));
app.post('/__test/reset', (req, res) => {
  stats.reset();
  res.json(stats.snapshot());
});
app.get('/__test/info', (req, res) => res.json({ base: BASE, issuer: ISSUER, cimd_base: cimdBase }));

if (stopping) process.exit(0);
process.stdout.write(`READY ${BASE}\n`);
