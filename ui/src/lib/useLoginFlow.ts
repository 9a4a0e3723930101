// The running (or last) login flow, kept above the screens so switching screens mid-flow loses
// nothing: the flow's id, the timeline of FlowEvents and the outcome. The flow's redacted HTTP
// exchanges are read by its id once it ended (FlowOutcome), so they are this flow's, never another's.
import { type Dispatch, type SetStateAction, useCallback, useRef, useState } from "react";
import { cancelLogin, login, type FlowEvent, type GrantView, type LoginRequest, type LoginResult } from "../api";
import { errorInWords, type ErrorInWords } from "./errors";
import { GRANTS } from "./queries";
import { invalidate } from "./useQuery";

/** What the timeline shows: every event but `started`, which only names the flow. */
export type TimelineEvent = Exclude<FlowEvent, { kind: "started" }>;

export interface TimedEvent {
  event: TimelineEvent;
  /** `Date.now()` when the event arrived. */
  at: number;
  /** For an event updated in place (the polling row): when its first version arrived. */
  since?: number;
}

export type FlowPhase = "idle" | "running" | "success" | "error";

export interface FlowState {
  phase: FlowPhase;
  client: string | null;
  request: LoginRequest | null;
  /** From the `started` event (or the result): the key of the flow's transcript. */
  flowId: string | null;
  startedAt: number | null;
  events: TimedEvent[];
  result: GrantView | null;
  error: ErrorInWords | null;
  cancelError: ErrorInWords | null;
}

const IDLE: FlowState = {
  phase: "idle",
  client: null,
  request: null,
  flowId: null,
  startedAt: null,
  events: [],
  result: null,
  error: null,
  cancelError: null,
};

/**
 * Adds an event. Device polling is one live row: a poll status replaces the previous one where it
 * stands (the engine sends one a second, and the "not yet" answers are not sent one by one).
 */
export function appendEvent(events: TimedEvent[], next: TimedEvent): TimedEvent[] {
  if (next.event.kind === "device_poll" || next.event.kind === "ciba_wait") {
    const kind = next.event.kind;
    const at = events.findIndex((e) => e.event.kind === kind);
    // The row's status and time are the newest; `since` keeps when polling started.
    if (at >= 0) return events.map((e, i) => (i === at ? { ...next, since: e.since ?? e.at } : e));
  }
  return [...events, next];
}

export interface LoginFlow {
  state: FlowState;
  start: (client: string, request: LoginRequest) => void;
  cancel: () => void;
  reset: () => void;
}

export function useLoginFlow(): LoginFlow {
  const [state, setState] = useState<FlowState>(IDLE);
  const run = useRef(0);

  const start = useCallback((client: string, request: LoginRequest) => {
    const id = ++run.current;
    const live = () => run.current === id;
    setState({ ...IDLE, phase: "running", client, request, startedAt: Date.now() });
    const onEvent = (event: FlowEvent) => {
      if (!live()) return;
      if (event.kind === "started") {
        const flowId = event.flow_id;
        setState((s) => ({ ...s, flowId }));
      } else {
        setState((s) => ({ ...s, events: appendEvent(s.events, { event, at: Date.now() }) }));
      }
    };
    let pending: Promise<LoginResult>;
    try {
      pending = login(client, request, onEvent);
    } catch (e) {
      pending = Promise.reject(e);
    }
    pending.then(
      ({ flow_id, grant }) => {
        if (!live()) return;
        setState((s) => ({ ...s, phase: "success", flowId: flow_id, result: grant }));
      },
      (e: unknown) => {
        if (!live()) return;
        setState((s) => ({ ...s, phase: "error", error: errorInWords(e) }));
      },
    );
    // A new grant, or a failure in the history: what other screens cached is out of date.
    void pending.then(
      () => invalidate(GRANTS),
      () => invalidate(GRANTS),
    );
  }, []);

  const cancel = useCallback(() => cancelRunningFlow(setState), []);

  const reset = useCallback(() => {
    run.current++;
    setState(IDLE);
  }, []);

  return { state, start, cancel, reset };
}

/** Asks the Rust side to cancel the running flow (login or MCP: they share one slot); when none
 *  was running, or the request failed, says so in the flow's `cancelError`. */
export function cancelRunningFlow<S extends { phase: string; cancelError: ErrorInWords | null }>(setState: Dispatch<SetStateAction<S>>): void {
  cancelLogin()
    .then((stopped) => {
      if (!stopped) {
        setState((s) =>
          s.phase === "running"
            ? { ...s, cancelError: { code: "error", message: "No flow was running on the Rust side; it may have just finished.", hint: null, oauth: null, checks: null } }
            : s,
        );
      }
    })
    .catch((e: unknown) => setState((s) => ({ ...s, cancelError: errorInWords(e) })));
}
