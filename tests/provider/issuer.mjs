// OAuth Desk's controlled test issuer: a small OpenID provider whose keys and tokens the tests
// control, to serve what a certified server never would — the negative cases of the OpenID RP
// conformance suite (bad signature, unknown kid, alg none, wrong iss/aud, expired, iat in the
// future, missing/wrong nonce, wrong at_hash…) and off-spec responses for the provider report.
// Signing uses `jose` (the library oidc-provider itself uses); nothing here is hand-rolled crypto.
//
//   PORT=0 node issuer.mjs        prints `READY http://127.0.0.1:<port>` when listening
//
// Test controls (JSON bodies):
//   POST /__test/config {case, quirks, alg, access, jarm}   how /token answers from now on;
//                                                      `jarm` (ok, bad-signature, wrong-aud,
//                                                      expired; null for off) makes /authorize
//                                                      answer with a JARM `response` JWT
//   POST /__test/mint {case, alg, aud, nonce, kind, access_token}  -> {token}
//   POST /__test/rotate                                a new RSA key becomes current (kid rsa-2)
//   GET  /__test/stats                                 {jwks_fetches, token_requests}
//   GET  /__test/pem?key=rsa|ec256|ec384|ed            {pem}: a public key as SPKI PEM
// Cases: ok, bad-signature, unknown-kid, alg-none, alg-confusion, wrong-iss, wrong-aud, expired,
// iat-future, missing-nonce, wrong-nonce, wrong-at_hash, wrong-c_hash, azp-mismatch, missing-sub.

import { createServer } from 'node:http';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import * as jose from 'jose';

export const CLIENT_ID = 'controlled-client';
export const CLIENT_SECRET = 'controlled-secret-0123456789abcdef0123456789';

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

// ---- keys -------------------------------------------------------------------------------------
function keyPair(type, options, kid) {
  const { privateKey, publicKey } = generateKeyPairSync(type, options);
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' } };
}
const keys = {
  rsa: keyPair('rsa', { modulusLength: 2048 }, 'rsa-1'),
  ec256: keyPair('ec', { namedCurve: 'P-256' }, 'ec256-1'),
  ec384: keyPair('ec', { namedCurve: 'P-384' }, 'ec384-1'),
  ed: keyPair('ed25519', {}, 'ed-1'),
};
let published = () => Object.values(keys).map((k) => k.jwk);

function keyFor(alg) {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return keys.rsa;
  if (alg === 'ES256') return keys.ec256;
  if (alg === 'ES384') return keys.ec384;
  if (alg === 'EdDSA') return keys.ed;
  return null;
}

function halfHash(alg, value) {
  const bits = alg === 'EdDSA' ? '512' : alg.slice(-3);
  const digest = createHash(`sha${bits}`).update(value).digest();
  return b64u(digest.subarray(0, digest.length / 2));
}

// ---- tokens -----------------------------------------------------------------------------------
async function sign(header, claims) {
  const { alg } = header;
  if (alg.startsWith('HS')) {
    return new jose.SignJWT(claims).setProtectedHeader(header).sign(new TextEncoder().encode(CLIENT_SECRET));
  }
  return new jose.SignJWT(claims).setProtectedHeader(header).sign(keyFor(alg).privateKey);
}

