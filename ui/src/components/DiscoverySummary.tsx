import type { ServerMetadata } from "../api";

function List({ items, empty = "not advertised" }: { items: string[]; empty?: string }) {
  if (items.length === 0) return <span className="muted">{empty}</span>;
  return (
    <span className="tags">
      {items.map((i) => (
        <code key={i} className="tag">
          {i}
        </code>
      ))}
    </span>
  );
}

/** What the issuer's metadata says it supports (RFC 8414 / OIDC Discovery). */
export default function DiscoverySummary({ meta, stale }: { meta: ServerMetadata; stale?: boolean }) {
  const pkce = meta.code_challenge_methods_supported;
  return (
    <section className="panel discovery" data-testid="discovery-summary" aria-label="What the server supports">
      <h3>
        What <span className="selectable">{meta.issuer}</span> supports
        {stale && <span className="muted"> (from the last discovery)</span>}
      </h3>
      <dl className="facts">
        <dt>Grant types</dt>
        <dd data-testid="discovery-grants">
          <List items={meta.grant_types_supported} empty="not advertised (RFC 8414 default: authorization_code, implicit)" />
        </dd>
        <dt>Client auth methods</dt>
        <dd data-testid="discovery-auth-methods">
          <List items={meta.token_endpoint_auth_methods_supported} empty="not advertised (default: client_secret_basic)" />
        </dd>
        <dt>PKCE methods</dt>
        <dd data-testid="discovery-pkce">
          <List items={pkce} empty="not advertised: the server may not support PKCE" />
          {pkce.length > 0 && !pkce.includes("S256") && <span className="warning-text"> S256 is missing (RFC 7636 §4.2 recommends it).</span>}
        </dd>
        <dt>Scopes</dt>
        <dd data-testid="discovery-scopes">
          <List items={meta.scopes_supported} />
        </dd>
        <dt>Response types</dt>
        <dd>
          <List items={meta.response_types_supported} />
        </dd>
        <dt>Issuer in responses</dt>
        <dd>{meta.authorization_response_iss_parameter_supported ? "yes, checked on callback (RFC 9207)" : "no"}</dd>
        {meta.require_pushed_authorization_requests && (
          <>
            <dt>PAR</dt>
            <dd>required (RFC 9126)</dd>
          </>
        )}
      </dl>
    </section>
  );
}
