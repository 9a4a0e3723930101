import { useEffect, useRef, useState } from "react";
import {
  copyToken, forgetGrant, introspectGrant, logoutGrant, refreshGrant, revealToken, revokeGrant, userinfoGrant,
  type GrantInspection, type JsonValue, type TokenKind,
} from "../api";
import ConfirmDialog from "../components/ConfirmDialog";
import ExchangeDialog from "../components/ExchangeDialog";
import ErrorMessage from "../components/ErrorMessage";
import Progress from "../components/Progress";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { prettyJson } from "../lib/json";
import { reveal as scrollIntoView } from "../lib/scroll";
import { expiryInWords, nowSecs } from "../lib/time";

const KIND_LABELS: Record<TokenKind, string> = { access: "access token", refresh: "refresh token", id: "ID token" };
const CLEAR_AFTER_SECS = 30;

type Confirm = null | "revoke-all" | "forget" | "reveal" | "logout" | "exchange";

interface Props {
  inspection: GrantInspection;
  /** Called after every action: the detail and the list reload. */
  onChanged: () => Promise<void>;
  onForgotten: () => void;
}

/** What can be done with a grant: refresh, revoke, introspect, userinfo, copy, reveal, forget. */
export default function GrantActions({ inspection, onChanged, onForgotten }: Props) {
  const { grant } = inspection;
  const id = grant.id;
  const present: TokenKind[] = (["access", "id", "refresh"] as const).filter(
    (k) => ({ access: inspection.access_token, id: inspection.id_token, refresh: inspection.refresh_token })[k].present,
  );
  const [chosen, setKind] = useState<TokenKind>(present[0] ?? "access");
  const kind: TokenKind = present.includes(chosen) ? chosen : (present[0] ?? "access");
  const [busy, setBusy] = useState<{ label: string; since: number } | null>(null);
  const [result, setResult] = useState<{ title: string; json: JsonValue } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<{ title: string; error: ErrorInWords } | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [revealed, setRevealed] = useState<{ kind: TokenKind; token: string } | null>(null);
  // The outcome of an action appears right under the sticky bar, scrolled into view.
  const outcome = useRef<HTMLDivElement>(null);
  const shown = busy !== null || note !== null || error !== null || result !== null || revealed !== null;
  useEffect(() => {
    if (shown) scrollIntoView(outcome.current);
  }, [shown]);

  const run = async (label: string, action: () => Promise<void>, reload = true) => {
    setBusy({ label, since: Date.now() });
    setError(null);
    setNote(null);
    setResult(null);
    try {
      await action();
    } catch (e) {
      setError({ title: `${label} failed`, error: errorInWords(e) });
    } finally {
      setBusy(null);
      if (reload) await onChanged();
    }
  };

  const refresh = () =>
    run("Refresh", async () => {
      const g = await refreshGrant(id);
      setNote(`Refreshed: the new access token ${expiryInWords(g.expires_at, nowSecs())}.`);
    });
  const revoke = (which: "access" | "refresh" | "all") =>
    run(`Revoking the ${which === "all" ? "tokens" : `${which} token`}`, async () => {
      setConfirm(null);
      await revokeGrant(id, which);
      setNote(
        which === "all"
          ? "Revoked at the server (RFC 7009)."
          : which === "access" && inspection.refresh_token.present
            ? "The access token was revoked at the server (RFC 7009). The refresh token is kept here, but some servers revoke it along with the access token (RFC 7009 §2.1): the next refresh tells."
            : `The ${which} token was revoked at the server (RFC 7009).`,
      );
    });
  const introspect = () =>
    run("Introspection", async () => {
      const json = await introspectGrant(id, kind === "refresh");
      setResult({ title: `Introspection of the ${kind === "refresh" ? "refresh" : "access"} token (RFC 7662)`, json });
    });
  const userinfo = () =>
    run("UserInfo", async () => {
      setResult({ title: "UserInfo response", json: await userinfoGrant(id) });
    });
  const copy = (which: TokenKind) =>
    run(
      "Copy",
      async () => {
        await copyToken(id, which, CLEAR_AFTER_SECS);
        setNote(`The ${KIND_LABELS[which]} is copied; the clipboard is cleared in ${CLEAR_AFTER_SECS} s.`);
      },
      false,
    );
  const reveal = () =>
    run(
      "Reveal",
      async () => {
        setConfirm(null);
        setRevealed({ kind, token: await revealToken(id, kind) });
      },
      false,
    );
  const forget = () =>
    run(
      "Forget",
      async () => {
        setConfirm(null);
        await forgetGrant(id);
        onForgotten();
      },
      false,
    );

  const logout = (localOnly: boolean) =>
    run(
      localOnly ? "Ending the session locally" : "Ending the session at the server (finish in your browser)",
      async () => {
        setConfirm(null);
        await logoutGrant(id, localOnly);
        onForgotten();
      },
      false,
    );

  const disabled = busy !== null;
  const none = present.length === 0;
  const access = inspection.access_token.present;
  return (
    <section className="grant-actions" aria-label="Actions">
      {/* Sticky at the top of the detail: the actions stay at hand while the checks, claims and
          scopes scroll under them. */}
      <div className="action-bar" data-testid="grant-action-bar">
        <div className="button-row wrap">
          <button type="button" className="btn btn-small btn-primary" data-testid="action-refresh" disabled={disabled || !inspection.refresh_token.present} onClick={() => void refresh()}>
            Refresh
          </button>
          <button
            type="button"
            className="btn btn-small"
            data-testid="action-copy-access"
            data-shortcut="copy-access-token"
            title="Ctrl+Shift+C"
            disabled={disabled || !access}
            onClick={() => void copy("access")}
          >
            Copy access token
          </button>
          <button type="button" className="btn btn-small" data-testid="action-revoke-access" disabled={disabled || !access} onClick={() => void revoke("access")}>
            Revoke access
          </button>
          <button type="button" className="btn btn-small" data-testid="action-revoke-refresh" disabled={disabled || !inspection.refresh_token.present} onClick={() => void revoke("refresh")}>
            Revoke refresh
          </button>
          <button type="button" className="btn btn-small btn-danger" data-testid="action-revoke-all" disabled={disabled} onClick={() => setConfirm("revoke-all")}>
            Revoke all…
          </button>
          <button type="button" className="btn btn-small" data-testid="action-introspect" disabled={disabled} onClick={() => void introspect()}>
            Introspect
          </button>
          <button type="button" className="btn btn-small" data-testid="action-userinfo" disabled={disabled} onClick={() => void userinfo()}>
            UserInfo
          </button>
        </div>
        <div className="button-row wrap">
          <label htmlFor="token-kind" className="muted">
            Token
          </label>
          <select id="token-kind" data-testid="token-kind" value={kind} onChange={(e) => setKind(e.target.value as TokenKind)} disabled={none}>
            {present.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-small" data-testid="action-copy" disabled={disabled || none} onClick={() => void copy(kind)}>
            Copy
          </button>
          <button type="button" className="btn btn-small" data-testid="action-reveal" disabled={disabled || none} onClick={() => setConfirm("reveal")}>
            Reveal…
          </button>
          <button type="button" className="btn btn-small" data-testid="action-exchange" disabled={disabled || none} onClick={() => setConfirm("exchange")}>
            Exchange…
          </button>
          <button type="button" className="btn btn-small btn-danger" data-testid="action-forget" disabled={disabled} onClick={() => setConfirm("forget")}>
            Forget locally…
          </button>
          <button type="button" className="btn btn-small btn-danger" data-testid="action-logout" disabled={disabled} onClick={() => setConfirm("logout")}>
            End session…
          </button>
        </div>
      </div>

      <div className="action-outcome" ref={outcome}>
        {busy && <Progress label={`${busy.label}…`} sinceMs={busy.since} />}
        {note && (
          <p className="notice notice-ok" role="status" data-testid="action-note">
            {note}
          </p>
        )}
        {error && <ErrorMessage error={error.error} title={error.title} testId="action-error" />}
        {result && (
          <div data-testid="action-result">
            <h4>{result.title}</h4>
            <pre className="code-block selectable">{prettyJson(result.json)}</pre>
          </div>
        )}
        {revealed && (
          <div className="revealed" data-testid="revealed-token">
            <label htmlFor="revealed-text">The {KIND_LABELS[revealed.kind]} (treat it like a password)</label>
            <textarea id="revealed-text" readOnly value={revealed.token} rows={4} />
            <button type="button" className="btn btn-small" onClick={() => setRevealed(null)}>
              Hide
            </button>
          </div>
        )}
      </div>

      {confirm === "revoke-all" && (
        <ConfirmDialog
          title="Revoke all tokens of this grant?"
          onCancel={() => setConfirm(null)}
          actions={
            <button type="button" className="btn btn-danger" data-testid="confirm-revoke-all" onClick={() => void revoke("all")}>
              Revoke all
            </button>
          }
        >
          <p>The server is asked to revoke the refresh and access tokens (RFC 7009); afterwards you need to log in again.</p>
        </ConfirmDialog>
      )}
      {confirm === "forget" && (
        <ConfirmDialog
          title="Forget this grant?"
          onCancel={() => setConfirm(null)}
          actions={
            <button type="button" className="btn btn-danger" data-testid="confirm-forget" onClick={() => void forget()}>
              Forget locally
            </button>
          }
        >
          <p>The tokens are removed from this computer only; they are not revoked at the server and stay valid there until they expire.</p>
        </ConfirmDialog>
      )}
      {confirm === "exchange" && (
        <ExchangeDialog
          grantId={id}
          kind={kind}
          defaultClient={grant.client}
          onCancel={() => setConfirm(null)}
          onDone={(g) => {
            setConfirm(null);
            setNote(`Exchanged: a new grant of ${g.client} (${g.scopes_granted ?? g.scopes_requested ?? "same scope"}), listed under Tokens.`);
            void onChanged();
          }}
        />
      )}
      {confirm === "logout" && (
        <ConfirmDialog
          title="End this session?"
          onCancel={() => setConfirm(null)}
          actions={
            <>
              <button type="button" className="btn" data-testid="confirm-logout-local" onClick={() => void logout(true)}>
                Only here
              </button>
              <button type="button" className="btn btn-danger" data-testid="confirm-logout" onClick={() => void logout(false)}>
                At the server too
              </button>
            </>
          }
        >
          <p>
            <strong>At the server too</strong>: your browser opens the server's logout page (OpenID Connect RP-Initiated Logout, with this grant's ID token as
            the hint) and comes back here; then the tokens are revoked and forgotten. <strong>Only here</strong>: revoke and forget, leaving the server
            session alone. If the server logout or the revocation fails, nothing is forgotten.
          </p>
        </ConfirmDialog>
      )}
      {confirm === "reveal" && (
        <ConfirmDialog
          title={`Show the ${KIND_LABELS[kind]}?`}
          onCancel={() => setConfirm(null)}
          actions={
            <button type="button" className="btn btn-primary" data-testid="confirm-reveal" onClick={() => void reveal()}>
              Show it
            </button>
          }
        >
          <p>The raw token will be on screen, where anyone looking can read or photograph it. Copy is safer: it never shows the token and clears the clipboard.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
