import { useState } from "react";
import { inspectGrant, setAutoRefresh, type GrantView, type LoginRequest, type TokenInfo } from "../api";
import ErrorMessage from "../components/ErrorMessage";
import ExpiryBar from "../components/ExpiryBar";
import JwtView from "../components/JwtView";
import AuthorizationDetailsCompare from "../components/AuthorizationDetailsCompare";
import ScopeCompare from "../components/ScopeCompare";
import StatusBadge from "../components/StatusBadge";
import TokenTruth from "../components/TokenTruth";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { grantLabel } from "../lib/grants";
import { GRANTS } from "../lib/queries";
import { absoluteTime, relativeTime } from "../lib/time";
import { accessInWords, refreshFirstNote, refreshInWords, statesAt } from "../lib/tokenState";
import { useNow } from "../lib/useNow";
import { invalidate, useQuery } from "../lib/useQuery";
import GrantActions from "./GrantActions";

function TokenLine({ name, info, absent = "none" }: { name: string; info: TokenInfo; absent?: string }) {
  return (
    <li data-testid={`token-${name.toLowerCase().replace(/\s+/g, "-")}`} data-present={info.present}>
      <strong>{name}:</strong>{" "}
      {info.present ? (
        <>
          <code className="preview">{info.preview ?? "(present)"}</code>{" "}
          <span className="muted">{info.jwt ? (info.jwt.encrypted ? "JWE" : "JWT") : "opaque"}</span>
        </>
      ) : (
        <span className="muted">{absent}</span>
      )}
    </li>
  );
}

interface Props {
  id: string;
  onClose: () => void;
  /** Runs a login for the grant's client as the Authorize screen does (App shows its progress there). */
  onLogInAgain?: (client: string, request: LoginRequest) => void;
  /** A flow is running: another cannot start. */
  busy?: boolean;
}

/** The login that replaces a grant needing one: same grant type and scopes; `null` when a
 *  browser alone cannot do it (the password grant asks for the password on Authorize). */
export function loginAgainRequest(g: GrantView): LoginRequest | null {
  if (g.grant_type !== "authorization_code" && g.grant_type !== "device_code" && g.grant_type !== "client_credentials") return null;
  return { grant: g.grant_type, scope: g.scopes_requested.trim() === "" ? null : g.scopes_requested, extra_params: [], username: null, password: null };
}

/** A grant that needs a new login (its refresh was refused, or it cannot be renewed): says so and offers the login. */
function LogInAgain({ grant, busy, onLogInAgain }: { grant: GrantView; busy: boolean; onLogInAgain?: (client: string, request: LoginRequest) => void }) {
  const request = loginAgainRequest(grant);
  return (
    <div className="button-row" data-testid="grant-needs-login">
      <p className="warning-text">The refresh token no longer works: a new login is needed.</p>
      {onLogInAgain && (
        <button
          type="button"
          className="btn btn-primary btn-small"
          data-testid="grant-login-again"
          disabled={busy || request === null}
          title={request === null ? "This grant type needs more than a browser: start it from Authorize." : busy ? "A flow is running." : "Runs the login again with the same grant type and scopes"}
          onClick={() => request && onLogInAgain(grant.client, request)}
        >
          Log in again
        </button>
      )}
    </div>
  );
}

/** After an action: this grant, its checks and the lists showing it are out of date. */
const grantsChanged = () => invalidate(GRANTS);

