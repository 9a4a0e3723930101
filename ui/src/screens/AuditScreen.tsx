import { useMemo, useState } from "react";
import { auditPage, exportAudit, type AuditFilter, type AuditFormat } from "../api";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import Progress from "../components/Progress";
import VirtualList from "../components/VirtualList";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { GRANTS } from "../lib/queries";
import { useNow } from "../lib/useNow";
import { useQuery } from "../lib/useQuery";
import { usePageWindow } from "../lib/windowing";
import AuditRowView, { AUDIT_ROW_HEIGHT, COLUMNS } from "./AuditRow";

/** Rows asked for at once: a tall window shows about 20, and 6 more are rendered on each side;
 *  the rest is room to scroll in. */
export const PAGE = 60;
/** The page moves in steps of this many rows, so scrolling asks again only now and then. */
export const PAGE_STEP = 30;

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
 *  when it was last used. Read from the local store only: no token is read for this screen.
 *  Only the page of rows in view crosses IPC (with the total, which sizes the scroll area): a
 *  store of 100 000 grants costs the page what 100 do. */
export default function AuditScreen({ onOpenGrant }: { onOpenGrant: (id: string) => void }) {
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
  const filterKey = JSON.stringify(filter);
  // The page that holds the rows in view; a changed filter starts again at the top.
  const [win, onRangeChange] = usePageWindow(filterKey, PAGE_STEP, PAGE);
  // The last page stays while the next one (another filter, another scroll position) loads.
  const { data, error: loadError, since } = useQuery(
    `${GRANTS}audit/${filterKey}/${win.offset}+${win.limit}`,
    async () => ({ filter: filterKey, page: await auditPage(filter, win.offset, win.limit) }),
    { keepPrevious: true },
  );
  const page = data?.page;
  const total = page ? Number(page.total) : 0;
  // The clients that have grants come with each page: until the first arrives the filter offers
  // "All clients" only (no client list of 1 000 full client records crosses IPC for its names).
  const clients = page?.clients ?? [];
  const updating = since !== null && data !== undefined && data.filter !== filterKey;
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

  return (
    <div className="audit">
      <div className="audit-filters">
        <div className="filter">
          <ClientSelect id="audit-client" testId="audit-client" label="Client" inline names={clients} value={client} onChange={setClient} noneLabel="All clients" />
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
      {page === undefined && !error && <Progress label="Loading the audit…" sinceMs={since ?? Date.now()} testId="audit-loading" />}
      {page !== undefined && total === 0 && (
        <div className="empty-state small" data-testid="audit-empty">
          <h2>No grants match</h2>
          <p>Grants appear here once a flow on Authorize (or `oauthdesk login`) obtains tokens.</p>
          {updating && since !== null && <Progress label="Updating…" sinceMs={since} />}
        </div>
      )}
      {page !== undefined && total > 0 && (
        <div className="audit-table" data-testid="audit-table">
          <p className="muted count" data-testid="audit-count">
            {total} grant{total === 1 ? "" : "s"} {updating && since !== null && <Progress label="Updating…" sinceMs={since} />}
          </p>
          <div className="audit-grid audit-head" aria-hidden="true">
            {COLUMNS.map((c) => (
              <span key={c} data-cell>
                {c}
              </span>
            ))}
          </div>
          <VirtualList
            key={filterKey}
            items={page.rows}
            page={{ offset: Number(page.offset), total }}
            rowHeight={AUDIT_ROW_HEIGHT}
            getKey={(r) => r.grant_id}
            label="Grants"
            testId="audit-list"
            onRangeChange={onRangeChange}
            renderRow={(r) => <AuditRowView row={r} now={now} onOpenGrant={onOpenGrant} />}
            renderPlaceholder={() => (
              <div className="audit-grid audit-row audit-row-loading">
                <span className="muted">Loading…</span>
              </div>
            )}
          />
        </div>
      )}
    </div>
  );
}