export async function mint(issuer, { kase = 'ok', alg = 'RS256', aud = CLIENT_ID, nonce, kind = 'id', accessToken, code } = {}) {
  const t = now();
  const key = keyFor(alg);
  const header = { alg, ...(key ? { kid: key.kid } : {}), ...(kind === 'at' ? { typ: 'at+jwt' } : {}) };
  let claims = kind === 'at'
    ? { iss: issuer, sub: 'alice', aud: 'urn:controlled:api', client_id: aud, scope: 'openid email', jti: b64u(randomBytes(8)), iat: t, exp: t + 300 }
    : { iss: issuer, sub: 'alice', aud, iat: t, exp: t + 300, auth_time: t - 5 };
  if (kind !== 'at') {
    if (nonce !== undefined) claims.nonce = nonce;
    if (accessToken) claims.at_hash = halfHash(alg, accessToken);
    if (code) claims.c_hash = halfHash(alg, code);
  }
  switch (kase) {
    case 'wrong-iss': claims.iss = `${issuer}/evil`; break;
    case 'wrong-aud': claims.aud = 'someone-else'; if (kind === 'at') claims.client_id = 'someone-else'; break;
    case 'expired': claims.exp = t - 600; claims.iat = t - 900; break;
    case 'iat-future': claims.iat = t + 600; claims.exp = t + 900; break;
    case 'missing-nonce': delete claims.nonce; break;
    case 'wrong-nonce': claims.nonce = 'not-the-nonce-you-sent'; break;
    case 'wrong-at_hash': claims.at_hash = halfHash(alg, 'some-other-access-token'); break;
    case 'wrong-c_hash': claims.c_hash = halfHash(alg, 'some-other-code'); break;
    case 'azp-mismatch': claims.aud = [aud, 'other-rp']; claims.azp = 'other-rp'; break;
    case 'missing-sub': delete claims.sub; break;
    default: break;
  }
  if (kase === 'alg-none') {
    return `${b64u(JSON.stringify({ alg: 'none' }))}.${b64u(JSON.stringify(claims))}.`;
  }
  if (kase === 'alg-confusion') {
    // The classic attack: HMAC-sign with the RSA *public* key as the secret.
    const pem = keys.rsa.publicKey.export({ type: 'spki', format: 'pem' });
    const input = `${b64u(JSON.stringify({ alg: 'HS256', kid: keys.rsa.kid }))}.${b64u(JSON.stringify(claims))}`;
    const { createHmac } = await import('node:crypto');
    return `${input}.${b64u(createHmac('sha256', pem).update(input).digest())}`;
  }
  if (kase === 'unknown-kid') header.kid = 'not-published';
  let token = await sign(header, claims);
  if (kase === 'bad-signature') {
    const [h, p, s] = token.split('.');
    const bytes = Buffer.from(s, 'base64url');
    bytes[Math.floor(bytes.length / 2)] ^= 0x5a;
    token = `${h}.${p}.${b64u(bytes)}`;
  }
  return token;
}

// A JWT Secured Authorization Response (JARM §2.1) for `kase`, signed RS256.
async function mintJarm(issuer, kase, { clientId, code, state }) {
  const t = now();
  const claims = { iss: issuer, aud: clientId, exp: t + 300, code, ...(state ? { state } : {}) };
  if (kase === 'wrong-aud') claims.aud = 'someone-else';
  if (kase === 'expired') claims.exp = t - 600;
  let token = await sign({ alg: 'RS256', kid: keys.rsa.kid }, claims);
  if (kase === 'bad-signature') {
    const [h, p, sig] = token.split('.');
    const bytes = Buffer.from(sig, 'base64url');
    bytes[Math.floor(bytes.length / 2)] ^= 0x5a;
    token = `${h}.${p}.${b64u(bytes)}`;
  }
  return token;
}

// ---- server -----------------------------------------------------------------------------------
const config = { kase: 'ok', alg: 'RS256', quirks: false, access: 'opaque', jarm: null };
const stats = { jwks_fetches: 0, token_requests: 0 };
const codes = new Map();
const refreshTokens = new Set();

