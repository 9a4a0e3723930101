// OAuth Desk test authorization server: a real `oidc-provider` (v9) configured for end-to-end tests.
//
//   PORT=0 node server.mjs      (PORT defaults to 0 = random free port)
//
//   ISSUER_PATH=/tenant/a      serve the issuer under a path (discovery then has path rules)
//   DISCOVERY=rfc8414          serve metadata only at RFC 8414's /.well-known/oauth-authorization-server<path>
//                              (as a plain OAuth server would) and 404 the OpenID Connect location
//
// Prints exactly one line `READY http://127.0.0.1:<port>` to stdout when it accepts requests, and
// exits cleanly on SIGTERM/SIGINT. Everything else (oidc-provider notices and warnings) goes to
// stderr. See README.md for the clients and the findings behind this configuration.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import {
  ACR_VALUES, extraTokenClaims, fetchAllowingLoopbackTls, resourceServerInfo, withRequestedAcr,
} from './mcp_support.mjs';
import { EXTENSIONS } from './extensions/index.mjs';

// oidc-provider prints its "NOTICE" lines with console.info (stdout). Keep stdout for the READY
// line only: send console.log/info to stderr before the library is loaded (hence dynamic import).
console.log = console.error;
console.info = console.error;

// Exit cleanly on SIGTERM/SIGINT, also when it arrives during startup.
let server;
let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`received ${signal}, shutting down`);
  if (!server?.listening) process.exit(0);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

const { default: Provider, errors } = await import('oidc-provider');

const PASSWORD = 'correct horse';
const PASSWORD_GRANT = 'password';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const SHORT_LIVED_CLIENT = 'short-lived';
const SCOPES = ['openid', 'offline_access', 'email', 'profile', 'api:read', 'api:write'];

const RESOURCES = {
  'urn:oauthdesk:jwt-api': {
    scope: 'api:read api:write',
    audience: 'urn:oauthdesk:jwt-api',
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  },
  'urn:oauthdesk:opaque-api': {
    scope: 'api:read api:write',
    audience: 'urn:oauthdesk:opaque-api',
    accessTokenFormat: 'opaque',
  },
};

const LOOPBACK_REDIRECTS = ['http://127.0.0.1/callback', 'http://localhost/callback'];
// oidc-provider v9 supports no `token`-only response type (configuration rejects it); these are
// the implicit / hybrid ones it does support. See README.md.
const IMPLICIT_RESPONSE_TYPES = ['id_token token', 'id_token', 'code id_token token', 'code token', 'code id_token'];

const clients = [
  {
    client_id: 'native-public',
    token_endpoint_auth_method: 'none',
    application_type: 'native',
    redirect_uris: LOOPBACK_REDIRECTS,
    // RP-initiated logout back to loopback (any port: a native client).
    post_logout_redirect_uris: ['http://127.0.0.1/logout'],
    // The Sandbox of scripts/run: every grant the app offers a public client works with it
    // (code, device, refresh, and the legacy password and implicit grants, to try them).
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', PASSWORD_GRANT, 'implicit'],
    response_types: ['code', ...IMPLICIT_RESPONSE_TYPES],
  },
  {
    client_id: 'web-basic',
    client_secret: 's3cr3t:with/special+chars%&=',
    token_endpoint_auth_method: 'client_secret_basic',
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  },
  {
    client_id: 'web-post',
    client_secret: 'post-secret-123',
    token_endpoint_auth_method: 'client_secret_post',
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  },
  {
    client_id: 'device',
    token_endpoint_auth_method: 'none',
    application_type: 'native',
    redirect_uris: [],
    grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
    response_types: [],
  },
  {
    client_id: 'service',
    client_secret: 'service-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: [],
    grant_types: ['client_credentials'],
    response_types: [],
  },
  {
    client_id: 'legacy',
    client_secret: 'legacy-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/callback'],
    grant_types: [PASSWORD_GRANT, 'implicit', 'refresh_token', 'authorization_code'],
    response_types: ['code', ...IMPLICIT_RESPONSE_TYPES],
  },
  {
    // Token exchange (RFC 8693): trades a token of this provider for another.
    client_id: 'exchanger',
    client_secret: 'exchanger-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: [],
    grant_types: [TOKEN_EXCHANGE, 'client_credentials'],
    response_types: [],
  },
  {
    // client_secret_jwt (RFC 7523): an HS256 assertion signed with the secret.
    client_id: 'jwt-secret',
    client_secret: 'jwt-secret-0123456789-0123456789-abcdef',
    token_endpoint_auth_method: 'client_secret_jwt',
    redirect_uris: [],
    grant_types: ['client_credentials'],
    response_types: [],
  },
  {
    // Must use pushed authorization requests (RFC 9126 §6).
    client_id: 'par-required',
    token_endpoint_auth_method: 'none',
    application_type: 'native',
    redirect_uris: LOOPBACK_REDIRECTS,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    require_pushed_authorization_requests: true,
  },
  {
    client_id: SHORT_LIVED_CLIENT,
    token_endpoint_auth_method: 'none',
    application_type: 'native',
    redirect_uris: LOOPBACK_REDIRECTS,
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
  },
];

