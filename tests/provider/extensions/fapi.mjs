// Test-server extension: the FAPI 2.0 Security Profile (issue 15). See extensions/README.md for
// the hooks. Off unless FAPI=2.0; then, before the Provider is made (this `configure` runs last):
//
//   features.fapi profile '2.0'   oidc-provider then requires PKCE and redirect_uri in pushed
//                                 requests, and `aud` = issuer in client assertions
//   PAR required                  require_pushed_authorization_requests (§5.3.2.2 (3))
//   client auth                   private_key_jwt only, plus tls_client_auth /
//                                 self_signed_tls_client_auth when the mtls extension turned them on
//   sender-constrained tokens     DPoP on (nonces as ever) and every client DPoP-bound by default
//                                 (dpop_bound_access_tokens: a token request without a proof fails)
//   algorithms                    PS256 / ES256 / EdDSA only, with a PS256 RSA and an ES256 key
//   response types                `code` only; no password grant (server.mjs registers one: the
//                                 `install` hook below drops that registration)
//   lifetimes                     codes 60 s; pushed request_uri 60 s (oidc-provider's fixed
//                                 MAX_TTL); refresh tokens not rotated (§5.3.2.1 (9))
//   clients                       the static list is emptied (the other clients use secrets,
//                                 `none` or implicit, which FAPI rules out): register a client
//                                 dynamically with its public JWK (private_key_jwt)
//
// The issuer stays http://127.0.0.1: a test server has no public TLS issuer, and the FAPI verdict
// says so (§5.2.1).

import { generateKeyPairSync } from 'node:crypto';

const ALGS = ['PS256', 'ES256', 'EdDSA'];

function signingKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return [
    { ...ec.export({ format: 'jwk' }), kid: 'fapi-es256', alg: 'ES256', use: 'sig' },
    { ...rsa.export({ format: 'jwk' }), kid: 'fapi-ps256', alg: 'PS256', use: 'sig' },
  ];
}

function fapiOn(env) {
  return env.FAPI === '2.0';
}

export default {
  name: 'fapi',
  clients: [],
  configure(configuration, env) {
    if (!fapiOn(env)) return;
    const { features } = configuration;
    features.fapi = { enabled: true, profile: '2.0' };
    features.pushedAuthorizationRequests = {
      ...features.pushedAuthorizationRequests,
      enabled: true,
      requirePushedAuthorizationRequests: true,
    };
    features.dPoP = { ...features.dPoP, enabled: true };
    const mtls = features.mTLS?.enabled ? features.mTLS : undefined;
    configuration.clientAuthMethods = [
      'private_key_jwt',
      ...(mtls?.tlsClientAuth ? ['tls_client_auth'] : []),
      ...(mtls?.selfSignedTlsClientAuth ? ['self_signed_tls_client_auth'] : []),
    ];
    configuration.enabledJWA = {
      ...configuration.enabledJWA,
      clientAuthSigningAlgValues: ALGS,
      idTokenSigningAlgValues: ['ES256', 'PS256'],
      requestObjectSigningAlgValues: ALGS,
      userinfoSigningAlgValues: ['ES256', 'PS256'],
      introspectionSigningAlgValues: ['ES256', 'PS256'],
      authorizationSigningAlgValues: ['ES256', 'PS256'],
      dPoPSigningAlgValues: ALGS,
    };
    configuration.jwks = { keys: signingKeys() };
    configuration.clientDefaults = {
      ...configuration.clientDefaults,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      id_token_signed_response_alg: 'ES256',
      dpop_bound_access_tokens: true,
    };
    // JARM (the jar_jarm extension) defaults its response signing to RS256.
    if (features.jwtResponseModes?.enabled) {
      configuration.clientDefaults.authorization_signed_response_alg = 'ES256';
    }
    configuration.responseTypes = ['code'];
    configuration.pkce = { ...configuration.pkce, required: () => true };
    configuration.rotateRefreshToken = () => false;
    configuration.ttl = { ...configuration.ttl, AuthorizationCode: 60 };
    // JWT access tokens of the test resources are signed RS256 in server.mjs: PS256 here.
    const indicators = features.resourceIndicators;
    if (indicators?.getResourceServerInfo) {
      const info = indicators.getResourceServerInfo;
      indicators.getResourceServerInfo = async (...args) => {
        const found = await info(...args);
        if (found?.jwt?.sign?.alg === 'RS256') {
          return { ...found, jwt: { ...found.jwt, sign: { ...found.jwt.sign, alg: 'PS256' } } };
        }
        return found;
      };
    }
    configuration.clients.length = 0;
  },
  install(provider, { env }) {
    if (!fapiOn(env)) return;
    const register = provider.registerGrantType.bind(provider);
    provider.registerGrantType = (type, ...rest) => {
      if (type === 'password') return undefined;
      return register(type, ...rest);
    };
  },
};
