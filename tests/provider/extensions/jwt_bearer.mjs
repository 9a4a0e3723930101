// Test-server extension: the JWT bearer authorization grant (RFC 7523 §2.1), issue 15. See
// extensions/README.md for the hooks.
//
// The grant verifies the assertion with `jose` (RFC 7523 §3):
//   - signed by the client itself (`iss` = the client_id): HS* with its client_secret, or an
//     asymmetric key from its registered `jwks`;
//   - or by a trusted issuer: JWT_BEARER_TRUSTED_ISSUER (e.g. the controlled issuer), whose keys
//     are read from `<issuer>/jwks`;
// `aud` must be this issuer or its token endpoint, `exp`, `iss` and `sub` must be there, an
// expired assertion is refused, and a `jti` is accepted once. The access token is for `sub`.
//
// Client: `jwt-bearer` (client_secret_basic; its secret also signs HS256 assertions).

import * as jose from 'jose';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export const JWT_BEARER_CLIENT = {
  client_id: 'jwt-bearer',
  client_secret: 'jwt-bearer-secret-0123456789-0123456789-abcdef',
  token_endpoint_auth_method: 'client_secret_basic',
  redirect_uris: [],
  response_types: [],
  grant_types: [JWT_BEARER],
};

const seenJti = new Set();

function grantHandler(provider, { issuer, configuration, env }) {
  const trusted = env.JWT_BEARER_TRUSTED_ISSUER;
  const trustedKeys = trusted ? jose.createRemoteJWKSet(new URL(`${trusted}/jwks`)) : undefined;
  return async function jwtBearerHandler(ctx) {
    const { errors } = await import('oidc-provider');
    const { client, params } = ctx.oidc;
    const assertion = params.assertion;
    if (typeof assertion !== 'string' || !assertion) {
      throw new errors.InvalidRequest("missing required parameter 'assertion'");
    }
    let unverified;
    let header;
    try {
      unverified = jose.decodeJwt(assertion);
      header = jose.decodeProtectedHeader(assertion);
    } catch {
      throw new errors.InvalidGrant('the assertion is not a JWT (RFC 7523 §3)');
    }
    let key;
    if (unverified.iss === client.clientId) {
      if (String(header.alg ?? '').startsWith('HS')) {
        if (!client.clientSecret) throw new errors.InvalidGrant('the client has no secret to verify an HS* assertion');
        key = new TextEncoder().encode(client.clientSecret);
      } else {
        if (!client.jwks?.keys?.length) throw new errors.InvalidGrant('the client registered no jwks to verify its assertion');
        key = jose.createLocalJWKSet(client.jwks);
      }
    } else if (trusted && unverified.iss === trusted) {
      key = trustedKeys;
    } else {
      throw new errors.InvalidGrant(`the assertion's issuer ${JSON.stringify(unverified.iss)} is neither the client nor a trusted issuer (RFC 7523 §3 item 1)`);
    }
    let payload;
    try {
      ({ payload } = await jose.jwtVerify(assertion, key, {
        audience: [issuer, ctx.oidc.urlFor('token')],
        requiredClaims: ['iss', 'sub', 'aud', 'exp'],
        algorithms: ['HS256', 'HS384', 'HS512', 'ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'],
      }));
    } catch (err) {
      throw new errors.InvalidGrant(`the assertion was refused: ${err.code ?? 'error'}: ${err.message}`);
    }
    if (payload.jti !== undefined) {
      const id = `${payload.iss} ${payload.jti}`;
      if (seenJti.has(id)) throw new errors.InvalidGrant('the assertion was used before (jti, RFC 7523 §3 item 7)');
      seenJti.add(id);
    }
    const known = new Set(configuration.scopes);
    const scope = [...new Set(String(params.scope ?? '').split(' ').filter((s) => known.has(s)))].join(' ');
    const grant = new provider.Grant({ accountId: String(payload.sub), clientId: client.clientId });
    if (scope) grant.addOIDCScope(scope);
    const grantId = await grant.save();
    const at = new provider.AccessToken({
      accountId: String(payload.sub), client, grantId, gty: 'jwt_bearer', scope: scope || undefined,
    });
    ctx.oidc.entity('AccessToken', at);
    const accessToken = await at.save();
    ctx.body = Object.fromEntries(Object.entries({
      access_token: accessToken,
      expires_in: at.expiration,
      scope: at.scope,
      token_type: at.tokenType,
    }).filter(([, v]) => v !== undefined));
  };
}

export default {
  name: 'jwt_bearer',
  clients: [JWT_BEARER_CLIENT],
  install(provider, context) {
    provider.registerGrantType(JWT_BEARER, grantHandler(provider, context), ['assertion', 'scope']);
  },
};
