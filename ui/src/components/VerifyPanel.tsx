import type { Check, CheckStatus, TokenVerification } from "../api";
import type { DecodeSession, KeySource } from "../lib/decodeSession";
import { visible } from "../lib/text";
import ClientSelect from "./ClientSelect";

const SOURCES: { id: KeySource; label: string }[] = [
  { id: "none", label: "No key" },
  { id: "secret", label: "HMAC secret" },
  { id: "key", label: "Public key" },
  { id: "issuer", label: "Issuer" },
  { id: "client", label: "Stored client" },
];

interface Props {
  session: DecodeSession;
  update: (patch: Partial<DecodeSession>) => void;
  clients: string[] | null;
  /** The token's own `iss`, offered as the issuer. */
  tokenIssuer: string | null;
}

/** Where the verification key comes from; verification runs as soon as it changes. */
export function KeySourcePanel({ session, update, clients, tokenIssuer }: Props) {
  const s = session;
  return (
    <section className="panel key-source" aria-label="Verify with" data-testid="decode-verify-panel">
      <div className="key-source-bar">
        <h3>Verify with</h3>
        <fieldset className="segmented" aria-label="Key source">
          {SOURCES.map((o) => (
            <button
              key={o.id}
              type="button"
              aria-pressed={s.source === o.id}
              className={`btn btn-small${s.source === o.id ? " btn-selected" : ""}`}
              data-testid={`verify-source-${o.id}`}
              onClick={() => update({ source: o.id })}
            >
              {o.label}
            </button>
          ))}
        </fieldset>
      </div>
      {s.source === "none" && <p className="help">Decoded only. Choose a key source to check the signature: nothing is fetched until you do.</p>}
      {s.source === "secret" && (
        <div className="field">
          <label htmlFor="verify-secret">Shared secret (HS256/384/512), checked here, never stored or sent</label>
          <input
            id="verify-secret"
            data-testid="verify-secret"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={s.secret}
            onChange={(e) => update({ secret: e.target.value })}
          />
        </div>
      )}
      {s.source === "key" && (
        <div className="field">
          <label htmlFor="verify-keys">Public key: JWK, JWKS or PEM</label>
          <textarea
            id="verify-keys"
            data-testid="verify-keys"
            rows={3}
            spellCheck={false}
            value={s.keys}
            placeholder={'{"keys":[…]} or -----BEGIN PUBLIC KEY-----'}
            onChange={(e) => update({ keys: e.target.value })}
          />
        </div>
      )}
      {s.source === "issuer" && (
        <div className="field">
          <label htmlFor="verify-issuer">Issuer (its JWKS through discovery)</label>
          <input
            id="verify-issuer"
            data-testid="verify-issuer"
            value={s.issuer}
            placeholder="https://issuer.example"
            onChange={(e) => update({ issuer: e.target.value })}
          />
          {tokenIssuer && s.issuer.trim() !== tokenIssuer && (
            <button type="button" className="btn btn-small" data-testid="verify-use-iss" onClick={() => update({ issuer: tokenIssuer })}>
              Use the token's iss: {visible(tokenIssuer)}
            </button>
          )}
        </div>
      )}
      {s.source === "client" && (
        <div className="field">
          <ClientSelect id="verify-client" testId="verify-client" label="Client (its issuer; its secret from the keychain for HS*)" names={clients} value={s.client} onChange={(client) => update({ client })} noneLabel="Choose…" />
        </div>
      )}
      <details className="verify-more">
        <summary>Nonce</summary>
        <div className="field">
          <label htmlFor="verify-nonce">Nonce sent (ID tokens)</label>
          <input id="verify-nonce" data-testid="verify-nonce" value={s.nonce} placeholder="(optional)" onChange={(e) => update({ nonce: e.target.value })} />
        </div>
      </details>
    </section>
  );
}

const MARK: Record<CheckStatus, { label: string; tone: string }> = {
  pass: { label: "pass", tone: "ok" },
  fail: { label: "fail", tone: "error" },
  warn: { label: "warning", tone: "warn" },
  not_applicable: { label: "n/a", tone: "soft" },
};

/** Each check, under the verdict. Without a verified signature no check shows as a pass: what was not verified cannot pass. */
export function CheckRows({ verification, onAgain }: { verification: TokenVerification; onAgain: () => void }) {
  const unverified = verification.verdict.status === "unverified";
  const shown: Check[] = unverified ? verification.findings.checks.filter((c) => c.status !== "pass") : verification.findings.checks;
  return (
    <section className="panel" data-testid="decode-verification" aria-label="Checks">
      <div className="key-source-bar">
        <h3>Checks</h3>
        <button type="button" className="btn btn-small" data-testid="decode-verify" onClick={onAgain}>
          Check again
        </button>
      </div>
      <p className="muted">
        Checked as {visible(verification.findings.checked_as ?? verification.findings.format)}
        {verification.keys ? `; keys: ${visible(verification.keys)}` : ""}.
      </p>
      <table className="table checks-table" data-testid="decode-checks">
        <tbody>
          {shown.map((c) => (
            <tr key={c.name} data-testid={`decode-checks-${c.name}`} data-status={c.status} data-code={c.code ?? ""}>
              <th scope="row">{c.name}</th>
              <td>
                <span className={`tag tag-${MARK[c.status].tone}`}>{MARK[c.status].label}</span>
              </td>
              <td>
                {c.code && c.status !== "pass" && <code className="check-code">{c.code}</code>} {visible(c.reason)}
              </td>
              <td className="muted">{c.spec}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {unverified && <p className="help">Times and claims are in the tables above; none of them is trusted until the signature is checked.</p>}
    </section>
  );
}
