// Test-server extension: rich authorization requests (RFC 9396), issue 15. See README.md.
//
// Two types, each validated (malformed details are refused with invalid_authorization_details):
//   payment_initiation   instructedAmount {currency: 3 letters, amount: decimal string}, creditorName
//   account_information  actions ⊆ list_accounts, read_balances, read_transactions
// The server's policy NARROWS two things, so requested and granted differ in tests:
//   - account_information never gets `read_transactions` (the action is dropped);
//   - payment_initiation loses `remittanceInformationUnstructured` (the field is dropped).
// Granted details go into the authorization code, the access token (token response, JWT access
// token claim, introspection) and the refresh token. Requests that carry `authorization_details`
// without a `resource` get `urn:oauthdesk:opaque-api`: oidc-provider wants a resource server for
// RAR at every endpoint (RFC 9396 does not), and an opaque token can be introspected.

const ACCOUNT_ACTIONS = ['list_accounts', 'read_balances', 'read_transactions'];
const NARROWED_ACTION = 'read_transactions';
const NARROWED_FIELD = 'remittanceInformationUnstructured';
const RAR_DEFAULT_RESOURCE = 'urn:oauthdesk:opaque-api';

// Loaded when first needed: server.mjs imports oidc-provider only after it redirects console.
async function invalid(message) {
  const { errors } = await import('oidc-provider');
  return new errors.InvalidAuthorizationDetails(message);
}

const types = {
  payment_initiation: {
    async validate(ctx, detail) {
      const amount = detail.instructedAmount;
      if (typeof amount !== 'object' || amount === null || Array.isArray(amount)) {
        throw await invalid("payment_initiation needs an 'instructedAmount' object");
      }
      if (typeof amount.currency !== 'string' || !/^[A-Z]{3}$/.test(amount.currency)) {
        throw await invalid("instructedAmount.currency must be a 3-letter ISO 4217 code");
      }
      if (typeof amount.amount !== 'string' || !/^\d+(\.\d{1,2})?$/.test(amount.amount)) {
        throw await invalid('instructedAmount.amount must be a decimal string such as "12.50"');
      }
      if (typeof detail.creditorName !== 'string' || !detail.creditorName) {
        throw await invalid("payment_initiation needs a 'creditorName'");
      }
    },
  },
  account_information: {
    async validate(ctx, detail) {
      if (!Array.isArray(detail.actions) || !detail.actions.length) {
        throw await invalid("account_information needs 'actions'");
      }
      for (const a of detail.actions) {
        if (!ACCOUNT_ACTIONS.includes(a)) throw await invalid(`unknown account_information action '${a}'`);
      }
    },
  },
};

// The server's policy: what of a requested detail it grants.
function narrow(detail) {
  const out = structuredClone(detail);
  if (out.type === 'account_information' && Array.isArray(out.actions)) {
    out.actions = out.actions.filter((a) => a !== NARROWED_ACTION);
  }
  if (out.type === 'payment_initiation') delete out[NARROWED_FIELD];
  return out;
}

function parseParam(ctx) {
  const raw = ctx.oidc?.params?.authorization_details;
  if (raw === undefined) return undefined;
  try {
    const parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

// A token request may ask for a subset of what was granted (RFC 9396 §6.1): keep the granted
// entries whose type is asked for.
function subset(granted, asked) {
  if (!asked) return granted;
  const wanted = new Set(asked.map((d) => d.type));
  return granted.filter((d) => wanted.has(d.type));
}

export default {
  name: 'rar',
  clients: [
    {
      // A confidential client for client_credentials with authorization_details.
      client_id: 'rar-service',
      client_secret: 'rar-service-secret',
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [],
      grant_types: ['client_credentials'],
      response_types: [],
    },
  ],
  configure(configuration) {
    // oidc-provider allows a client only the types in its `authorization_details_types`
    // (default none): every static client may use both.
    for (const client of configuration.clients) {
      client.authorization_details_types ??= Object.keys(types);
    }
    const resourceIndicators = configuration.features.resourceIndicators;
    const defaultResource = resourceIndicators.defaultResource;
    resourceIndicators.defaultResource = async (ctx, client, oneOf) => {
      const found = await defaultResource(ctx, client, oneOf);
      if (found === undefined && ctx.oidc?.params?.authorization_details !== undefined) {
        return RAR_DEFAULT_RESOURCE;
      }
      return found;
    };
    configuration.features.richAuthorizationRequests = {
      enabled: true,
      types,
      // The authorization code (and device code) gets what the user consented to, narrowed.
      async authorizationDetailsForGrantSource(ctx, source) {
        const asked = parseParam(ctx) ?? ctx.oidc.grant?.rar ?? [];
        return asked.map(narrow);
      },
      async authorizationDetailsForAccessToken(ctx, token, source, grantType) {
        const asked = ctx.oidc.route === 'token' ? parseParam(ctx) : undefined;
        if (source?.rar) return subset(source.rar, asked);
        return (asked ?? []).map(narrow);
      },
      async authorizationDetailsForIntrospection(ctx, token) {
        return token.rar;
      },
    };
  },
};
