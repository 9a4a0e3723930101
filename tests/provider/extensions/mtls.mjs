// Test-server extension: mutual TLS (RFC 8705; issue 15). See extensions/README.md for the hooks.
//
// Off unless the harness passes MTLS_KEY and MTLS_CERT (the TLS listener's key and certificate,
// PEM paths) and MTLS_CA (the test CA that issues client certificates). Then:
// - an https listener on 127.0.0.1 (random port) serves the same provider, asking every client
//   for a certificate (`requestCert`) without refusing any (`rejectUnauthorized: false`: the
//   provider decides, so a self-signed certificate reaches `self_signed_tls_client_auth`);
// - discovery names it in `mtls_endpoint_aliases` (RFC 8705 §5) for the token, revocation,
//   introspection, userinfo, PAR and device authorization endpoints;
// - `features.mTLS` is on with certificate-bound tokens and both client authentications;
// - static clients: `mtls-pki` (tls_client_auth, subject DN from MTLS_SUBJECT_DN), and when
//   MTLS_SELF_SIGNED_CERT (a PEM path) is given `mtls-self-signed` (its JWKS carries that
//   certificate in `x5c`), and `mtls-bound-public` (public, certificate-bound tokens).
// Plain-HTTP requests keep working: only clients registered for certificate-bound tokens need
// a certificate, and only on the TLS listener can they present one.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const env = process.env;
const enabled = Boolean(env.MTLS_KEY && env.MTLS_CERT && env.MTLS_CA);
const native = {
  application_type: 'native',
  redirect_uris: ['http://127.0.0.1/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  tls_client_certificate_bound_access_tokens: true,
};

function selfSignedClient() {
  if (!env.MTLS_SELF_SIGNED_CERT) return [];
  const cert = new X509Certificate(readFileSync(env.MTLS_SELF_SIGNED_CERT));
  const jwk = { ...cert.publicKey.export({ format: 'jwk' }), x5c: [cert.raw.toString('base64')], use: 'sig' };
  return [{ ...native, client_id: 'mtls-self-signed', token_endpoint_auth_method: 'self_signed_tls_client_auth', jwks: { keys: [jwk] } }];
}

const clients = enabled
  ? [
      { ...native, client_id: 'mtls-pki', grant_types: [...native.grant_types, 'urn:ietf:params:oauth:grant-type:device_code'], token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: env.MTLS_SUBJECT_DN ?? 'CN=mtls-pki' },
      ...selfSignedClient(),
      { ...native, client_id: 'mtls-bound-public', token_endpoint_auth_method: 'none' },
    ]
  : [];

/// The peer's certificate on this request's TLS socket, or undefined (plain http, none sent).
function peerCertificate(ctx) {
  const socket = ctx.req.socket;
  if (typeof socket?.getPeerCertificate !== 'function') return undefined;
  const peer = socket.getPeerCertificate(false);
  if (!peer?.raw) return undefined;
  return new X509Certificate(peer.raw);
}

/// `CN=a\nO=b` (node) and `CN=a, O=b` / `CN=a,O=b` (RFC 4514 text) compared as one form.
function sameDn(a, b) {
  const norm = (s) => String(s).split(/\n|,\s*/).map((p) => p.trim()).filter(Boolean).join(',');
  return norm(a) === norm(b);
}

const state = { handle: undefined, server: undefined };

export default {
  name: 'mtls',
  clients,
  configure(configuration) {
    if (!enabled) return;
    const methods = configuration.clientAuthMethods
      ?? ['client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none'];
    configuration.clientAuthMethods = [...new Set([...methods, 'tls_client_auth', 'self_signed_tls_client_auth'])];
    configuration.features.mTLS = {
      enabled: true,
      certificateBoundAccessTokens: true,
      tlsClientAuth: true,
      selfSignedTlsClientAuth: true,
      getCertificate: peerCertificate,
      // Verified by node against MTLS_CA (`ca`), though not refused at the handshake.
      certificateAuthorized: (ctx) => ctx.req.socket?.authorized === true,
      certificateSubjectMatches: (ctx, property, expected) => {
        const cert = peerCertificate(ctx);
        return property === 'tls_client_auth_subject_dn' && cert !== undefined && sameDn(cert.subject, expected);
      },
    };
  },
  async prepare({ issuer, configuration }) {
    if (!enabled) return;
    const server = createServer({
      key: readFileSync(env.MTLS_KEY),
      cert: readFileSync(env.MTLS_CERT),
      ca: readFileSync(env.MTLS_CA),
      requestCert: true,
      rejectUnauthorized: false,
    });
    const path = new URL(issuer).pathname.replace(/\/+$/, '');
    server.on('request', (req, res) => {
      const handle = state.handle?.();
      if (!handle) {
        res.writeHead(503).end();
        return;
      }
      const url = req.url ?? '/';
      if (path && !(url === path || url.startsWith(`${path}/`) || url.startsWith(`${path}?`))) {
        res.writeHead(404).end();
        return;
      }
      req.originalUrl = url;
      req.url = url.slice(path.length) || '/';
      handle(req, res);
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    state.server = server;
    const base = `https://127.0.0.1:${server.address().port}${path}`;
    configuration.discovery = {
      ...(configuration.discovery ?? {}),
      mtls_endpoint_aliases: {
        token_endpoint: `${base}/token`,
        revocation_endpoint: `${base}/token/revocation`,
        introspection_endpoint: `${base}/token/introspection`,
        userinfo_endpoint: `${base}/me`,
        pushed_authorization_request_endpoint: `${base}/request`,
        device_authorization_endpoint: `${base}/device/auth`,
      },
    };
  },
  install(provider, { handle }) {
    if (!enabled) return;
    state.handle = handle;
  },
};
