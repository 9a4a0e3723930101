// The running (or last) MCP authorization flow, kept above the screens like the login flow: its
// timeline of FlowEvents (each step, HTTP exchange and browser hand-off as it happens) and the
// report it ended with. `cancelLogin` stops it: the Rust side runs one flow at a time.
import { useCallback, useRef, useState } from "react";
import { mcpFlow, type FlowEvent, type McpOptions, type McpReport } from "../api";
import { errorInWords, type ErrorInWords } from "./errors";
import { CLIENTS, GRANTS } from "./queries";
import { appendEvent, cancelRunningFlow, type TimedEvent } from "./useLoginFlow";
import { invalidate } from "./useQuery";

export type McpPhase = "idle" | "running" | "done" | "error";

export interface McpFlowState {
  phase: McpPhase;
  url: string | null;
  startedAt: number | null;
  events: TimedEvent[];
  report: McpReport | null;
  error: ErrorInWords | null;
  cancelError: ErrorInWords | null;
}

const IDLE: McpFlowState = { phase: "idle", url: null, startedAt: null, events: [], report: null, error: null, cancelError: null };

export interface McpFlow {
  state: McpFlowState;
  start: (url: string, options: McpOptions) => void;
  cancel: () => void;
  reset: () => void;
}

export function useMcpFlow(): McpFlow {
  const [state, setState] = useState<McpFlowState>(IDLE);
  const run = useRef(0);

  const start = useCallback((url: string, options: McpOptions) => {
    const id = ++run.current;
    const live = () => run.current === id;
    setState({ ...IDLE, phase: "running", url, startedAt: Date.now() });
    const onEvent = (event: FlowEvent) => {
      // `started` only names a flow (the MCP flow's, then its login's): nothing to show.
      if (!live() || event.kind === "started") return;
      setState((s) => ({ ...s, events: appendEvent(s.events, { event, at: Date.now() }) }));
    };
    let pending: Promise<McpReport>;
    try {
      pending = mcpFlow(url, options, onEvent);
    } catch (e) {
      pending = Promise.reject(e);
    }
    pending.then(
      (report) => {
        if (live()) setState((s) => ({ ...s, phase: "done", report }));
      },
      (e: unknown) => {
        if (live()) setState((s) => ({ ...s, phase: "error", error: errorInWords(e) }));
      },
    );
    // A client may have been made and a grant stored, even by a flow that failed later.
    const changed = () => void Promise.all([invalidate(CLIENTS), invalidate(GRANTS)]);
    void pending.then(changed, changed);
  }, []);

  const cancel = useCallback(() => cancelRunningFlow(setState), []);

  const reset = useCallback(() => {
    run.current++;
    setState(IDLE);
  }, []);

  return { state, start, cancel, reset };
}
