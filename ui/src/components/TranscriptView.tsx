import { visible } from "../lib/text";
import { useMemo, useState } from "react";
import { copyCurl, copyResponse, renderCurl, type Exchange, type FlowTranscript } from "../api";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { relativeTime } from "../lib/time";
import { exchangeMatches, isExpectedPoll, msInWords, oauthErrorOf, prettyBody } from "../lib/transcript";
import ErrorMessage from "./ErrorMessage";
import HeadersTable from "./HeadersTable";
import StepChecks from "./StepChecks";
import "../styles/timeline.css";

/** A request or response body: JSON indented, long bodies cut with a note. */
function BodyBlock({ body, testId }: { body: string; testId: string }) {
  const shown = prettyBody(body);
  return (
    <>
      <pre className="code-block selectable" data-testid={testId} data-json={shown.json ? "true" : undefined}>
        {visible(shown.text)}
      </pre>
      {shown.cut > 0 && (
        <p className="note" data-testid={`${testId}-cut`}>
          {shown.cut.toLocaleString("en")} more characters not shown; "Copy response" copies the whole body.
        </p>
      )}
    </>
  );
}

/** The response status; a device poll's "not yet" reads as expected, not as a failure. */
export function StatusTag({ exchange }: { exchange: Exchange }) {
  const { response } = exchange;
  if (!response) return <span className="muted">{exchange.note ?? "no response"}</span>;
  if (isExpectedPoll(exchange)) {
    return (
      <span className="http-status http-expected" data-testid="http-expected" title="Expected while the user approves (RFC 8628 §3.5)">
        {response.status} {oauthErrorOf(response)} (expected)
      </span>
    );
  }
  const error = oauthErrorOf(response);
  return (
    <span className={`http-status http-${Math.floor(response.status / 100)}xx`}>
      {response.status}
      {error ? ` ${visible(error, false)}` : ""}
    </span>
  );
}

type Copied = "curl" | "response" | null;

export function ExchangeView({ exchange, index, open = false, n }: { exchange: Exchange; index: number; open?: boolean; n?: number }) {
  const [curl, setCurl] = useState<string | null>(null);
  const [copied, setCopied] = useState<Copied>(null);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const { request, response } = exchange;

  const copyAsCurl = async () => {
    setError(null);
    setCopied(null);
    try {
      await copyCurl(request);
      setCopied("curl");
    } catch (e) {
      setError(errorInWords(e));
      // Without a clipboard the command is shown to select by hand.
      setCurl(await renderCurl(request).catch(() => null));
    }
  };
  const copyTheResponse = async () => {
    if (!response) return;
    setError(null);
    setCopied(null);
    try {
      await copyResponse(response);
      setCopied("response");
    } catch (e) {
      setError(errorInWords(e));
    }
  };

  return (
    <li className="exchange" data-testid={`exchange-${index}`} data-step={exchange.step} value={n}>
      <details open={open || undefined}>
        <summary>
          <span className="exchange-step">{exchange.step}</span>{" "}
          <code>
            {request.method} {visible(request.url, false)}
          </code>{" "}
          <StatusTag exchange={exchange} /> {response && <span className="muted">{msInWords(exchange.duration_ms)}</span>}
        </summary>
        <div className="exchange-body">
          {exchange.note && <p className="note">Note: {visible(exchange.note, false)}</p>}
          <StepChecks exchange={exchange} />
          <h4>Request</h4>
          <p className="selectable">
            <code>
              {request.method} {visible(request.url, false)}
            </code>
          </p>
          <HeadersTable headers={request.headers} caption="Request headers" />
          {request.body !== null && request.body !== "" && <BodyBlock body={request.body} testId="request-body" />}
          <h4>Response</h4>
          {response ? (
            <>
              <p>
                Status <strong>{response.status}</strong> after {msInWords(exchange.duration_ms)}
              </p>
              <HeadersTable headers={response.headers} caption="Response headers" />
              {response.body !== "" && <BodyBlock body={response.body} testId="response-body" />}
            </>
          ) : (
            <p className="muted">No response was received.</p>
          )}
          <div className="button-row">
            <button type="button" className="btn btn-small" data-testid="copy-curl" onClick={() => void copyAsCurl()}>
              Copy as curl
            </button>
            {response && (
              <button type="button" className="btn btn-small" data-testid="copy-response" onClick={() => void copyTheResponse()}>
                Copy response
              </button>
            )}
            {copied && (
              <span className="muted" role="status" data-testid="copy-status">
                {copied === "curl" ? "Copied as curl; secrets stay shell variables to fill in." : "Response copied (secrets stay redacted)."}
              </span>
            )}
          </div>
          {curl !== null && (
            <pre className="code-block selectable" data-testid="curl-text">
              {curl}
            </pre>
          )}
          {error && <ErrorMessage error={error} title="Could not copy" />}
        </div>
      </details>
    </li>
  );
}

interface Props {
  transcript: FlowTranscript;
  now: number;
}

/** The redacted HTTP exchanges of one flow, each expandable, searchable, with "Copy as curl". */
export default function TranscriptView({ transcript, now }: Props) {
  const [query, setQuery] = useState("");
  const matching = useMemo(() => transcript.exchanges.map((x) => exchangeMatches(x, query)), [transcript, query]);
  const found = matching.filter(Boolean).length;
  const searching = query.trim() !== "";
  // Recorded in the past: a clock a second behind must not read "in 1 s".
  const when = relativeTime(Math.min(transcript.at, now), now);

  return (
    <section className="panel" data-testid="transcript" aria-label="HTTP exchanges">
      <h3>
        HTTP exchanges{" "}
        <span className="muted">
          ({transcript.operation}, recorded {when}; secrets redacted)
        </span>
      </h3>
      {transcript.exchanges.length === 0 ? (
        <p className="muted">No HTTP exchange was recorded.</p>
      ) : (
        <>
          <div className="transcript-search">
            <label htmlFor={`search-${transcript.flow_id}`} className="inline-label">
              Search
            </label>
            <input
              id={`search-${transcript.flow_id}`}
              type="search"
              data-testid="transcript-search"
              placeholder="URL, header, body…"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
            {searching && (
              <span className="muted" role="status" data-testid="transcript-search-count">
                {found} of {transcript.exchanges.length} {transcript.exchanges.length === 1 ? "step matches" : "steps match"}
              </span>
            )}
          </div>
          <ol className="exchanges">
            {transcript.exchanges.map((x, i) =>
              matching[i] ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: a saved transcript never changes; two exchanges may start in the same millisecond
                <ExchangeView key={`${x.started_at_ms}-${i}`} exchange={x} index={i} n={i + 1} open={searching} />
              ) : null,
            )}
          </ol>
        </>
      )}
    </section>
  );
}
