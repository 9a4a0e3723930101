// The running (or last) login flow, kept above the screens so switching screens mid-flow loses
// nothing: the timeline of FlowEvents, the outcome, and the flow's redacted HTTP exchanges.
import { useCallback, useRef, useState } from "react";
import { cancelLogin, login, transcripts, type FlowEvent, type FlowTranscript, type GrantView, type LoginRequest } from "../api";
import { errorInWords, type ErrorInWords } from "./errors";

export interface TimedEvent {
  event: FlowEvent;
  /** `Date.now()` when the event arrived. */
  at: number;
}

export type FlowPhase = "idle" | "running" | "success" | "error";

export interface FlowState {
  phase: FlowPhase;
  client: string | null;
  request: LoginRequest | null;
  startedAt: number | null;
  events: TimedEvent[];
  result: GrantView | null;
  error: ErrorInWords | null;
  transcript: FlowTranscript | null;
  transcriptError: ErrorInWords | null;
  cancelError: ErrorInWords | null;
}

const IDLE: FlowState = {
  phase: "idle",
  client: null,
  request: null,
  startedAt: null,
  events: [],
  result: null,
  error: null,
  transcript: null,
  transcriptError: null,
  cancelError: null,
};

/** Adds an event; a device poll replaces the previous poll so the timeline stays readable. */
export function appendEvent(events: TimedEvent[], next: TimedEvent): TimedEvent[] {
  const last = events[events.length - 1];
  if (next.event.kind === "device_poll" && last?.event.kind === "device_poll") return [...events.slice(0, -1), next];
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
      if (live()) setState((s) => ({ ...s, events: appendEvent(s.events, { event, at: Date.now() }) }));
    };
    const loadTranscript = () =>
      transcripts(client, 1)
        .then((list) => live() && setState((s) => ({ ...s, transcript: list[0] ?? null })))
        .catch((e: unknown) => live() && setState((s) => ({ ...s, transcriptError: errorInWords(e) })));
    let pending: Promise<GrantView>;
    try {
      pending = login(client, request, onEvent);
    } catch (e) {
      pending = Promise.reject(e);
    }
    pending.then(
      (grant) => {
        if (!live()) return;
        setState((s) => ({ ...s, phase: "success", result: grant }));
        void loadTranscript();
      },
      (e: unknown) => {
        if (!live()) return;
        setState((s) => ({ ...s, phase: "error", error: errorInWords(e) }));
        void loadTranscript();
      },
    );
  }, []);

  const cancel = useCallback(() => {
    cancelLogin()
      .then((stopped) => {
        if (!stopped) {
          setState((s) =>
            s.phase === "running"
              ? { ...s, cancelError: { code: "error", message: "No flow was running on the Rust side; it may have just finished.", hint: null, oauth: null } }
              : s,
          );
        }
      })
      .catch((e: unknown) => setState((s) => ({ ...s, cancelError: errorInWords(e) })));
  }, []);

  const reset = useCallback(() => {
    run.current++;
    setState(IDLE);
  }, []);

  return { state, start, cancel, reset };
}
