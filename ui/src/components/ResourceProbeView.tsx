import type { Attempt, ResourceChallenge, ResourceProbe, ServerProbe } from "../api";
import { visible } from "../lib/text";
import FindingsList from "./FindingsList";
import { ExchangeView } from "./TranscriptView";
import "../styles/resource.css";

/** Server-sent text, control characters escaped, on one line. */
const shown = (s: string) => visible(s, false);

function Values({ items, empty = "none" }: { items: string[]; empty?: string }) {
  if (items.length === 0) return <span className="muted">{empty}</span>;
  return (
    <span className="tags">
      {items.map((i) => (
        <code key={i} className="tag">
          {shown(i)}
        </code>
      ))}
    </span>
  );
}

function Tried({ attempts, testId }: { attempts: Attempt[]; testId: string }) {
  if (attempts.length === 0) return null;
  return (
    <ol className="probe-tried" data-testid={testId}>
      {attempts.map((a, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the attempts are in the order tried and never change
        <li key={i} data-outcome={a.outcome === "found" ? "found" : "not-found"}>
          <span className="value">{shown(a.url)}</span> <span className="muted">({a.kind})</span>: {shown(a.outcome)}
        </li>
      ))}
    </ol>
  );
}

function ChallengeView({ c }: { c: ResourceChallenge }) {
  return (
    <li className="probe-challenge" data-testid="probe-challenge" data-scheme={c.scheme}>
      <strong>{shown(c.scheme)}</strong>
      <dl className="facts">
        {c.realm !== null && (
          <>
            <dt>realm</dt>
            <dd>{shown(c.realm)}</dd>
          </>
        )}
        <dt>scope</dt>
        <dd>
          <Values items={c.scope} empty="not named (RFC 6750 §3)" />
        </dd>
        {c.error !== null && (
          <>
            <dt>error</dt>
            <dd>
              <code>{shown(c.error)}</code>
              {c.error_description !== null && <span>: {shown(c.error_description)}</span>}
            </dd>
          </>
        )}
        <dt>resource_metadata</dt>
        <dd className="value">{c.resource_metadata !== null ? shown(c.resource_metadata) : <span className="muted">not named (RFC 9728 §5.1)</span>}</dd>
        {c.algs.length > 0 && (
          <>
            <dt>algs (DPoP)</dt>
            <dd>
              <Values items={c.algs} />
            </dd>
          </>
        )}
        {c.acr_values.length > 0 && (
          <>
            <dt>acr_values</dt>
            <dd>
              <Values items={c.acr_values} />
            </dd>
          </>
        )}
        {c.max_age !== null && (
          <>
            <dt>max_age</dt>
            <dd>{c.max_age} s</dd>
          </>
        )}
      </dl>
      {c.problems.length > 0 && (
        <ul className="warning-text">
          {c.problems.map((p) => (
            <li key={p}>{shown(p)}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

function ServerView({ s }: { s: ServerProbe }) {
  const meta = s.metadata;
  return (
    <li className="panel probe-server" data-testid="probe-server" data-issuer={s.issuer} data-found={meta ? "true" : "false"}>
      <h4 className="value">{shown(s.issuer)}</h4>
      {meta ? (
        <dl className="facts">
          <dt>Metadata</dt>
          <dd className="value">{s.found_at ? shown(s.found_at) : "found"}</dd>
          <dt>PKCE S256</dt>
          <dd data-testid="probe-server-pkce">{s.pkce_s256 ? "advertised" : <span className="warning-text">not advertised (MCP requires S256)</span>}</dd>
          <dt>Registration</dt>
          <dd data-testid="probe-server-registration">
            {s.registration_endpoint ? (
              <>
                dynamic (RFC 7591) at <span className="value">{shown(s.registration_endpoint)}</span>
              </>
            ) : (
              <span className="muted">no dynamic registration</span>
            )}
          </dd>
          <dt>Client ID Metadata Documents</dt>
          <dd data-testid="probe-server-cimd">{s.client_id_metadata_document_supported ? "accepted" : <span className="muted">not advertised</span>}</dd>
          <dt>Issuer in responses</dt>
          <dd>{meta.authorization_response_iss_parameter_supported ? "yes (RFC 9207)" : "not advertised"}</dd>
          {s.acr_values_supported.length > 0 && (
            <>
              <dt>acr_values</dt>
              <dd>
                <Values items={s.acr_values_supported} />
              </dd>
            </>
          )}
        </dl>
      ) : (
        <p className="warning-text" data-testid="probe-server-error">
          Not discovered: {shown(s.error ?? "no metadata")}
        </p>
      )}
      <details>
        <summary>Locations tried ({s.tried.length})</summary>
        <Tried attempts={s.tried} testId="probe-server-tried" />
      </details>
    </li>
  );
}

/** What a protected resource answered without a token, its RFC 9728 metadata, each authorization
 *  server it names, and where they depart from the specs. */
export default function ResourceProbeView({ probe }: { probe: ResourceProbe }) {
  const fetched = probe.metadata;
  return (
    <div className="probe" data-testid="probe-result">
      <section className="panel">
        <h3>The resource</h3>
        <p data-testid="probe-status">
          <code>
            {probe.method} {shown(probe.url)}
          </code>{" "}
          {probe.status !== null ? (
            <>
              answered <strong>HTTP {probe.status}</strong> without a token.
            </>
          ) : (
            <span className="warning-text">could not be reached: {shown(probe.request_error ?? "no answer")}</span>
          )}
        </p>
        {probe.mcp_protocol_version !== null && <p>It answered initialize without a token, speaking MCP {shown(probe.mcp_protocol_version)}.</p>}
        {probe.challenges.length > 0 ? (
          <>
            <h4>WWW-Authenticate challenges</h4>
            <ul className="plain-list" data-testid="probe-challenges">
              {probe.challenges.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: challenges are in the order sent and never change
                <ChallengeView key={i} c={c} />
              ))}
            </ul>
          </>
        ) : (
          probe.status !== null && <p className="muted">No Bearer or DPoP challenge.</p>
        )}
        {probe.other_schemes.length > 0 && (
          <p>
            Other schemes offered: <Values items={probe.other_schemes} />
          </p>
        )}
        {probe.challenge_problems.length > 0 && (
          <ul className="warning-text" data-testid="probe-challenge-problems">
            {probe.challenge_problems.map((p) => (
              <li key={p}>{shown(p)}</li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" data-testid="probe-metadata">
        <h3>Protected resource metadata (RFC 9728)</h3>
        {fetched ? (
          <dl className="facts">
            <dt>Found at</dt>
            <dd className="value">{shown(fetched.url)}</dd>
            <dt>resource</dt>
            <dd data-testid="probe-resource" data-matched={fetched.matched}>
              <span className="value">{shown(fetched.metadata.resource)}</span>
              {fetched.matched === "parent_path" && (
                <span className="warning-text">
                  {" "}
                  — a parent path of the URL, not identical as RFC 9728 §3.3 requires; accepted as draft-mcguinness-oauth-rfc9728bis proposes and the MCP SDKs do
                </span>
              )}
            </dd>
            {fetched.metadata.resource_name !== null && (
              <>
                <dt>Name</dt>
                <dd>{shown(fetched.metadata.resource_name)}</dd>
              </>
            )}
            <dt>Authorization servers</dt>
            <dd>
              <Values items={fetched.metadata.authorization_servers} />
            </dd>
            <dt>Scopes</dt>
            <dd data-testid="probe-scopes">
              <Values items={fetched.metadata.scopes_supported} empty="not listed" />
            </dd>
            <dt>Bearer methods</dt>
            <dd>
              <Values items={fetched.metadata.bearer_methods_supported} empty="not listed (header assumed)" />
            </dd>
            <dt>DPoP-bound tokens</dt>
            <dd>{fetched.metadata.dpop_bound_access_tokens_required ? "required" : "not required"}</dd>
            {fetched.metadata.signed && (
              <>
                <dt>Signed metadata</dt>
                <dd>
                  present{fetched.metadata.signed.iss ? ` (from ${shown(fetched.metadata.signed.iss)})` : ""}, not verified
                  {fetched.metadata.signed.unreadable ? `: ${shown(fetched.metadata.signed.unreadable)}` : ""}
                </dd>
              </>
            )}
          </dl>
        ) : (
          probe.metadata_error !== null && (
            <p className="notice notice-error" role="alert" data-testid="probe-metadata-error">
              {shown(probe.metadata_error)}
            </p>
          )
        )}
        {fetched && fetched.problems.length > 0 && (
          <ul className="warning-text">
            {fetched.problems.map((p) => (
              <li key={p}>{shown(p)}</li>
            ))}
          </ul>
        )}
        <details>
          <summary>Locations tried ({probe.metadata_tried.length})</summary>
          <Tried attempts={probe.metadata_tried} testId="probe-metadata-tried" />
        </details>
      </section>

      {probe.servers.length > 0 && (
        <section>
          <h3>Authorization servers</h3>
          <ul className="plain-list" data-testid="probe-servers">
            {probe.servers.map((s) => (
              <ServerView key={s.issuer} s={s} />
            ))}
          </ul>
        </section>
      )}

      <section className="panel">
        <h3>Findings</h3>
        {probe.findings.length === 0 ? (
          <p className="notice notice-ok" data-testid="probe-clean">
            No departures from the specs found.
          </p>
        ) : (
          <FindingsList findings={probe.findings} testId="probe-findings" />
        )}
      </section>

      {probe.exchanges.length > 0 && (
        <details className="panel">
          <summary>HTTP exchanges ({probe.exchanges.length}, secrets redacted)</summary>
          <ol className="exchanges">
            {probe.exchanges.map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the exchanges of one probe never change
              <ExchangeView key={i} exchange={x} index={i} n={i + 1} />
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
