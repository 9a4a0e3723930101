import { openInBrowser } from "../api";
import type { TimedEvent, TimelineEvent } from "../lib/useLoginFlow";
import { durationInWords } from "../lib/time";
import Progress from "./Progress";
import { pollStatusInWords } from "./DevicePanel";
import { ExchangeView } from "./TranscriptView";

function queryParams(url: string): [string, string][] {
  try {
    return [...new URL(url).searchParams.entries()];
  } catch {
    return [];
  }
}

function AuthorizationUrl({ url, opened }: { url: string; opened: boolean }) {
  const params = queryParams(url);
  return (
    <>
      <div>
        {opened
          ? "Authorization request opened in your browser (the app window never shows it, RFC 8252)."
          : "Open this authorization URL in your browser; it could not be opened automatically."}
      </div>
      <div className="url selectable">{url}</div>
      {!opened && (
        <button type="button" className="btn btn-small" data-testid="authorization-open" onClick={() => void openInBrowser(url).catch(() => undefined)}>
          Open in browser
        </button>
      )}
      {params.length > 0 && (
        <table className="table params" data-testid="authorization-params">
          <caption>Query parameters</caption>
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {params.map(([k, v], i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a parameter may repeat (resource); the URL's order is fixed, so the position is its identity
              <tr key={`${k}-${i}`} data-testid={`param-${k}`}>
                <th scope="row">
                  <code>{k}</code>
                </th>
                <td className="selectable">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function describe(event: TimelineEvent, waiting: boolean, at: number) {
  switch (event.kind) {
    case "step":
      return <div>{event.name}</div>;
    case "authorization_url":
      return <AuthorizationUrl url={event.url} opened={event.opened} />;
    case "waiting_for_callback":
      return (
        <div>
          Waiting for the callback on <code>{event.redirect_uri}</code> (gives up in {durationInWords(event.timeout_secs)}).
          {waiting && (
            <div>
              <Progress label="Finish the login and consent in your browser…" sinceMs={at} testId="callback-wait" />
            </div>
          )}
        </div>
      );
    case "callback_received":
      return (
        <div>
          Callback received: state matched{event.iss_checked ? "; issuer (iss) checked, RFC 9207" : ""}.
        </div>
      );
    case "device_code":
      return (
        <div>
          Device code issued: enter <strong>{event.user_code}</strong> at <span className="selectable">{event.verification_uri}</span>
          {event.opened ? " (opened in your browser)" : ""}.
        </div>
      );
    case "device_poll":
      return <div>Polling the token endpoint: {pollStatusInWords(event)}</div>;
    case "exchange":
      return (
        <ul className="transcript">
          <ExchangeView exchange={event.exchange} index={at} />
        </ul>
      );
    case "token_received":
      return (
        <div>
          Token received and stored in the keychain (grant <code>{event.grant_id}</code>).
        </div>
      );
  }
}

// `started` names the flow and is not shown: useLoginFlow keeps its id, not a timeline entry.
const TITLES: Record<TimelineEvent["kind"], string> = {
  step: "Step",
  authorization_url: "Authorization URL",
  waiting_for_callback: "Waiting for callback",
  callback_received: "Callback received",
  device_code: "Device code",
  device_poll: "Device poll",
  token_received: "Token received",
  exchange: "HTTP exchange",
};

interface Props {
  events: TimedEvent[];
  startedAt: number;
  running: boolean;
}

/** The flow as it happens, one entry per FlowEvent, in arrival order. */
export default function FlowTimeline({ events, startedAt, running }: Props) {
  return (
    <ol className="timeline" data-testid="timeline" aria-label="Flow timeline" aria-live="polite">
      {events.length === 0 && running && (
        <li className="timeline-event">
          <Progress label="Starting the flow…" sinceMs={startedAt} />
        </li>
      )}
      {events.map(({ event, at }, i) => {
        const waiting = running && event.kind === "waiting_for_callback" && !events.slice(i + 1).some((e) => e.event.kind === "callback_received");
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: events are only appended (a device poll replaces the last one in place), so the position is their identity
          <li key={i} className="timeline-event" data-testid="timeline-event" data-kind={event.kind}>
            <div className="timeline-head">
              <strong>{TITLES[event.kind]}</strong> <span className="muted">+{Math.max(0, Math.round((at - startedAt) / 1000))} s</span>
            </div>
            {describe(event, waiting, at)}
          </li>
        );
      })}
    </ol>
  );
}