function send(res, status, body, headers = {}) {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(json);
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

const server = createServer(async (req, res) => {
  try {
    const issuer = `http://127.0.0.1:${server.address().port}`;
    const url = new URL(req.url, issuer);
    const path = url.pathname;
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      return send(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        scopes_supported: ['openid', 'email'],
        id_token_signing_alg_values_supported: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'HS256', 'HS384', 'HS512'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
        code_challenge_methods_supported: config.quirks ? ['plain'] : ['S256'],
        authorization_response_iss_parameter_supported: !config.quirks,
        ...(config.jarm ? {
          response_modes_supported: ['query', 'jwt', 'query.jwt', 'fragment.jwt'],
          authorization_signing_alg_values_supported: ['RS256'],
        } : {}),
      });
    }
    if (req.method === 'GET' && path === '/jwks') {
      stats.jwks_fetches += 1;
      return send(res, 200, { keys: published() });
    }
    if (req.method === 'GET' && path === '/authorize') {
      const p = url.searchParams;
      const code = b64u(randomBytes(16));
      codes.set(code, { nonce: p.get('nonce') ?? undefined, clientId: p.get('client_id') });
      const back = new URL(p.get('redirect_uri'));
      if (config.jarm) {
        const response = await mintJarm(issuer, config.jarm, { clientId: p.get('client_id'), code, state: p.get('state') });
        if (p.get('response_mode') === 'fragment.jwt') back.hash = `response=${response}`;
        else back.searchParams.set('response', response);
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      back.searchParams.set('code', code);
      if (p.get('state')) back.searchParams.set('state', p.get('state'));
      if (!config.quirks) back.searchParams.set('iss', issuer);
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === 'POST' && path === '/token') {
      stats.token_requests += 1;
      const form = new URLSearchParams(await readBody(req));
      const cacheHeaders = config.quirks ? {} : { 'cache-control': 'no-store', pragma: 'no-cache' };
      const grantType = form.get('grant_type');
      if (grantType === 'refresh_token') {
        if (!refreshTokens.has(form.get('refresh_token'))) {
          if (config.quirks) {
            res.writeHead(400, { 'content-type': 'text/plain' });
            return res.end('bad refresh token');
          }
          return send(res, 400, { error: 'invalid_grant', error_description: 'unknown refresh token' }, cacheHeaders);
        }
        // Quirky: refresh tokens are never rotated.
        const body = { access_token: b64u(randomBytes(24)), token_type: config.quirks ? 'bearer' : 'Bearer', expires_in: config.quirks ? '3600' : 3600 };
        if (!config.quirks) {
          refreshTokens.delete(form.get('refresh_token'));
          body.refresh_token = b64u(randomBytes(24));
          refreshTokens.add(body.refresh_token);
        }
        return send(res, 200, body, cacheHeaders);
      }
      const entry = codes.get(form.get('code'));
      if (grantType !== 'authorization_code' || !entry) {
        return send(res, 400, { error: 'invalid_grant', error_description: 'unknown or used code' }, cacheHeaders);
      }
      codes.delete(form.get('code'));
      const accessToken = config.access === 'jwt'
        ? await mint(issuer, { kind: 'at', alg: config.alg === 'HS256' ? 'RS256' : config.alg, aud: entry.clientId })
        : b64u(randomBytes(24));
      const idToken = await mint(issuer, { kase: config.kase, alg: config.alg, aud: entry.clientId, nonce: entry.nonce, accessToken, code: form.get('code') });
      const refreshToken = b64u(randomBytes(24));
      refreshTokens.add(refreshToken);
      const body = config.quirks
        ? { access_token: accessToken, token_type: 'bearer', expires_in: '3600', id_token: idToken, refresh_token: refreshToken }
        : { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, id_token: idToken, refresh_token: refreshToken, scope: form.get('scope') ?? 'openid email' };
      return send(res, 200, body, cacheHeaders);
    }
    if (req.method === 'POST' && path === '/__test/config') {
      const c = JSON.parse((await readBody(req)) || '{}');
      if (c.case !== undefined) config.kase = c.case;
      if (c.alg !== undefined) config.alg = c.alg;
      if (c.quirks !== undefined) config.quirks = !!c.quirks;
      if (c.access !== undefined) config.access = c.access;
      if (c.jarm !== undefined) config.jarm = c.jarm;
      return send(res, 200, config);
    }
    if (req.method === 'POST' && path === '/__test/mint') {
      const m = JSON.parse((await readBody(req)) || '{}');
      const token = await mint(issuer, { kase: m.case, alg: m.alg, aud: m.aud, nonce: m.nonce, kind: m.kind, accessToken: m.access_token });
      return send(res, 200, { token });
    }
    if (req.method === 'POST' && path === '/__test/rotate') {
      keys.rsa = keyPair('rsa', { modulusLength: 2048 }, 'rsa-2');
      return send(res, 200, { kid: 'rsa-2' });
    }
    if (req.method === 'GET' && path === '/__test/stats') return send(res, 200, stats);
    if (req.method === 'GET' && path === '/__test/pem') {
      const which = url.searchParams.get('key') ?? 'rsa';
      return send(res, 200, { pem: keys[which].publicKey.export({ type: 'spki', format: 'pem' }) });
    }
    return send(res, 404, { error: 'not_found' });
  } catch (err) {
    console.error(err);
    return send(res, 500, { error: 'server_error', error_description: String(err?.message ?? err) });
  }
});

for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => { server.close(); process.exit(0); });
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`READY http://127.0.0.1:${server.address().port}\n`);
});
