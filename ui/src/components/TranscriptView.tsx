import { visible } from "../lib/text";
import { useState } from "react";
import { renderCurl, type Exchange, type FlowTranscript } from "../api";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { relativeTime } from "../lib/time";
import ErrorMessage from "./ErrorMessage";
import HeadersTable from "./HeadersTable";

/** Writes to the clipboard when the webview allows it; reports whether it did. */
async function writeClipboard(text: string): Promise<boolean> {
  const clipboard = typeof navigator !== "undefined" ? navigator.clipboard : undefined;
  if (!clipboard || typeof clipboard.writeText !== "function") return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function ExchangeView({ exchange, index }: { exchange: Exchange; index: number }) {
  const [curl, setCurl] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const { request, response } = exchange;

  const copyCurl = async () => {
    setError(null);
    try {
      const text = await renderCurl(request);
      setCurl(text);
      setCopied(await writeClipboard(text));
    } catch (e) {
      setError(errorInWords(e));
    }
  };

  return (
    <li className="exchange" data-testid={`exchange-${index}`}>
      <details>
        <summary>
          <span className="exchange-step">{exchange.step}</span>{" "}
          <code>
            {request.method} {request.url}
          </code>{" "}
          {response ? (
            <span className={`http-status http-${Math.floor(response.status / 100)}xx`}>{response.status}</span>
          ) : (
            <span className="muted">{exchange.note ?? "no response"}</span>
          )}{" "}
          {response && <span className="muted">{exchange.duration_ms} ms</span>}
        </summary>
        <div className="exchange-body">
          {exchange.note && <p className="note">Note: {exchange.note}</p>}
          <h4>Request</h4>
          <p className="selectable">
            <code>
              {request.method} {request.url}
            </code>
          </p>
          <HeadersTable headers={request.headers} caption="Request headers" />
          {request.body !== null && request.body !== "" && <pre className="code-block">{visible(request.body)}</pre>}
          <h4>Response</h4>
          {response ? (
            <>
              <p>
                Status <strong>{response.status}</strong>
              </p>
              <HeadersTable headers={response.headers} caption="Response headers" />
              {response.body !== "" && <pre className="code-block">{visible(response.body)}</pre>}
            </>
          ) : (
            <p className="muted">No response was received.</p>
          )}
          <button type="button" className="btn btn-small" data-testid="copy-curl" onClick={() => void copyCurl()}>
            Copy as curl
          </button>
          {copied === true && <span className="muted" role="status"> Copied (secrets stay redacted).</span>}
          {copied === false && (
            <span className="muted" role="status">
              {" "}
              The clipboard is not available here; select the command below and copy it.
            </span>
          )}
          {curl !== null && <pre className="code-block selectable" data-testid="curl-text">{curl}</pre>}
          {error && <ErrorMessage error={error} title="Could not render the curl command" />}
        </div>
      </details>
    </li>
  );
}

interface Props {
  transcript: FlowTranscript;
  now: number;
}

/** The redacted HTTP exchanges of one flow, each expandable, with "Copy as curl". */
export default function TranscriptView({ transcript, now }: Props) {
  return (
    <section className="panel" data-testid="transcript" aria-label="HTTP exchanges">
      <h3>
        HTTP exchanges <span className="muted">({transcript.operation}, {relativeTime(transcript.at, now)}; secrets redacted)</span>
      </h3>
      {transcript.exchanges.length === 0 ? (
        <p className="muted">No HTTP exchange was recorded.</p>
      ) : (
        <ol className="exchanges">
          {transcript.exchanges.map((x, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a saved transcript never changes; two exchanges may start in the same millisecond
            <ExchangeView key={`${x.started_at_ms}-${i}`} exchange={x} index={i} />
          ))}
        </ol>
      )}
    </section>
  );
}