/** One grant inspected: status, tokens, JWT parts, scopes, deviations and actions. */
export default function GrantDetail({ id, onClose, onLogInAgain, busy = false }: Props) {
  const { data: inspection, error: loadError } = useQuery(`${GRANTS}inspect/${id}`, () => inspectGrant(id));
  const [actionError, setError] = useState<ErrorInWords | null>(null);
  const error = actionError ?? loadError;
  const now = useNow();

  if (!inspection) {
    return (
      <section className="grant-detail" data-testid="grant-detail">
        {error ? <ErrorMessage error={error} title="Could not inspect the grant" testId="grant-detail-error" /> : <p className="muted">Loading…</p>}
      </section>
    );
  }
  const g = inspection.grant;
  const tokens = statesAt(inspection.tokens, now);
  const refreshNote = refreshFirstNote(tokens);
  return (
    <section className="grant-detail" data-testid="grant-detail" aria-label={`Grant ${g.id}`}>
      <div className="detail-head">
        <h2>
          {g.client} <span className="muted">· {grantLabel(g.grant_type)}</span>
        </h2>
        <StatusBadge tokens={inspection.tokens} now={now} testId="grant-status-detail" />
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      <GrantActions
        key={g.id}
        inspection={inspection}
        onChanged={grantsChanged}
        onForgotten={() => {
          onClose();
          void grantsChanged();
        }}
      />
      {error && <ErrorMessage error={error} title="Could not reload the grant" />}
      {g.status === "needs_login" && <LogInAgain grant={g} busy={busy} onLogInAgain={onLogInAgain} />}
      {g.status === "revoked" && g.revoked_at !== null && <p className="muted">Revoked {relativeTime(g.revoked_at, now)}.</p>}
      <ExpiryBar since={g.refreshed_at ?? g.issued_at} tokens={inspection.tokens} now={now} />
      <p className="muted" data-testid="grant-state" data-access={tokens.access} data-refresh={tokens.refresh}>
        Access token {accessInWords(tokens, now)} · refresh token {refreshInWords(tokens)}
        {tokens.id_token ? " · ID token" : ""}
        {refreshNote ? ` — ${refreshNote}` : ""}
      </p>
      <label className="inline-check">
        <input
          type="checkbox"
          data-testid="grant-auto-refresh"
          checked={g.auto_refresh}
          disabled={g.status !== "active" || (!g.has_refresh_token && g.grant_type !== "client_credentials")}
          onChange={(e) =>
            void setAutoRefresh(g.id, e.target.checked)
              .then(() => {
                setError(null);
                return grantsChanged();
              })
              .catch((err: unknown) => setError(errorInWords(err)))
          }
        />{" "}
        Refresh before it expires while OAuth Desk runs (a desktop notification says if it fails)
      </label>
      <dl className="facts">
        <dt>Issued</dt>
        <dd title={absoluteTime(g.issued_at)}>{relativeTime(g.issued_at, now)}</dd>
        {g.refreshed_at !== null && (
          <>
            <dt>Refreshed</dt>
            <dd title={absoluteTime(g.refreshed_at)}>
              {relativeTime(g.refreshed_at, now)} ({g.refresh_count} {g.refresh_count === 1 ? "time" : "times"})
            </dd>
          </>
        )}
        {g.last_used_at !== null && (
          <>
            <dt>Last used</dt>
            <dd data-testid="grant-last-used">
              {relativeTime(g.last_used_at, now)}
              {g.last_used_by ? ` by ${g.last_used_by}` : ""}
            </dd>
          </>
        )}
        <dt>Token type</dt>
        <dd>{g.token_type}</dd>
        {g.subject && (
          <>
            <dt>Subject</dt>
            <dd className="selectable">{g.subject}</dd>
          </>
        )}
        <dt>Grant id</dt>
        <dd className="selectable">
          <code>{g.id}</code>
        </dd>
      </dl>

      <section className="panel" aria-label="Tokens">
        <h3>Tokens</h3>
        <ul className="plain-list">
          <TokenLine name="Access token" info={inspection.access_token} absent={inspection.tokens.access === "revoked" ? "revoked" : "none"} />
          <TokenLine name="ID token" info={inspection.id_token} />
          <TokenLine name="Refresh token" info={inspection.refresh_token} />
        </ul>
        <p className="muted">Previews only; the tokens stay in the keychain. Use Copy or Reveal below when you need one.</p>
      </section>

      <TokenTruth grantId={g.id} />

      <section className="panel" aria-label="Scopes">
        <h3>Scopes</h3>
        <ScopeCompare requested={g.scopes_requested} granted={g.scopes_granted} />
      </section>

      {(g.authorization_details_requested !== null || g.authorization_details_granted !== null) && (
        <section className="panel" aria-label="Authorization details">
          <h3>Authorization details (RFC 9396)</h3>
          <AuthorizationDetailsCompare requested={g.authorization_details_requested} granted={g.authorization_details_granted} comparison={inspection.authorization_details} />
        </section>
      )}

      {inspection.access_token.jwt && (
        <section className="panel" aria-label="Access token JWT">
          <h3>Access token (JWT)</h3>
          <JwtView jwt={inspection.access_token.jwt} now={now} name="Access token" />
        </section>
      )}
      {inspection.id_token.jwt && (
        <section className="panel" aria-label="ID token JWT">
          <h3>ID token</h3>
          <JwtView jwt={inspection.id_token.jwt} now={now} name="ID token" />
        </section>
      )}

      <section className="panel" aria-label="Deviations">
        <h3>Deviations from the specs</h3>
        {g.deviations.length === 0 ? (
          <p className="muted">None: the server's answers followed the specs.</p>
        ) : (
          <ul data-testid="deviations">
            {g.deviations.map((d, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a deviation may be recorded twice with the same code; the list never changes order
              <li key={`${d.code}-${i}`}>
                <strong>{d.detail}</strong> <span className="muted">({d.spec}; {d.code})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

    </section>
  );
}
