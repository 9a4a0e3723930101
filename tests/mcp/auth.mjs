// Token verification and challenges for the test MCP server (server.mjs).
//
// The SDK's requireBearerAuth does the Bearer parsing, the scope check, the resource (audience)
// check (`expectedResource`) and formats the WWW-Authenticate header; it needs a `verifier` that
// turns a token into AuthInfo. Ours checks an RFC 9068 JWT access token of the test
// oidc-provider with jose against the issuer's JWKS. The RFC 9470 step-up checks (acr, max_age)
// are not something the SDK can express: they are our own middleware (stepUp below).

import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';

const FETCH_TIMEOUT_MS = 5000;

async function fetchJson(url) {
  const resp = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (resp.status !== 200) throw new Error(`${url} answered ${resp.status}`);
  return resp.json();
}

// The issuer's metadata: OpenID Connect Discovery, else RFC 8414 with the path inserted.
export async function discoverIssuer(issuer) {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/$/, '');
  const candidates = [
    `${u.origin}${path}/.well-known/openid-configuration`,
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
  ];
  const failures = [];
  for (const url of candidates) {
    try {
      const meta = await fetchJson(url);
      if (meta.issuer !== issuer) throw new Error(`${url} names issuer ${meta.issuer}`);
      if (typeof meta.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
      return meta;
    } catch (err) {
      failures.push(err.message);
    }
  }
  throw new Error(`no usable metadata for issuer ${issuer}: ${failures.join('; ')}`);
}

// jose's messages carry double quotes ("exp" claim timestamp check failed); the SDK copies the
// message into error_description="…" without escaping, which would break the header. Map every
// failure to a plain sentence.
function describe(err) {
  if (err instanceof joseErrors.JWTExpired) return 'Token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `Token claim ${err.claim} is invalid`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature is invalid';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'Token signing key is unknown';
  return 'Token is not a valid JWT access token of the issuer';
}

function stringClaim(v) {
  return typeof v === 'string' ? v : undefined;
}

// A verifier for requireBearerAuth. `expected` is the resource this route is; the returned
// AuthInfo.resource is the token's `aud` entry equal to it (else its first `aud`), and the SDK's
// `expectedResource` option compares it. Signature, `iss`, `typ: at+jwt` and `exp` are checked
// here (jose); the audience only through `expectedResource`, so a route without that option is
// the "audience not checked" misconfiguration.
export function jwtVerifier(issuer, jwks, expected) {
  return {
    async verifyAccessToken(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer,
          typ: 'at+jwt',
          algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
          clockTolerance: 0,
        }));
      } catch (err) {
        throw new InvalidTokenError(describe(err));
      }
      const auds = [payload.aud ?? []].flat().filter((a) => typeof a === 'string');
      const aud = auds.find((a) => a === expected) ?? auds[0];
      const scope = stringClaim(payload.scope) ?? '';
      return {
        token,
        clientId: stringClaim(payload.client_id) ?? '',
        scopes: scope.split(' ').filter(Boolean),
        expiresAt: typeof payload.exp === 'number' ? payload.exp : undefined,
        resource: aud && URL.canParse(aud) ? new URL(aud) : undefined,
        extra: {
          sub: stringClaim(payload.sub),
          scope,
          aud: payload.aud,
          acr: stringClaim(payload.acr),
          auth_time: typeof payload.auth_time === 'number' ? payload.auth_time : undefined,
        },
      };
    },
  };
}

// The JWKS of the issuer, fetched (and cached, refetched on an unknown kid) by jose.
export function issuerJwks(meta) {
  return createRemoteJWKSet(new URL(meta.jwks_uri), { timeoutDuration: FETCH_TIMEOUT_MS });
}

// The SDK's bearer middleware for one protected resource.
//   resource: the resource identifier (URL) the route is; checkAudience false = do not check it.
export function bearer({ issuer, jwks, resource, metadataUrl, scopes, checkAudience = true }) {
  return requireBearerAuth({
    verifier: jwtVerifier(issuer, jwks, resource),
    requiredScopes: scopes,
    resourceMetadataUrl: metadataUrl,
    expectedResource: checkAudience ? new URL(resource) : undefined,
  });
}

// RFC 9470 §3 step-up, after the SDK's bearer middleware (req.auth is set). The SDK has no way
// to express it, hence our own header:
//   { acr: 'urn:…' }  the token's `acr` must be this value;
//   { maxAge: 60 }    the token's `auth_time` must be at most that many seconds ago.
export function stepUp({ acr, maxAge, metadataUrl }) {
  return (req, res, next) => {
    const extra = req.auth?.extra ?? {};
    let failure;
    if (acr !== undefined && extra.acr !== acr) {
      failure = {
        description: 'A stronger authentication is required for this resource',
        param: `acr_values="${acr}"`,
      };
    } else if (maxAge !== undefined) {
      const now = Math.floor(Date.now() / 1000);
      const authTime = extra.auth_time;
      const fresh = Number.isSafeInteger(authTime) && authTime <= now + 5 && now - authTime <= maxAge;
      if (!fresh) {
        failure = {
          description: 'A more recent authentication is required for this resource',
          param: `max_age="${maxAge}"`,
        };
      }
    }
    if (!failure) return next();
    const header = `Bearer error="insufficient_user_authentication", error_description="${failure.description}", ${failure.param}, resource_metadata="${metadataUrl}"`;
    res.set('WWW-Authenticate', header);
    res.status(401).json({ error: 'insufficient_user_authentication', error_description: failure.description });
  };
}
