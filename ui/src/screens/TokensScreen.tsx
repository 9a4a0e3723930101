import { useCallback, useEffect, useMemo, useState } from "react";
import { listGrants, type GrantSummary } from "../api";
import ErrorMessage from "../components/ErrorMessage";
import ExpiryBar from "../components/ExpiryBar";
import StatusBadge from "../components/StatusBadge";
import VirtualList from "../components/VirtualList";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { grantShortLabel } from "../lib/grants";
import { useNow } from "../lib/useNow";
import GrantDetail from "./GrantDetail";

export const GRANT_ROW_HEIGHT = 76;

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
  const [error, setError] = useState<ErrorInWords | null>(null);
  const [client, setClient] = useState("");
  const now = useNow();

  const reload = useCallback(() => {
    listGrants()
      .then((list) => {
        setGrants(list);
        setError(null);
      })
      .catch((e: unknown) => {
        setError(errorInWords(e));
        setGrants((g) => g ?? []);
      });
  }, []);

  useEffect(() => reload(), [reload]);

  const clients = useMemo(() => [...new Set((grants ?? []).map((g) => g.client))].sort(), [grants]);
  const visible = useMemo(() => {
    const list = client === "" ? (grants ?? []) : (grants ?? []).filter((g) => g.client === client);
    return [...list].sort((a, b) => (b.refreshed_at ?? b.issued_at) - (a.refreshed_at ?? a.issued_at));
  }, [grants, client]);

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
        {grants !== null && grants.length === 0 && (
          <div className="empty-state small">
            <h2>No tokens</h2>
            <p>Tokens you obtain on Authorize appear here with their expiry and granted scopes.</p>
          </div>
        )}
        {grants !== null && grants.length > 0 && (
          <>
            <p className="muted count" data-testid="tokens-count">
              {visible.length} {visible.length === 1 ? "grant" : "grants"}
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
          <GrantDetail key={selected} id={selected} onListChanged={reload} onClose={() => onSelect(null)} />
        ) : (
          grants !== null && grants.length > 0 && <p className="muted center">Pick a grant to inspect its tokens, claims and scopes.</p>
        )}
      </div>
    </div>
  );
}
