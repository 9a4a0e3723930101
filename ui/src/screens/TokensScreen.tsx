import { useCallback, useEffect, useMemo, useState } from "react";
import { grantPage, onGrantsChanged, type GrantSummary } from "../api";
import ErrorMessage from "../components/ErrorMessage";
import ExpiryBar from "../components/ExpiryBar";
import StatusBadge from "../components/StatusBadge";
import VirtualList from "../components/VirtualList";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { grantShortLabel } from "../lib/grants";
import { useNow } from "../lib/useNow";
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
        <span className="muted">{grantShortLabel(g.grant_type)}</span>
        <StatusBadge status={g.status} testId="grant-status" />
      </span>
      <span className="grant-row-scopes muted">{(g.scopes_granted ?? g.scopes_requested) || "(no scope)"}</span>
      <ExpiryBar since={g.refreshed_at ?? g.issued_at} expiresAt={g.expires_at} now={now} status={g.status} />
    </button>
  );
}

interface Props {
  selected: string | null;
  onSelect: (id: string | null) => void;
}

export default function TokensScreen({ selected, onSelect }: Props) {
  const [grants, setGrants] = useState<GrantSummary[] | null>(null);
  const [total, setTotal] = useState(0);
  const [clients, setClients] = useState<string[]>([]);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const [client, setClient] = useState("");
  const [generation, setGeneration] = useState(0);
  const [detailVersion, setDetailVersion] = useState(0);
  const now = useNow();

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  // Auto-refresh happens in the app, not here: reload when it changed grants.
  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let live = true;
    onGrantsChanged(() => {
      reload();
      setDetailVersion((v) => v + 1);
    })
      .then((u) => (live ? (unlisten = u) : u()))
      .catch(() => {
        // Outside the desktop shell there are no app events; the list still reloads by hand.
      });
    return () => {
      live = false;
      unlisten?.();
    };
  }, [reload]);

  // The first page paints at once; the rest follows in one request (newest first, filtered by
  // client in the engine). A newer load (reload, another client) discards an older one.
  useEffect(() => {
    let live = true;
    const filter = client === "" ? null : client;
    (async () => {
      const first = await grantPage(filter, 0, FIRST_PAGE);
      if (!live) return;
      setGrants(first.rows);
      setTotal(Number(first.total));
      setClients(first.clients);
      setError(null);
      if (first.total > first.rows.length) {
        const rest = await grantPage(filter, first.rows.length, -1);
        if (!live) return;
        setGrants([...first.rows, ...rest.rows]);
        setTotal(Number(rest.total));
      }
    })().catch((e: unknown) => {
      if (!live) return;
      setError(errorInWords(e));
      setGrants((g) => g ?? []);
    });
    return () => {
      live = false;
    };
  }, [client, generation]);

  const visible = useMemo(() => grants ?? [], [grants]);

  return (
    <div className="split split-tokens">
      <div className="split-list">
        <div className="list-tools">
          <label htmlFor="tokens-client" className="inline-label">
            Client
          </label>
          <select id="tokens-client" data-testid="tokens-client-filter" value={client} onChange={(e) => setClient(e.target.value)}>
            <option value="">All clients</option>
            {clients.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-small" onClick={reload}>
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
      </div>
      <div className="split-detail">
        {selected ? (
          <GrantDetail key={`${selected}-${detailVersion}`} id={selected} onListChanged={reload} onClose={() => onSelect(null)} />
        ) : (
          grants !== null && grants.length > 0 && <p className="muted center">Pick a grant to inspect its tokens, claims and scopes.</p>
        )}
      </div>
    </div>
  );
}
