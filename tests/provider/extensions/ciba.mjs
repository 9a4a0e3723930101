// Test-server extension: CIBA (OpenID Connect Client-Initiated Backchannel Authentication Core
// 1.0), poll and ping modes (issue 15). See extensions/README.md for the hooks.
//
// The "authentication device" is simulated here, by login hint:
//   deny@example.test     denies after ~1 s (the token poll then gets access_denied, CIBA §11)
//   silent@example.test   never answers (to test expiry with a short requested_expiry)
//   anything else         approves after ~1 s for the account named by the hint
//
// Clients: `ciba-poll` (poll mode, client_secret_basic) always; `ciba-ping` (ping mode) only when
// CIBA_PING_ENDPOINT is set: oidc-provider requires an https `backchannel_client_notification_
// endpoint` (consts/client_attributes.js HTTPS_URI), so the test serves it over TLS with a
// certificate of its own CA, which node trusts through NODE_EXTRA_CA_CERTS.
//
// GET /__test/ciba answers {last_auth_req_id}: the tests check it never reaches a transcript.
// CIBA_INTERVAL (default 1): the `interval` added to backchannel authentication responses
// (oidc-provider sends none, so clients would fall back to CIBA §7.3's 5 s); `none` sends none.

const CIBA = 'urn:openid:params:grant-type:ciba';
const DENY = 'deny@example.test';
const SILENT = 'silent@example.test';
const DELAY_MS = 1000;

export const POLL_CLIENT = {
  client_id: 'ciba-poll',
  client_secret: 'ciba-poll-secret',
  token_endpoint_auth_method: 'client_secret_basic',
  redirect_uris: [],
  response_types: [],
  grant_types: [CIBA, 'refresh_token'],
  backchannel_token_delivery_mode: 'poll',
};

function pingClient(endpoint) {
  return {
    client_id: 'ciba-ping',
    client_secret: 'ciba-ping-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: [],
    response_types: [],
    grant_types: [CIBA],
    backchannel_token_delivery_mode: 'ping',
    backchannel_client_notification_endpoint: endpoint,
  };
}

let provider;
// The last request's auth_req_id, for tests that check it never shows (GET /__test/ciba).
let lastAuthReqId;

// Approve or deny a little later, as a phone would; errors are logged, never thrown at the
// request that triggered it (it has already been answered).
function answerLater(request, account, client) {
  lastAuthReqId = request.jti;
  const hint = request.params.login_hint;
  if (hint === SILENT) return;
  setTimeout(async () => {
    try {
      if (hint === DENY) {
        const { errors } = await import('oidc-provider');
        await provider.backchannelResult(request, new errors.AccessDenied('the user denied the request on the authentication device'));
        return;
      }
      const grant = new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
      if (request.scope) grant.addOIDCScope(request.scope);
      await grant.save();
      await provider.backchannelResult(request, grant);
    } catch (err) {
      console.error('ciba test device:', err);
    }
  }, DELAY_MS);
}

export default {
  name: 'ciba',
  clients: [POLL_CLIENT],
  configure(configuration, env) {
    if (env.CIBA_PING_ENDPOINT) configuration.clients.push(pingClient(env.CIBA_PING_ENDPOINT));
    configuration.ttl.BackchannelAuthenticationRequest = (ctx) => {
      const asked = Number(ctx?.oidc?.params?.requested_expiry);
      return Number.isSafeInteger(asked) && asked > 0 ? Math.min(600, asked) : 600;
    };
    configuration.features.ciba = {
      enabled: true,
      deliveryModes: ['poll', 'ping'],
      processLoginHint: async (ctx, loginHint) => loginHint,
      processLoginHintToken: async () => undefined,
      validateRequestContext: async () => {},
      verifyUserCode: async () => {},
      triggerAuthenticationDevice: async (ctx, request, account, client) => {
        answerLater(request, account, client);
      },
    };
  },
  install(p, { env }) {
    provider = p;
    const interval = env.CIBA_INTERVAL ?? '1';
    p.use(async (ctx, next) => {
      if (ctx.path === '/__test/ciba' && ctx.method === 'GET') {
        ctx.type = 'json';
        ctx.body = { last_auth_req_id: lastAuthReqId ?? null };
        return;
      }
      await next();
      if (interval !== 'none' && ctx.method === 'POST' && ctx.path === '/backchannel' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
        ctx.body = { ...ctx.body, interval: Number(interval) };
      }
    });
  },
};
