import type { ReactNode } from "react";
import { openInBrowser, type FlowEvent } from "../api";
import type { TimedEvent } from "../lib/useLoginFlow";
import { durationInWords } from "../lib/time";
import { visible } from "../lib/text";
import { msInWords, offsetInWords } from "../lib/transcript";
import { cibaEntry } from "./CibaPanel";
import Progress from "./Progress";
import { ExchangeView } from "./TranscriptView";
import "../styles/timeline.css";

type DevicePoll = Extract<FlowEvent, { kind: "device_poll" }>;

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
          ? "Opened the authorization request in your browser (the app window never shows it, RFC 8252)."
          : "Open this authorization URL in your browser; it could not be opened automatically."}
      </div>
      <div className="url selectable">{visible(url, false)}</div>
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
                  <code>{visible(k, false)}</code>
                </th>
                <td className="selectable">{visible(v, false)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the polling row says: live while the flow runs, the result once it ended. */
export function pollingInWords(p: DevicePoll, running: boolean, ended: "approved" | "denied" | "stopped", finalPoll: boolean): string {
  const polls = p.polls + (finalPoll ? 1 : 0);
  if (!running) {
    const count = plural(polls, "poll", "polls");
    if (ended === "approved") return `Polled the token endpoint: ${count}; approved on the last.`;
    if (ended === "denied") return `Polled the token endpoint: ${count}; the last answer was the refusal.`;
    return `Polled the token endpoint: ${count}; polling stopped.`;
  }
  if (p.last === "waiting") return `Polling: first poll in ${p.next_poll_in_secs} s.`;
  const interval = p.last === "slow_down" ? `, now every ${p.interval_secs} s` : "";
  return `Polling: ${plural(p.polls, "poll", "polls")}, last answer ${p.last}${interval}, next in ${p.next_poll_in_secs} s.`;
}

interface Shown {
  title: string;
  body: ReactNode;
  /** Milliseconds from the flow's start. */
  offset: number;
  /** How long the step took, when it has a length. */
  took: number | null;
  live: boolean;
}

function entry(events: TimedEvent[], i: number, startedAt: number, running: boolean): Shown {
  const { event, at: arrived, since } = events[i];
  const at = since ?? arrived;
  const later = events.slice(i + 1);
  const base = { offset: at - startedAt, took: null, live: false };
  switch (event.kind) {
    case "step":
      return { ...base, title: visible(event.name, false), body: null };
    case "authorization_url":
      return { ...base, title: event.opened ? "Authorization request opened" : "Authorization URL", body: <AuthorizationUrl url={event.url} opened={event.opened} /> };
    case "waiting_for_callback": {
      const callback = later.find((e) => e.event.kind === "callback_received");
      const waiting = running && !callback;
      return {
        ...base,
        title: waiting ? "Waiting for the callback" : "Waited for the callback",
        took: callback ? callback.at - at : null,
        live: waiting,
        body: (
          <div>
            {waiting ? "Waiting" : "Waited"} for the callback on <code>{event.redirect_uri}</code>
            {waiting ? ` (gives up in ${durationInWords(event.timeout_secs)}).` : "."}
            {waiting && (
              <div>
                <Progress label="Finish the login and consent in your browser…" sinceMs={at} testId="callback-wait" />
              </div>
            )}
          </div>
        ),
      };
    }
    case "callback_received":
      return { ...base, title: "Callback received", body: <div>State matched{event.iss_checked ? "; issuer (iss) checked, RFC 9207" : ""}.</div> };
    case "device_code":
      return {
        ...base,
        title: "Device code issued",
        body: (
          <div>
            Code <strong>{visible(event.user_code, false)}</strong> for <span className="selectable">{visible(event.verification_uri, false)}</span>
            {event.opened ? " (opened in your browser)" : ""}.
          </div>
        ),
      };
    case "device_poll": {
      const final = later.find((e) => e.event.kind === "exchange" && e.event.exchange.step === "device token poll");
      const approved = later.some((e) => e.event.kind === "token_received") || (final?.event.kind === "exchange" && final.event.exchange.response?.status === 200);
      const ended = approved ? "approved" : final ? "denied" : "stopped";
      return {
        ...base,
        title: running ? "Polling" : "Polled",
        took: running ? null : (final?.at ?? arrived) - at,
        live: running,
        body: (
          <div data-testid="polling-row" data-polls={event.polls}>
            {pollingInWords(event, running, ended, final !== undefined)}
          </div>
        ),
      };
    }
    case "exchange":
      return {
        ...base,
        // When the request went out, on the same clock as the flow's start.
        offset: event.exchange.started_at_ms - startedAt,
        took: event.exchange.duration_ms,
        title: "HTTP exchange",
        body: (
          <ul className="transcript">
            <ExchangeView exchange={event.exchange} index={i} />
          </ul>
        ),
      };
    case "ciba_requested":
    case "ciba_wait":
      return { ...base, ...cibaEntry(event, running), live: running && event.kind === "ciba_wait" };
    case "token_received":
      return {
        ...base,
        title: "Token received",
        body: (
          <div>
            Stored in the keychain (grant <code>{event.grant_id}</code>).
          </div>
        ),
      };
  }
}

interface Props {
  events: TimedEvent[];
  startedAt: number;
  running: boolean;
}

/** The flow as it happened: one entry per step, with its offset from the start and how long it took. */
export default function FlowTimeline({ events, startedAt, running }: Props) {
  return (
    <ol className="timeline" data-testid="timeline" aria-label="Flow timeline" aria-live="polite">
      {events.length === 0 && running && (
        <li className="timeline-event">
          <Progress label="Starting the flow…" sinceMs={startedAt} />
        </li>
      )}
      {events.map((e, i) => {
        const shown = entry(events, i, startedAt, running);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: events are only appended (the polling row is updated in place), so the position is their identity
          <li key={i} className="timeline-event" data-testid="timeline-event" data-kind={e.event.kind} data-state={shown.live ? "live" : "done"}>
            <div className="timeline-head">
              <strong>{shown.title}</strong>{" "}
              <span className="muted timeline-offset" data-testid="timeline-offset">
                {offsetInWords(shown.offset)}
              </span>
              {shown.took !== null && (
                <span className="muted timeline-duration" data-testid="timeline-duration">
                  {" "}
                  · took {msInWords(shown.took)}
                </span>
              )}
            </div>
            {shown.body}
          </li>
        );
      })}
    </ol>
  );
}
