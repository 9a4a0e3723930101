import { useMemo, useState } from "react";
import { audit, exportAudit, type AuditFilter, type AuditFormat, type AuditRow } from "../api";
import { DetailTypesCell } from "../components/AuthorizationDetailsCompare";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import StatusBadge from "../components/StatusBadge";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { grantShortLabel } from "../lib/grants";
import { statesAt } from "../lib/tokenState";
import { GRANTS, useClients } from "../lib/queries";
import { absoluteTime, relativeTime } from "../lib/time";
import { useNow } from "../lib/useNow";
import { useQuery } from "../lib/useQuery";

const EXPIRING: readonly { label: string; secs: number | null }[] = [
  { label: "Any time", secs: null },
  { label: "Expired or within 5 min", secs: 300 },
  { label: "Within 1 hour", secs: 3600 },
  { label: "Within 1 day", secs: 86_400 },
  { label: "Within 7 days", secs: 7 * 86_400 },
];

const FORMATS: readonly { id: AuditFormat; label: string }[] = [
  { id: "markdown", label: "Markdown" },
  { id: "csv", label: "CSV" },
  { id: "json", label: "JSON" },
];

/** Every grant of every client: what it was granted, when it expires, whether it can be refreshed,
 *  when it was last used. Read from the local store only: no token is read for this screen. */
export default function AuditScreen({ onOpenGrant }: { onOpenGrant: (id: string) => void }) {
  // Without the client list the filter offers "All clients" only; the audit itself still loads.
  const clients = useClients().data ?? [];
  const [client, setClient] = useState("");
  const [scope, setScope] = useState("");
  const [expiring, setExpiring] = useState<number | null>(null);
  const [overPrivileged, setOverPrivileged] = useState(false);
  const [hideRevoked, setHideRevoked] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const now = useNow();

  const filter: AuditFilter = useMemo(
    () => ({ client: client || null, scope: scope.trim() || null, expiring_within_secs: expiring, over_privileged: overPrivileged, hide_revoked: hideRevoked }),
    [client, scope, expiring, overPrivileged, hideRevoked],
  );
  // The rows of the last filter stay while a changed one loads.
  const { data, error: loadError } = useQuery(`${GRANTS}audit/${JSON.stringify(filter)}`, () => audit(filter), { keepPrevious: true });
  const rows = data ?? null;
  // An export's failure shows until the next export or filter change (which loads the audit again).
  const [exportError, setError] = useState<{ error: ErrorInWords; filter: AuditFilter } | null>(null);
  const error = (exportError?.filter === filter ? exportError.error : null) ?? loadError;

  async function doExport(format: AuditFormat) {
    try {
      setExported(await exportAudit(filter, format));
      setError(null);
    } catch (e) {
      setError({ error: errorInWords(e), filter });
    }
  }

  const scopes = (r: AuditRow) => (
    <>
      {r.scopes_granted.map((s) => (
        <code key={s} className={`scope-code${r.not_requested.includes(s) ? " scope-extra" : ""}`} title={r.not_requested.includes(s) ? "granted but not requested" : undefined}>
          {s}
        </code>
      ))}
      {r.scope_omitted && <span className="muted"> (as requested)</span>}
      {r.not_granted.length > 0 && <span className="tag tag-warn">not granted: {r.not_granted.join(" ")}</span>}
      {r.over_privileged && <span className="tag tag-error">over-privileged</span>}
      <DetailTypesCell types={r.authorization_details_types} comparison={r.authorization_details} />
    </>
  );

  return (
    <div className="audit">
      <div className="audit-filters">
        <div className="filter">
          <ClientSelect id="audit-client" testId="audit-client" label="Client" inline names={clients.map((c) => c.name)} value={client} onChange={setClient} noneLabel="All clients" />
        </div>
        <div className="filter">
          <label htmlFor="audit-scope" className="inline-label">
            Scope
          </label>
          <input id="audit-scope" data-testid="audit-scope" data-shortcut="search" value={scope} placeholder="e.g. email" onChange={(e) => setScope(e.target.value)} />
        </div>
        <div className="filter">
          <label htmlFor="audit-expiring" className="inline-label">
            Expiring
          </label>
          <select id="audit-expiring" data-testid="audit-expiring" value={expiring ?? ""} onChange={(e) => setExpiring(e.target.value === "" ? null : Number(e.target.value))}>
            {EXPIRING.map((x) => (
              <option key={x.label} value={x.secs ?? ""}>
                {x.label}
              </option>
            ))}
          </select>
        </div>
        <label className="filter">
          <input type="checkbox" data-testid="audit-over-privileged" checked={overPrivileged} onChange={(e) => setOverPrivileged(e.target.checked)} /> Over-privileged only
        </label>
        <label className="filter">
          <input type="checkbox" data-testid="audit-hide-revoked" checked={hideRevoked} onChange={(e) => setHideRevoked(e.target.checked)} /> Hide revoked
        </label>
      </div>
      <div className="button-row">
        <span className="muted">Export (no token or secret is included):</span>
        {FORMATS.map((f) => (
          <button key={f.id} type="button" className="btn btn-small" data-testid={`audit-export-${f.id}`} onClick={() => void doExport(f.id)}>
            {f.label}
          </button>
        ))}
      </div>
      {exported && (
        <p className="notice notice-ok" data-testid="audit-exported">
          Saved to <code className="selectable">{exported}</code>
        </p>
      )}
      {error && <ErrorMessage error={error} title="Could not load the audit" testId="audit-error" />}
      {rows === null && !error && <p className="muted">Loading…</p>}
      {rows !== null && rows.length === 0 && (
        <div className="empty-state small" data-testid="audit-empty">
          <h2>No grants match</h2>
          <p>Grants appear here once a flow on Authorize (or `oauthdesk login`) obtains tokens.</p>
        </div>
      )}
      {rows !== null && rows.length > 0 && (
        <table className="table audit-table" data-testid="audit-table">
          <caption className="muted">
            {rows.length} grant{rows.length === 1 ? "" : "s"}
          </caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Grant</th>
              <th scope="col">Status</th>
              <th scope="col">Granted scopes</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.grant_id} data-testid="audit-row" data-grant={r.grant_id} data-over-privileged={r.over_privileged}>
                <td>{r.client}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => onOpenGrant(r.grant_id)}>
                    {grantShortLabel(r.grant_type)} <span className="muted">{r.grant_id.slice(0, 8)}</span>
                  </button>
                </td>
                <td>
                  <StatusBadge tokens={r.tokens} now={now} testId="audit-status" />
                  {r.has_refresh_token && !r.revoked && <span className="muted audit-refresh"> + refresh token</span>}
                </td>
                <td>{scopes(r)}</td>
                <td data-testid="audit-expires" title={r.expires_at === null ? undefined : absoluteTime(r.expires_at)}>
                  {statesAt(r.tokens, now).access === "revoked" ? (
                    <span className="muted">access token revoked</span>
                  ) : r.expires_at === null ? (
                    <span className="muted">no expiry given</span>
                  ) : (
                    <span className="tick">{relativeTime(r.expires_at, now)}</span>
                  )}
                </td>
                <td data-testid="audit-last-used">
                  {r.last_used_at === null ? <span className="muted">never</span> : relativeTime(r.last_used_at, now)}
                  {r.last_used_by ? <span className="muted"> by {r.last_used_by}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
