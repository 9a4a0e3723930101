import { useEffect, useState } from "react";
import { decodeToken, type DecodedToken } from "../api";
import ClaimsTable from "../components/ClaimsTable";
import ErrorMessage from "../components/ErrorMessage";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { useNow } from "../lib/useNow";

const SEGMENT_NAMES: Record<string, string[]> = {
  jws: ["Header", "Payload", "Signature"],
  jwe: ["Header", "Encrypted key", "IV", "Ciphertext", "Tag"],
};

/** Paste any token; see what is inside. Decoding happens in Rust; nothing is sent anywhere. */
export default function DecodeScreen() {
  const [text, setText] = useState("");
  const [decoded, setDecoded] = useState<DecodedToken | null>(null);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const now = useNow(decoded !== null);

  useEffect(() => {
    const token = text.trim();
    if (token === "") {
      setDecoded(null);
      setError(null);
      return;
    }
    let live = true;
    decodeToken(token)
      .then((d) => {
        if (!live) return;
        setDecoded(d);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setDecoded(null);
        setError(errorInWords(e));
      });
    return () => {
      live = false;
    };
  }, [text]);

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
          onChange={(e) => setText(e.target.value)}
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
            {decoded.kind === "jwe" ? "JWE (encrypted JWT, RFC 7516)" : "JWS (signed JWT, RFC 7515)"} — decoded, not verified.
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
                {jwt.signature_length > 0 ? `${jwt.signature_length} bytes; not verified here (that needs the issuer's JWKS).` : "No signature (alg none): anyone could have written this token."}
              </p>
              <code className="segment selectable">{decoded.segments[2] ?? ""}</code>
            </section>
          )}
          <details className="panel">
            <summary>Segments as pasted (base64url)</summary>
            <ol className="segments">
              {decoded.segments.map((s, i) => (
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
