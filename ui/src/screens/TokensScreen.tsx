import { useState } from "react";
import SplitPane from "../components/SplitPane";
import { grantPage, type GrantPage, type GrantSummary, type LoginRequest } from "../api";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import ExpiryBar from "../components/ExpiryBar";
import StatusBadge from "../components/StatusBadge";
import VirtualList from "../components/VirtualList";
import { grantShortLabel } from "../lib/grants";
import { GRANTS, useGrantsChanged } from "../lib/queries";
import { absoluteTime, relativeTime } from "../lib/time";
import { useNow } from "../lib/useNow";
import { useQuery, type Fetcher } from "../lib/useQuery";
import GrantDetail from "./GrantDetail";

export const GRANT_ROW_HEIGHT = 76;
/** The first page: more than a tall window shows, small enough to cross IPC in a blink. */
export const FIRST_PAGE = 50;

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

/** The grants of `client` (all when null), newest first: the first page paints at once, the rest
 *  follows in one request (filtered by client in the engine). */
function pages(client: string | null): Fetcher<GrantPage> {
  return async (partial) => {
    const first = await grantPage(client, 0, FIRST_PAGE);
    if (first.total <= first.rows.length) return first;
    partial(first);
    const rest = await grantPage(client, first.rows.length, -1);
    return { ...rest, clients: first.clients, offset: 0, rows: [...first.rows, ...rest.rows] };
  };
}

export default function TokensScreen({ selected, onSelect, onLogInAgain, busy = false }: Props) {
  const [client, setClient] = useState("");
  // Auto-refresh happens in the app, not here: its grants-changed event reloads the list and detail.
  useGrantsChanged();
  // While another client's grants load, the previous list (and the filter's options) stay.
  const { data: page, error, reload } = useQuery(`${GRANTS}page/${client}`, pages(client === "" ? null : client), { keepPrevious: true });
  const grants = page?.rows ?? (error ? [] : null);
  const total = page ? Number(page.total) : 0;
  const clients = page?.clients ?? [];
  const now = useNow();
  const visible = grants ?? [];

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
          {grants === null && <p className="muted">Loading…</p>}
          {grants !== null && grants.length === 0 && client === "" && (
            <div className="empty-state small" data-testid="tokens-empty">
              <h2>No tokens</h2>
              <p>Tokens you obtain on Authorize appear here with their expiry and granted scopes.</p>
            </div>
          )}
          {grants !== null && (grants.length > 0 || client !== "") && (
            <>
              <p className="muted count" data-testid="tokens-count">
                {total} {total === 1 ? "grant" : "grants"}
                {visible.length < total && <span> (loading {total - visible.length} more…)</span>}
              </p>
              <VirtualList
                items={visible}
                rowHeight={GRANT_ROW_HEIGHT}
                getKey={(g) => g.id}
                label="Grants"
                testId="grant-list"
                renderRow={(g) => <GrantRow grant={g} now={now} selected={g.id === selected} onSelect={onSelect} />}
              />
            </>
          )}
        </>
      }
      detail={
        selected ? (
          <GrantDetail key={selected} id={selected} onClose={() => onSelect(null)} onLogInAgain={onLogInAgain} busy={busy} />
        ) : (
          grants !== null && grants.length > 0 && <p className="muted center">Pick a grant to inspect its tokens, claims and scopes.</p>
        )
      }
    />
  );
}
