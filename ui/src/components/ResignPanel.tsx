import { useState } from "react";
import { type JsonValue, signTestToken } from "../api";
import { type ErrorInWords, errorInWords } from "../lib/errors";
import { prettyJson } from "../lib/json";
import ErrorMessage from "./ErrorMessage";

const ALGS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];

interface Props {
  header: JsonValue;
  claims: JsonValue;
  onCopy: (what: string, text: string) => void;
  /** Puts the test token into the Decode input. */
  onDecode: (token: string) => void;
}

/**
 * Edit the payload and sign it again with a pasted secret or private key, to try a resource
 * server's validation. Signed in Rust; the key lives in this panel's state only and is dropped
 * when it closes. The output is a TEST TOKEN, and says so.
 */
export default function ResignPanel({ header, claims, onCopy, onDecode }: Props) {
  const tokenAlg = typeof header === "object" && header && !Array.isArray(header) ? header.alg : undefined;
  const [alg, setAlg] = useState(typeof tokenAlg === "string" && ALGS.includes(tokenAlg) ? tokenAlg : "HS256");
  const [headerText, setHeaderText] = useState(() => prettyJson(header));
  const [claimsText, setClaimsText] = useState(() => prettyJson(claims));
  const [key, setKey] = useState("");
  const [signed, setSigned] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const hmac = alg.startsWith("HS");

  async function sign() {
    setError(null);
    setSigned(null);
    try {
      setSigned(await signTestToken(headerText, claimsText, alg, key));
    } catch (e) {
      setError(errorInWords(e));
    }
  }

  return (
    <details className="panel resign" data-testid="resign-panel">
      <summary>Edit &amp; re-sign (test token)</summary>
      <p className="help">
        For testing a resource server: change the claims, sign with your own test key. The result is a <strong>test token</strong> — it was not issued by any
        authorization server.
      </p>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="resign-header">Header (JSON; alg is set from the choice below)</label>
          <textarea id="resign-header" data-testid="resign-header" rows={5} spellCheck={false} value={headerText} onChange={(e) => setHeaderText(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="resign-claims">Payload (JSON)</label>
          <textarea id="resign-claims" data-testid="resign-claims" rows={8} spellCheck={false} value={claimsText} onChange={(e) => setClaimsText(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="resign-alg">Algorithm</label>
          <select id="resign-alg" data-testid="resign-alg" value={alg} onChange={(e) => setAlg(e.target.value)}>
            {ALGS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="resign-key">{hmac ? "Shared secret" : "Private key (PEM)"} — used once, never stored</label>
          {hmac ? (
            <input id="resign-key" data-testid="resign-key" type="password" autoComplete="off" spellCheck={false} value={key} onChange={(e) => setKey(e.target.value)} />
          ) : (
            <textarea id="resign-key" data-testid="resign-key" rows={3} spellCheck={false} value={key} placeholder="-----BEGIN PRIVATE KEY-----" onChange={(e) => setKey(e.target.value)} />
          )}
        </div>
      </div>
      <div className="button-row">
        <button type="button" className="btn btn-primary" data-testid="resign-sign" onClick={() => void sign()}>
          Sign test token
        </button>
      </div>
      {error && <ErrorMessage error={error} title="Could not sign" testId="resign-error" />}
      {signed && (
        <div className="notice notice-warn" data-testid="resign-result">
          <strong className="notice-title">TEST TOKEN — signed here with your key ({alg}), not issued by a server</strong>
          <code className="segment selectable" data-testid="resign-token">
            {signed}
          </code>
          <div className="button-row">
            <button type="button" className="btn btn-small" data-testid="resign-copy" onClick={() => onCopy("Test token", signed)}>
              Copy test token
            </button>
            <button type="button" className="btn btn-small" data-testid="resign-decode" onClick={() => onDecode(signed)}>
              Decode it
            </button>
          </div>
        </div>
      )}
    </details>
  );
}
