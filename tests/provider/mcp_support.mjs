// Additions to the test oidc-provider (server.mjs) for the protected-resource and MCP tests
// (tests/mcp): loopback resource indicators, acr for step-up (RFC 9470), acr/auth_time in JWT
// access tokens, and the fetch used for Client ID Metadata Documents. See README.md.

// Any resource that is a loopback HTTP URL with a port (the test MCP server, tests/mcp: e.g.
// http://127.0.0.1:<port>/mcp) gets JWT access tokens with `aud` = that URL.
const LOOPBACK_RESOURCE = /^http:\/\/127\.0\.0\.1:[0-9]{1,5}(\/[^?#\s]*)?$/;
// `known`: the static resources of server.mjs, by indicator.
export function resourceServerInfo(known, resourceIndicator) {
  if (Object.hasOwn(known, resourceIndicator)) return known[resourceIndicator];
  if (typeof resourceIndicator === 'string' && LOOPBACK_RESOURCE.test(resourceIndicator)) {
    return {
      scope: 'api:read api:write',
      audience: resourceIndicator,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: 'RS256' } },
    };
  }
  return undefined;
}

// Authentication context classes (RFC 9470 step-up). The dev login "performs" what was asked:
// see withRequestedAcr.
export const ACR_BASIC = 'urn:oauthdesk:acr:basic';
export const ACR_VALUES = [ACR_BASIC, 'urn:oauthdesk:acr:mfa'];

// JWT access tokens carry `acr` and `auth_time` of the authentication behind them: the
// authorization code, refresh token or device code being redeemed has both.
export async function extraTokenClaims(ctx, token) {
  if (token.resourceServer?.accessTokenFormat !== 'jwt') return undefined;
  const entities = ctx?.oidc?.entities ?? {};
  const source = entities.AuthorizationCode ?? entities.RefreshToken ?? entities.DeviceCode;
  if (!source) return undefined;
  const claims = {};
  if (typeof source.acr === 'string') claims.acr = source.acr;
  if (Number.isSafeInteger(source.authTime)) claims.auth_time = source.authTime;
  return Object.keys(claims).length ? claims : undefined;
}

// oidc-provider's outgoing fetches (Client ID Metadata Documents, client jwks_uri, …) use an
// SSRF-protected dispatcher that destroys connections to special-use addresses, 127.0.0.0/8
// included. The test CIMD host is https://127.0.0.1:<port>: for that origin only, use the
// default dispatcher (which trusts NODE_EXTRA_CA_CERTS). Every other URL keeps the protection.
export function fetchAllowingLoopbackTls(url, options) {
  const target = URL.parse(String(url));
  if (target?.protocol === 'https:' && target.hostname === '127.0.0.1') {
    const { dispatcher: _ssrfProtected, ...rest } = options;
    return globalThis.fetch(url, rest);
  }
  return globalThis.fetch(url, options);
}

// The dev login (devInteractions' login form) finishes with `{ login: { accountId } }` through
// provider.interactionFinished. Wrapped here to add the acr the request asked for: the first
// `acr_values` entry this server supports, else urn:oauthdesk:acr:basic. Everything else about
// the login (max_age, prompt=login, auth_time) stays oidc-provider's own.
export function withRequestedAcr(provider) {
  const finish = provider.interactionFinished.bind(provider);
  provider.interactionFinished = async (req, res, result, options) => {
    if (result?.login && result.login.acr === undefined) {
      const { params } = await provider.interactionDetails(req, res);
      const asked = typeof params.acr_values === 'string' ? params.acr_values.split(' ') : [];
      const acr = asked.find((v) => ACR_VALUES.includes(v)) ?? ACR_BASIC;
      result = { ...result, login: { ...result.login, acr } };
    }
    return finish(req, res, result, options);
  };
}