// Any account id exists (devInteractions accepts any login).
async function findAccount(ctx, id) {
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        email: `${id}@example.test`,
        email_verified: true,
        name: `Test User ${id}`,
      };
    },
  };
}

// The test-only TTL rule: `short-lived` gets 1 s access tokens from every grant except
// refresh_token (gty is e.g. "authorization_code refresh_token" after a refresh).
function accessTokenTTL(ctx, token, client) {
  const gty = String(token.gty ?? '').split(' ');
  if (client?.clientId === SHORT_LIVED_CLIENT && !gty.includes('refresh_token')) return 1;
  return 3600;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

const configuration = {
  clients,
  findAccount,
  jwks: { keys: [signingKey] },
  cookies: { keys: ['oauthdesk-test-cookie-key'] },
  scopes: SCOPES,
  acrValues: ACR_VALUES,
  extraTokenClaims,
  fetch: fetchAllowingLoopbackTls,
  // Default 15 s: expired tokens would still be accepted for 15 s (userinfo, introspection),
  // which would hide expiry bugs in the `short-lived` tests. Same clock for everything here.
  clockTolerance: 0,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  responseTypes: ['code', 'none', ...IMPLICIT_RESPONSE_TYPES],
  pkce: { required: () => true },
  rotateRefreshToken: () => true,
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: {
    AccessToken: accessTokenTTL,
    AuthorizationCode: 60,
    ClientCredentials: 3600,
    DeviceCode: 600,
    Grant: 14 * 24 * 3600,
    IdToken: 3600,
    Interaction: 3600,
    RefreshToken: 14 * 24 * 3600,
    Session: 14 * 24 * 3600,
  },
  features: {
    devInteractions: { enabled: true },
    introspection: { enabled: true, allowedPolicy: async () => true },
    revocation: { enabled: true, allowedPolicy: async () => true },
    deviceFlow: { enabled: true },
    clientCredentials: { enabled: true },
    registration: { enabled: true },
    registrationManagement: { enabled: true },
    pushedAuthorizationRequests: { enabled: true },
    // Nonces required (RFC 9449 §8): every DPoP client must handle the use_dpop_nonce retry.
    dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
    userinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    // A client_id that is an https: URL of a Client ID Metadata Document (experimental in
    // oidc-provider 9; `ack` is the draft it implements). The test MCP server serves such
    // documents over TLS with a CA the test trusts through NODE_EXTRA_CA_CERTS.
    clientIdMetadataDocument: { enabled: true, ack: 'draft-02' },
    resourceIndicators: {
      enabled: true,
      // No default resource: without `resource`, code/device/password grants give opaque tokens
      // usable at userinfo, and client_credentials gives an opaque token with the known scopes.
      defaultResource: async (ctx, client, oneOf) => oneOf,
      useGrantedResource: async () => false,
      getResourceServerInfo: async (ctx, resourceIndicator) => {
        const info = resourceServerInfo(RESOURCES, resourceIndicator);
        if (!info) throw new errors.InvalidTarget();
        return info;
      },
    },
  },
};

for (const ext of EXTENSIONS) {
  clients.push(...(ext.clients ?? []));
  ext.configure?.(configuration, process.env);
}

// ---- test statistics -------------------------------------------------------------------------

const stats = { token_requests: {}, token_success: {}, refresh_success: 0 };
function resetStats() {
  stats.token_requests = {};
  stats.token_success = {};
  stats.refresh_success = 0;
}

function countTokenRequest(ctx) {
  let grantType;
  try {
    grantType = ctx.oidc?.body?.grant_type ?? ctx.oidc?.params?.grant_type;
  } catch {
    grantType = undefined;
  }
  if (Array.isArray(grantType)) grantType = grantType[0];
  const key = typeof grantType === 'string' && grantType ? grantType : '(none)';
  stats.token_requests[key] = (stats.token_requests[key] ?? 0) + 1;
  if (ctx.status === 200) {
    stats.token_success[key] = (stats.token_success[key] ?? 0) + 1;
    if (key === 'refresh_token') stats.refresh_success += 1;
  }
}

// ---- password grant (RFC 6749 §4.3), modelled on lib/actions/grants/client_credentials.js -----

function passwordGrant(provider) {
  return async function passwordGrantHandler(ctx) {
    const { client, params } = ctx.oidc;
    if (!params.username) throw new errors.InvalidRequest('missing required parameter \'username\'');
    if (typeof params.password !== 'string') throw new errors.InvalidRequest('missing required parameter \'password\'');
    if (params.password !== PASSWORD) throw new errors.InvalidGrant('invalid resource owner credentials');

    const account = await findAccount(ctx, params.username);
    ctx.oidc.entity('Account', account);

    const known = new Set(SCOPES);
    const scopes = [...new Set(String(params.scope ?? '').split(' ').filter((s) => known.has(s)))];

    let resourceServer;
    if (params.resource) {
      if (Array.isArray(params.resource)) {
        throw new errors.InvalidTarget('only a single resource indicator value is supported for this grant type');
      }
      const info = await configuration.features.resourceIndicators.getResourceServerInfo(ctx, params.resource, client);
      resourceServer = new provider.ResourceServer(params.resource, info);
    }

    // A Grant makes the refresh token usable with the built-in refresh_token grant (which looks
    // the grant up, and filters scopes through it) and revocable as a whole.
    const grant = new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
    const resourceScopes = resourceServer
      ? scopes.filter((s) => resourceServer.scopes.has(s)).join(' ')
      : '';
    const oidcScope = scopes.filter((s) => !resourceServer || !resourceServer.scopes.has(s)).join(' ');
    if (oidcScope) grant.addOIDCScope(oidcScope);
    if (resourceServer && resourceScopes) grant.addResourceScope(params.resource, resourceScopes);
    const grantId = await grant.save();
    ctx.oidc.entity('Grant', grant);

    const at = new provider.AccessToken({
      accountId: account.accountId,
      client,
      grantId,
      gty: PASSWORD_GRANT,
    });
    if (resourceServer) {
      at.resourceServer = resourceServer;
      at.scope = resourceScopes || undefined;
    } else {
      at.scope = oidcScope || undefined;
    }
    ctx.oidc.entity('AccessToken', at);
    const accessToken = await at.save();

    let refreshToken;
    if (client.grantTypeAllowed('refresh_token')) {
      const rt = new provider.RefreshToken({
        accountId: account.accountId,
        client,
        grantId,
        gty: PASSWORD_GRANT,
        resource: params.resource,
        rotations: 0,
        scope: scopes.join(' ') || undefined,
      });
      ctx.oidc.entity('RefreshToken', rt);
      refreshToken = await rt.save();
    }

    ctx.body = Object.fromEntries(Object.entries({
      access_token: accessToken,
      expires_in: at.expiration,
      refresh_token: refreshToken,
      scope: at.scope,
      token_type: at.tokenType,
    }).filter(([, v]) => v !== undefined));
  };
}

// ---- token exchange (RFC 8693), test-only: an access token of this provider for another ---------

function tokenExchangeGrant(provider) {
  return async function tokenExchangeHandler(ctx) {
    const { client, params } = ctx.oidc;
    if (!params.subject_token) throw new errors.InvalidRequest("missing required parameter 'subject_token'");
    if (params.subject_token_type !== ACCESS_TOKEN_TYPE) {
      throw new errors.InvalidRequest(`unsupported subject_token_type ${params.subject_token_type}; this server exchanges access tokens`);
    }
    if (params.requested_token_type && params.requested_token_type !== ACCESS_TOKEN_TYPE) {
      throw new errors.InvalidRequest('only access tokens can be requested');
    }
    const subject = await provider.AccessToken.find(String(params.subject_token));
    if (!subject || subject.isExpired) throw new errors.InvalidGrant('the subject token is not an active access token of this server');
    let actor;
    if (params.actor_token) {
      actor = await provider.AccessToken.find(String(params.actor_token));
      if (!actor) throw new errors.InvalidGrant('the actor token is not an active access token of this server');
    }
    const have = new Set(String(subject.scope ?? '').split(' ').filter(Boolean));
    const want = params.scope ? String(params.scope).split(' ').filter(Boolean) : [...have];
    const scope = want.filter((s) => have.has(s)).join(' ');
    let resourceServer;
    if (params.resource) {
      const info = await configuration.features.resourceIndicators.getResourceServerInfo(ctx, params.resource, client);
      resourceServer = new provider.ResourceServer(params.resource, info);
    }
    const at = new provider.AccessToken({ accountId: subject.accountId, client, grantId: subject.grantId, gty: 'token-exchange', scope: scope || undefined });
    if (resourceServer) at.resourceServer = resourceServer;
    if (actor) at.extra = { act: { sub: actor.accountId ?? actor.clientId } };
    ctx.oidc.entity('AccessToken', at);
    const accessToken = await at.save();
    ctx.body = Object.fromEntries(Object.entries({
      access_token: accessToken,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: at.tokenType,
      expires_in: at.expiration,
      scope: at.scope,
    }).filter(([, v]) => v !== undefined));
  };
}

// ---- start -----------------------------------------------------------------------------------

server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve);
});
const { port } = server.address();
const ISSUER_PATH = (process.env.ISSUER_PATH ?? '').replace(/\/+$/, '');
const RFC8414_ONLY = process.env.DISCOVERY === 'rfc8414';
const issuer = `http://127.0.0.1:${port}${ISSUER_PATH}`;

