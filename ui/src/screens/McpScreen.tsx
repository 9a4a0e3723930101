import { useEffect, useRef, useState, type FormEvent } from "react";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import Field from "../components/Field";
import FlowTimeline from "../components/FlowTimeline";
import McpReportView from "../components/McpReportView";
import { useClients } from "../lib/queries";
import { reveal } from "../lib/scroll";
import type { McpFlow } from "../lib/useMcpFlow";
import "../styles/resource.css";

interface Props {
  flow: McpFlow;
  /** A login runs on Authorize: the Rust side runs one flow at a time. */
  loginRunning: boolean;
}

/** "MCP server": the MCP authorization flow step by step on the timeline (initialize → 401 →
 *  protected resource metadata → authorization server metadata → client → login → initialize
 *  → tools/list), ending on the tools and the conformance per MCP revision. */
export default function McpScreen({ flow, loginRunning }: Props) {
  const { state } = flow;
  const { data: clients, error: clientsError } = useClients();
  const names = clients?.map((c) => c.name) ?? null;
  const [url, setUrl] = useState(state.url ?? "");
  const [client, setClient] = useState("");
  const [cimd, setCimd] = useState("");
  const [audience, setAudience] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const running = state.phase === "running";
  const endRef = useRef<HTMLDivElement>(null);

  // The end of the flow (or its failure) appears below the timeline: bring it into view.
  const ended = state.phase === "done" || state.phase === "error" ? `${state.startedAt}:${state.phase}` : null;
  useEffect(() => {
    if (ended !== null) reveal(endRef.current);
  }, [ended]);

  const connect = (e: FormEvent) => {
    e.preventDefault();
    const target = url.trim();
    if (!/^https?:\/\/\S+$/i.test(target)) {
      setFormError("Type the MCP server's endpoint URL, e.g. https://mcp.example.com/mcp.");
      return;
    }
    setFormError(null);
    flow.start(target, {
      client: client || null,
      client_id_metadata_url: cimd.trim() || null,
      probe_audience: audience || null,
      no_login: false,
      no_open: false,
      insecure: false,
    });
  };

  return (
    <div className="mcp">
      {clientsError && <ErrorMessage error={clientsError} title="Could not load the clients" />}
      <form className="panel" onSubmit={connect} aria-label="Connect to an MCP server">
        <fieldset disabled={running} className="plain">
          <Field id="mcp-url" label="MCP server URL" help="The Streamable HTTP endpoint. OAuth Desk sends initialize without a token and follows the 401 from there.">
            <input id="mcp-url" data-testid="mcp-url" placeholder="https://mcp.example.com/mcp" value={url} onChange={(e) => setUrl(e.target.value)} />
          </Field>
          <div className="grid-2">
            <div className="field">
              <ClientSelect id="mcp-client" testId="mcp-client" label="Client" names={names} value={client} onChange={setClient} noneLabel="Find one made for it, or make one" />
            </div>
            <Field id="mcp-cimd" label="Client ID Metadata Document URL (optional)" help="Used when the server accepts them; else the client is registered dynamically.">
              <input id="mcp-cimd" data-testid="mcp-cimd" placeholder="https://app.example.com/oauth-client.json" value={cimd} onChange={(e) => setCimd(e.target.value)} />
            </Field>
          </div>
          <div className="field">
            <ClientSelect id="mcp-audience" testId="mcp-audience" label="Test the audience check with the token of" names={names} value={audience} onChange={setAudience} noneLabel="Do not test" />
            <p className="help">Presents that client's token, issued for another resource, to see whether the server refuses it. The server sees the token: choose a test client.</p>
          </div>
        </fieldset>
        {formError && (
          <p className="field-error" role="alert" data-testid="mcp-form-error">
            {formError}
          </p>
        )}
        {loginRunning && !running && (
          <p className="notice" role="status" data-testid="mcp-login-running">
            A login is running on Authorize; connect once it has ended (one flow runs at a time).
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="btn btn-primary" data-testid="mcp-connect" disabled={running || loginRunning}>
            Connect (may open your browser)
          </button>
          {running && (
            <button type="button" className="btn btn-danger" data-testid="mcp-cancel" onClick={flow.cancel}>
              Cancel
            </button>
          )}
          {!running && state.phase !== "idle" && (
            <button type="button" className="btn" data-testid="mcp-clear" onClick={flow.reset}>
              Clear
            </button>
          )}
        </div>
      </form>

      {state.phase !== "idle" && (
        <section className="panel">
          <h3>
            Timeline <span className="muted">({state.url})</span>
          </h3>
          <FlowTimeline events={state.events} startedAt={state.startedAt ?? Date.now()} running={running} />
        </section>
      )}
      <div ref={endRef}>
        {state.report && <McpReportView report={state.report} />}
        {state.phase === "error" && state.error && <ErrorMessage error={state.error} title="The MCP flow stopped" testId="mcp-error" />}
        {state.cancelError && <ErrorMessage error={state.cancelError} title="Could not cancel" />}
      </div>
    </div>
  );
}
