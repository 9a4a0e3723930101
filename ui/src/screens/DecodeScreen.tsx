import { useState } from "react";
import { decodeToken, verifyToken, type TokenVerification } from "../api";
import ChecksList from "../components/ChecksList";
import ClaimsTable from "../components/ClaimsTable";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import Progress from "../components/Progress";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { useClients } from "../lib/queries";
import { useNow } from "../lib/useNow";
import { useQuery } from "../lib/useQuery";

const SEGMENT_NAMES: Record<string, string[]> = {
  jws: ["Header", "Payload", "Signature"],
  jwe: ["Header", "Encrypted key", "IV", "Ciphertext", "Tag"],
};

/** Paste any token; see what is inside. Decoding happens in Rust; nothing is sent anywhere. */
export default function DecodeScreen() {
  const [text, setText] = useState("");
  const token = text.trim();
  // Transient: a pasted token is not kept once the screen no longer shows it.
  const query = useQuery(token === "" ? null : `decode/${token}`, () => decodeToken(token), { transient: true });
  const decoded = query.data ?? null;
  const error = query.error;
  const now = useNow(decoded !== null);
  // Without the client list, verification works with an issuer or pasted keys only.
  const clients = useClients().data ?? [];
  const [issuer, setIssuer] = useState("");
  const [keys, setKeys] = useState("");
  const [client, setClient] = useState("");
  const [nonce, setNonce] = useState("");
  const [verification, setVerification] = useState<TokenVerification | null>(null);
  const [verifyError, setVerifyError] = useState<ErrorInWords | null>(null);
  const [verifying, setVerifying] = useState<number | null>(null);

  /** A changed input makes the last verification moot. */
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    setVerification(null);
    setVerifyError(null);
  };

  async function verify() {
    setVerifying(Date.now());
    try {
      const opt = (v: string) => (v.trim() === "" ? null : v.trim());
      setVerification(await verifyToken(token, { issuer: opt(issuer), keys: opt(keys), client: opt(client), nonce: opt(nonce), skew_secs: null }));
      setVerifyError(null);
    } catch (e) {
      setVerifyError(errorInWords(e));
    } finally {
      setVerifying(null);
    }
  }

  const jwt = decoded?.jwt ?? null;
  return (
    <div className="decode">
      <div className="field">
        <label htmlFor="decode-input">Token</label>
        <textarea
          id="decode-input"
          data-testid="decode-input"
          rows={5}
          spellCheck={false}
          placeholder="Paste a JWT (eyJ…), a JWE or an opaque token. It is decoded locally and not stored."
          value={text}
          onChange={(e) => edit(setText)(e.target.value)}
        />
      </div>
      {error && <ErrorMessage error={error} title="Could not decode" testId="decode-error" />}
      {decoded && decoded.kind === "opaque" && (
        <p className="notice notice-neutral" data-testid="decode-opaque">
          This is an opaque token: it carries no readable data. Only the server can tell what it means (introspection, RFC 7662).
        </p>
      )}
      {decoded && jwt && (
        <div className="decode-parts">
          <p data-testid="decode-kind">
            {decoded.kind === "jwe" ? "JWE (encrypted JWT, RFC 7516)" : "JWS (signed JWT, RFC 7515)"} — decoded; verify it below.
          </p>
          <section className="panel" data-testid="decode-header">
            <ClaimsTable value={jwt.header} now={now} caption="Header" testId="decode-header-table" rowPrefix="header-" />
          </section>
          {decoded.kind === "jwe" || jwt.claims === null ? (
            <p className="notice notice-neutral" data-testid="decode-encrypted">
              The payload is encrypted: only the holder of the recipient's key can read the claims.
            </p>
          ) : (
            <section className="panel" data-testid="decode-claims">
              <ClaimsTable value={jwt.claims} now={now} caption="Claims" testId="claims-table" />
            </section>
          )}
          {decoded.kind === "jws" && (
            <section className="panel" data-testid="decode-signature">
              <h3>Signature</h3>
              <p className="muted">
                {jwt.signature_length > 0 ? `${jwt.signature_length} characters of base64url; use Verify below to check it against the issuer's keys.` : "No signature (alg none): anyone could have written this token."}
              </p>
              <code className="segment selectable">{decoded.segments[2] ?? ""}</code>
            </section>
          )}
          <section className="panel" aria-label="Verify" data-testid="decode-verify-panel">
            <h3>Verify</h3>
            <p className="help">
              Keys come from the pasted key, else the issuer's JWKS, else the client's issuer, else the token's own <code>iss</code> (through discovery). A
              client adds its id as the expected audience and its secret (from the keychain) for HS256/384/512.
            </p>
            <div className="grid-2">
              <div className="field">
                <label htmlFor="verify-issuer">Issuer</label>
                <input id="verify-issuer" data-testid="verify-issuer" value={issuer} placeholder="https://issuer.example (optional)" onChange={(e) => edit(setIssuer)(e.target.value)} />
              </div>
              <div className="field">
                <ClientSelect id="verify-client" testId="verify-client" label="Client" names={clients.map((c) => c.name)} value={client} onChange={edit(setClient)} noneLabel="None" />
              </div>
              <div className="field">
                <label htmlFor="verify-nonce">Nonce sent</label>
                <input id="verify-nonce" data-testid="verify-nonce" value={nonce} placeholder="(optional)" onChange={(e) => edit(setNonce)(e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor="verify-keys">Key (JWKS, JWK or PEM public key)</label>
                <textarea id="verify-keys" data-testid="verify-keys" rows={2} spellCheck={false} value={keys} placeholder="(optional)" onChange={(e) => edit(setKeys)(e.target.value)} />
              </div>
            </div>
            <div className="button-row">
              <button type="button" className="btn btn-primary" data-testid="decode-verify" disabled={verifying !== null} onClick={() => void verify()}>
                Verify signature and claims
              </button>
            </div>
            {verifying !== null && <Progress label="Fetching the issuer's keys and checking…" sinceMs={verifying} />}
            {verifyError && <ErrorMessage error={verifyError} title="Could not verify" testId="decode-verify-error" />}
            {verification && (
              <div data-testid="decode-verification">
                <p className="muted">
                  Checked as {verification.findings.checked_as ?? verification.findings.format}
                  {verification.keys ? `; keys: ${verification.keys}` : ""}.
                </p>
                <ChecksList checks={verification.findings.checks} testId="decode-checks" />
              </div>
            )}
          </section>
          <details className="panel">
            <summary>Segments as pasted (base64url)</summary>
            <ol className="segments">
              {decoded.segments.map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a segment is named by its position (header, payload, …), and two may be equal
                <li key={i}>
                  <strong>{SEGMENT_NAMES[decoded.kind]?.[i] ?? `Segment ${i + 1}`}:</strong> <code className="segment selectable">{s}</code>
                </li>
              ))}
            </ol>
          </details>
        </div>
      )}
    </div>
  );
}