for (const ext of EXTENSIONS) await ext.prepare?.({ port, issuer, configuration, env: process.env });

const provider = new Provider(issuer, configuration);
let handle;
for (const ext of EXTENSIONS) {
  ext.install?.(provider, { server, handle: () => handle, issuer, configuration, env: process.env });
}
provider.registerGrantType(PASSWORD_GRANT, passwordGrant(provider), ['username', 'password', 'scope', 'resource'], ['resource']);
provider.registerGrantType(
  TOKEN_EXCHANGE,
  tokenExchangeGrant(provider),
  ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'audience', 'resource', 'scope'],
  ['resource', 'audience'],
);

withRequestedAcr(provider);

// oidc-provider validates static clients lazily (on first use). Validate them all now so a bad
// client fails the start instead of showing up as a confusing `invalid_client` in some test.
for (const { client_id: id } of clients) {
  try {
    await provider.Client.find(id);
  } catch (err) {
    console.error(`invalid static client ${id}: ${err.error_description ?? err.message}`);
    process.exit(1);
  }
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/stats' && ctx.method === 'GET') {
    ctx.type = 'json';
    ctx.body = stats;
    return;
  }
  if (ctx.path === '/__test/reset' && ctx.method === 'POST') {
    resetStats();
    ctx.type = 'json';
    ctx.body = stats;
    return;
  }
  try {
    await next();
  } finally {
    if (ctx.method === 'POST' && ctx.path === '/token') countTokenRequest(ctx);
  }
});

provider.on('server_error', (ctx, err) => console.error('server_error', err));

handle = provider.callback();
server.on('request', (req, res) => {
  const url = req.url ?? '/';
  if (RFC8414_ONLY && url.split('?')[0] === `/.well-known/oauth-authorization-server${ISSUER_PATH}`) {
    req.originalUrl = `${ISSUER_PATH}/.well-known/openid-configuration`;
    req.url = '/.well-known/openid-configuration';
    return handle(req, res);
  }
  if (RFC8414_ONLY && url.split('?')[0].endsWith('/.well-known/openid-configuration')) {
    res.writeHead(404).end();
    return;
  }
  if (ISSUER_PATH && !(url === ISSUER_PATH || url.startsWith(`${ISSUER_PATH}/`) || url.startsWith(`${ISSUER_PATH}?`))) {
    res.writeHead(404).end();
    return;
  }
  // Mounted under a path: oidc-provider derives its mount path from originalUrl vs url.
  req.originalUrl = url;
  req.url = url.slice(ISSUER_PATH.length) || '/';
  return handle(req, res);
});

process.stdout.write(`READY ${issuer}\n`);

