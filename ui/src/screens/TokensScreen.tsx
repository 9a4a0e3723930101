import { useState } from "react";
import SplitPane from "../components/SplitPane";
import { grantPage, type GrantSummary, type LoginRequest } from "../api";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import ExpiryBar from "../components/ExpiryBar";
import Progress from "../components/Progress";
import StatusBadge from "../components/StatusBadge";
import VirtualList from "../components/VirtualList";
import { grantShortLabel } from "../lib/grants";
import { GRANTS, useGrantsChanged } from "../lib/queries";
import { absoluteTime, relativeTime } from "../lib/time";
import { useNow } from "../lib/useNow";
import { useQuery } from "../lib/useQuery";
import { usePageWindow } from "../lib/windowing";
import GrantDetail from "./GrantDetail";

export const GRANT_ROW_HEIGHT = 76;
/** Rows asked for at once: a tall window shows about 15, and 6 more are rendered on each side;
 *  the rest is room to scroll in. A small first page crosses IPC sooner. */
export const PAGE = 50;
/** The page moves in steps of this many rows, so scrolling asks again only now and then. */
export const PAGE_STEP = 25;

interface RowProps {
  grant: GrantSummary;
  now: number;
  selected: boolean;
  onSelect: (id: string) => void;
}

function GrantRow({ grant: g, now, selected, onSelect }: RowProps) {
  return (
    <button type="button" className="grant-row" data-testid={`grant-row-${g.id}`} aria-current={selected ? "true" : undefined} onClick={() => onSelect(g.id)}>
      <span className="grant-row-top">
        <span className="row-title">{g.client}</span>
        <span className="muted" title={grantShortLabel(g.grant_type)}>
          {grantShortLabel(g.grant_type)}
        </span>
        <StatusBadge tokens={g.tokens} now={now} testId="grant-status" />
      </span>
      <span className="grant-row-scopes muted truncate" title={`${g.subject ? `subject ${g.subject} · ` : ""}issued ${absoluteTime(g.issued_at)}`}>
        {g.subject ? <span data-testid="grant-subject">{g.subject}</span> : null}
        {g.subject ? " · " : ""}
        <span className="tick">issued {relativeTime(g.issued_at, now)}</span>
        {g.last_used_by ? <span data-testid="grant-last-used-by"> · used by {g.last_used_by}</span> : null} · {(g.scopes_granted ?? g.scopes_requested) || "(no scope)"}
      </span>
      <ExpiryBar since={g.refreshed_at ?? g.issued_at} tokens={g.tokens} now={now} />
    </button>
  );
}

interface Props {
  selected: string | null;
  onSelect: (id: string | null) => void;
  /** "Log in again" on a grant that needs it: App runs the login as Authorize does. */
  onLogInAgain?: (client: string, request: LoginRequest) => void;
  busy?: boolean;
}

/** The grants of a client (all clients with the filter empty), newest activity first. Only the
 *  page of rows in view crosses IPC (with the total, which sizes the scroll area, and the client
 *  names for the filter): a store of 100 000 grants costs the page what 100 do. */
export default function TokensScreen({ selected, onSelect, onLogInAgain, busy = false }: Props) {
  const [client, setClient] = useState("");
  // Auto-refresh happens in the app, not here: its grants-changed event reloads the list and detail.
  useGrantsChanged();
  // The page that holds the rows in view; a changed client filter starts again at the top.
  const [win, onRangeChange] = usePageWindow(client, PAGE_STEP, PAGE);
  // Under GRANTS, so grants-changed and grant actions reload the page in view. The last page (and
  // the filter's options) stays while the next one (another client, another scroll position) loads.
  const { data, error, since, reload } = useQuery(
    `${GRANTS}page/${client}/${win.offset}+${win.limit}`,
    async () => ({ client, page: await grantPage(client === "" ? null : client, win.offset, win.limit) }),
    { keepPrevious: true },
  );
  const page = data?.page;
  // A failed first load ends the wait too: the error shows instead of the progress.
  const loaded = page !== undefined || error !== null;
  const total = page ? Number(page.total) : 0;
  const clients = page?.clients ?? [];
  const updating = since !== null && data !== undefined && data.client !== client;
  const now = useNow();

  return (
    <SplitPane
      id="tokens"
      initial={320}
      list={
        <>
          <div className="list-tools">
            <ClientSelect id="tokens-client" testId="tokens-client-filter" label="Client" inline names={clients} value={client} onChange={setClient} noneLabel="All clients" />
            <button type="button" className="btn btn-small" onClick={() => void reload()}>
              Reload
            </button>
          </div>
          {error && <ErrorMessage error={error} title="Could not load the tokens" testId="tokens-error" />}
          {!loaded && <Progress label="Loading…" sinceMs={since ?? Date.now()} testId="tokens-loading" />}
          {loaded && total === 0 && client === "" && (
            <div className="empty-state small" data-testid="tokens-empty">
              <h2>No tokens</h2>
              <p>Tokens you obtain on Authorize appear here with their expiry and granted scopes.</p>
            </div>
          )}
          {loaded && (total > 0 || client !== "") && (
            <>
              <p className="muted count" data-testid="tokens-count">
                {total} {total === 1 ? "grant" : "grants"}
                {updating && since !== null && (
                  <>
                    {" "}
                    <Progress label="Updating…" sinceMs={since} testId="tokens-updating" />
                  </>
                )}
              </p>
              <VirtualList
                key={client}
                items={page?.rows ?? []}
                page={{ offset: page ? Number(page.offset) : 0, total }}
                rowHeight={GRANT_ROW_HEIGHT}
                getKey={(g) => g.id}
                label="Grants"
                testId="grant-list"
                onRangeChange={onRangeChange}
                renderRow={(g) => <GrantRow grant={g} now={now} selected={g.id === selected} onSelect={onSelect} />}
                renderPlaceholder={() => (
                  <div className="grant-row grant-row-loading" data-testid="grant-placeholder">
                    <span className="muted">Loading…</span>
                  </div>
                )}
              />
            </>
          )}
        </>
      }
      detail={
        selected ? (
          <GrantDetail key={selected} id={selected} onClose={() => onSelect(null)} onLogInAgain={onLogInAgain} busy={busy} />
        ) : (
          total > 0 && <p className="muted center">Pick a grant to inspect its tokens, claims and scopes.</p>
        )
      }
    />
  );
}
