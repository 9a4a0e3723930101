import { useState } from "react";
import { copyDecodedText, decodeToken } from "../api";
import ErrorMessage from "../components/ErrorMessage";
import JwtPartPanel from "../components/JwtPartPanel";
import JwtSegments from "../components/JwtSegments";
import ResignPanel from "../components/ResignPanel";
import VerdictBanner from "../components/VerdictBanner";
import { CheckRows, KeySourcePanel } from "../components/VerifyPanel";
import { useDecodeSession } from "../lib/decodeSession";
import { errorInWords } from "../lib/errors";
import { isJsonObject } from "../lib/json";
import { useClients } from "../lib/queries";
import { visible } from "../lib/text";
import { useLiveVerification, verifyOptions } from "../lib/useLiveVerification";
import { useNow } from "../lib/useNow";
import { useQuery } from "../lib/useQuery";
import "../styles/decode.css";

/**
 * Paste any token; see what is inside and whether it can be trusted. Decoding and verification
 * happen in Rust, live as you type; the token and the chosen key source stay in memory while
 * you visit other screens (lib/decodeSession.ts), never on disk.
 */
export default function DecodeScreen() {
  const [session, update] = useDecodeSession();
  const token = session.token.trim();
  const query = useQuery(token === "" ? null : `decode/${token}`, () => decodeToken(token), { transient: true });
  const decoded = token === "" ? null : (query.data ?? null);
  const now = useNow(decoded !== null);
  const clients = useClients().data?.map((c) => c.name) ?? null;
  const verifiable = decoded !== null && decoded.kind !== "opaque";
  const live = useLiveVerification(verifiable ? token : null, verifyOptions(session));
  const [copied, setCopied] = useState<{ ok: boolean; text: string } | null>(null);

  async function copy(what: string, text: string) {
    try {
      await copyDecodedText(text);
      setCopied({ ok: true, text: `Copied ${what} (the clipboard clears in 5 min).` });
    } catch (e) {
      setCopied({ ok: false, text: `Could not copy ${what}: ${errorInWords(e).message}` });
    }
  }

  const jwt = decoded?.jwt ?? null;
  const claims = jwt?.claims ?? null;
  const tokenIssuer = isJsonObject(claims) && typeof claims.iss === "string" ? claims.iss : null;
  return (
    <div className="decode">
      <div className="field">
        <label htmlFor="decode-input">Token</label>
        <textarea
          id="decode-input"
          data-testid="decode-input"
          data-shortcut="search"
          rows={4}
          spellCheck={false}
          placeholder="Paste a JWT (eyJ…), a JWE or an opaque token. It is decoded locally and kept in memory only."
          value={session.token}
          onChange={(e) => update({ token: e.target.value })}
        />
      </div>
      {query.error && token !== "" && <ErrorMessage error={query.error} title="Could not decode" testId="decode-error" />}
      {decoded?.kind === "opaque" && (
        <p className="notice notice-neutral" data-testid="decode-opaque">
          This is an opaque token: it carries no readable data. Only the server can tell what it means (introspection, RFC 7662).
        </p>
      )}
      {decoded && verifiable && (
        <div className="decode-parts">
          <p className="decode-kind" data-testid="decode-kind" data-kind={decoded.kind}>
            <strong>{visible(decoded.label)}</strong>
          </p>
          <KeySourcePanel session={session} update={update} clients={clients} tokenIssuer={tokenIssuer} />
          <VerdictBanner verdict={live.result?.verdict ?? null} error={live.error} checking={live.pendingSince !== null} />
          <JwtSegments segments={decoded.segments} kind={decoded.kind} problemSegment={decoded.problem_segment} />
          {decoded.problem && (
            <p className="notice notice-error" data-testid="decode-problem" data-segment={decoded.problem_segment ?? ""}>
              {visible(decoded.problem)}
            </p>
          )}
          {copied && (
            <p className={copied.ok ? "ok-text" : "warning-text"} data-testid="decode-copy-status" role="status">
              {copied.text}
            </p>
          )}
          {jwt && (
            <div className="jwt-parts">
              <JwtPartPanel
                title="Header"
                value={jwt.header}
                now={now}
                view={session.headerView}
                onView={(headerView) => update({ headerView })}
                onCopy={(what, text) => void copy(what, text)}
                testId="decode-header"
                rowPrefix="header-"
                tableTestId="decode-header-table"
              />
              {decoded.kind === "jwe" || claims === null ? (
                <section className="panel" data-testid="decode-encrypted">
                  <h3>Payload</h3>
                  <p className="muted">Encrypted (JWE): the claims cannot be decoded without the recipient's private key, which OAuth Desk does not have.</p>
                </section>
              ) : (
                <JwtPartPanel
                  title="Payload"
                  value={claims}
                  now={now}
                  view={session.payloadView}
                  onView={(payloadView) => update({ payloadView })}
                  onCopy={(what, text) => void copy(what, text)}
                  testId="decode-claims"
                  rowPrefix="claim-"
                  tableTestId="claims-table"
                />
              )}
            </div>
          )}
          {(decoded.kind === "jws" || decoded.kind === "unsigned") && jwt && (
            <section className="panel" data-testid="decode-signature">
              <h3>Signature</h3>
              <p className="muted">
                {decoded.kind === "unsigned"
                  ? "None: alg is none, so anyone could have written this token."
                  : `${jwt.signature_length} characters of base64url, checked with the key source above.`}
              </p>
            </section>
          )}
          {live.result && <CheckRows verification={live.result} onAgain={live.again} />}
          {jwt && claims !== null && <ResignPanel key={token} header={jwt.header} claims={claims} onCopy={(what, text) => void copy(what, text)} onDecode={(t) => update({ token: t })} />}
        </div>
      )}
    </div>
  );
}
