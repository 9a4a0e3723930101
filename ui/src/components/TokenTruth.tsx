import { inspectTokens, type Inspection } from "../api";
import { GRANTS } from "../lib/queries";
import { useQuery } from "../lib/useQuery";
import ChecksList from "./ChecksList";
import ErrorMessage from "./ErrorMessage";
import Progress from "./Progress";

const TITLES: Record<string, string> = { id_token: "ID token", access_token: "Access token", refresh_token: "Refresh token" };

function ScopeSources({ inspection }: { inspection: Inspection }) {
  const s = inspection.scopes;
  const row = (label: string, list: string[] | null, testId: string, fallback: string) => (
    <tr data-testid={testId}>
      <th scope="row">{label}</th>
      <td>{list === null ? <span className="muted">{fallback}</span> : list.length === 0 ? <span className="muted">(none)</span> : list.map((x) => <code key={x} className="scope-code">{x}</code>)}</td>
    </tr>
  );
  return (
    <div data-testid="scope-sources">
      <table className="table">
        <tbody>
          {row("Requested", s.requested, "scope-src-requested", "")}
          {row("Token response", s.response, "scope-src-response", "omitted — same as requested (RFC 6749 §5.1)")}
          {row("Access token claim", s.access_token_claim, "scope-src-claim", "not a JWT or no scope claim")}
          {row("Introspection", s.introspection, "scope-src-introspection", "not asked")}
        </tbody>
      </table>
      <p className="muted">{s.note}</p>
      {s.not_granted.length > 0 && (
        <p className="warning-text" data-testid="scope-not-granted">
          Not granted: {s.not_granted.join(", ")}
        </p>
      )}
      {s.not_requested.length > 0 && (
        <p className="warning-text" data-testid="scope-not-requested">
          Granted but not requested: {s.not_requested.join(", ")}
        </p>
      )}
    </div>
  );
}

/** The inspector: every check on every token of a grant, and where its scopes came from. */
export default function TokenTruth({ grantId }: { grantId: string }) {
  // Checked on open and whenever the grant changes; introspection only when asked for.
  const { data: inspection, error, since: busy, reload } = useQuery(`${GRANTS}truth/${grantId}`, () => inspectTokens(grantId, false));
  const run = (introspect: boolean) => void reload(introspect ? () => inspectTokens(grantId, true) : undefined);

  return (
    <section className="panel" aria-label="Token checks" data-testid="token-truth">
      <h3>Verification</h3>
      {busy !== null && <Progress label="Checking signatures against the issuer's keys…" sinceMs={busy} />}
      {error && <ErrorMessage error={error} title="Could not verify the tokens" testId="token-truth-error" />}
      {inspection && (
        <>
          <p data-testid="token-truth-summary" data-failed={inspection.failed} className={inspection.failed === 0 ? "ok-text" : "warning-text"}>
            {inspection.failed === 0 ? "Every applicable check passed" : `${inspection.failed} check${inspection.failed === 1 ? "" : "s"} failed`}
            {inspection.issuer ? ` (issuer ${inspection.issuer})` : ""}.
          </p>
          {inspection.tokens
            .filter((t) => t.format !== "absent" && t.checks.length > 0)
            .map((t) => (
              <div key={t.token} className="token-checks">
                <h4>
                  {TITLES[t.token] ?? t.token} <span className="muted">— {t.checked_as ?? t.format}</span>
                </h4>
                <ChecksList checks={t.checks} testId={`checks-${t.token.replace("_", "-")}`} />
              </div>
            ))}
          <h4>Scopes by source</h4>
          <ScopeSources inspection={inspection} />
        </>
      )}
      <div className="button-row">
        <button type="button" className="btn btn-small" data-testid="verify-again" disabled={busy !== null} onClick={() => run(false)}>
          Verify again
        </button>
        <button type="button" className="btn btn-small" data-testid="verify-introspect" disabled={busy !== null} onClick={() => run(true)}>
          Verify with introspection
        </button>
      </div>
    </section>
  );
}
