import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import type { GrantType } from "../api";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import FlowOutcome from "../components/FlowOutcome";
import KeyValueRows from "../components/KeyValueRows";
import ScopeChips from "../components/ScopeChips";
import { GRANTS, grantWarnings } from "../lib/grants";
import { useClients } from "../lib/queries";
import { splitScopes } from "../lib/scopes";
import { reveal } from "../lib/scroll";
import type { LoginFlow } from "../lib/useLoginFlow";

interface Props {
  flow: LoginFlow;
  /** Preselected from the Clients screen. */
  initialClient: string | null;
  onOpenGrant: (id: string) => void;
  onGoToClients: () => void;
}

export default function AuthorizeScreen({ flow, initialClient, onOpenGrant, onGoToClients }: Props) {
  const { data: clients, error: loadError } = useClients();
  const [chosen, setChosen] = useState<string>(initialClient ?? flow.state.client ?? "");
  const [grant, setGrant] = useState<GrantType>(flow.state.request?.grant ?? "authorization_code");
  /** `null` until the user edits them: the chosen client's default scopes are shown. */
  const [editedScopes, setScopes] = useState<string[] | null>(null);
  const [extra, setExtra] = useState<[string, string][]>([]);
  const [resources, setResources] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const running = flow.state.phase === "running";
  const outcomeRef = useRef<HTMLDivElement>(null);

  // A new flow's timeline starts below the form: bring it into view.
  useEffect(() => {
    if (flow.state.startedAt !== null && flow.state.phase === "running") reveal(outcomeRef.current);
  }, [flow.state.startedAt, flow.state.phase]);

  // The chosen client if the list has it, else the first one.
  const client = useMemo(() => (clients ? (clients.find((c) => c.name === chosen) ?? clients[0] ?? null) : null), [clients, chosen]);
  const clientName = clients ? (client?.name ?? "") : chosen;
  const defaultScopes = useMemo(() => splitScopes(client?.scopes), [client]);
  const scopes = editedScopes ?? defaultScopes;
  const choice = GRANTS.find((g) => g.value === grant);
  const warnings = client ? grantWarnings(client, grant) : [];

  const chooseClient = (name: string) => {
    setChosen(name);
    setScopes(null);
    setFormError(null);
  };

  const start = (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    if (!client) {
      setFormError("Choose a client first.");
      return;
    }
    if (grant === "password" && (username.trim() === "" || password === "")) {
      setFormError("The password grant needs the user's username and password.");
      return;
    }
    const unnamed = extra.find(([k, v]) => k.trim() === "" && v !== "");
    if (unnamed) {
      setFormError(`The extra parameter with the value "${unnamed[1]}" has no name.`);
      return;
    }
    const resourceList = resources.split(/\s+/).filter(Boolean);
    const notUri = resourceList.find((r) => !/^[a-z][a-z0-9+.-]*:\S+$/i.test(r));
    if (notUri) {
      setFormError(`The resource "${notUri}" is not an absolute URI (RFC 8707 §2), e.g. https://api.example.com.`);
      return;
    }
    flow.start(client.name, {
      grant,
      scope: scopes.join(" "),
      extra_params: [
        ...extra.filter(([k]) => k.trim() !== "").map(([k, v]): [string, string] => [k.trim(), v]),
        ...resourceList.map((r): [string, string] => ["resource", r]),
      ],
      username: grant === "password" ? username.trim() : null,
      password: grant === "password" ? password : null,
    });
    setPassword("");
  };

  if (clients !== undefined && clients.length === 0) {
    return (
      <div className="empty-state">
        <h2>No clients yet</h2>
        <p>Register a client first; then pick it here and a grant to run.</p>
        <button type="button" className="btn btn-primary" onClick={onGoToClients}>
          Go to Clients
        </button>
      </div>
    );
  }

  return (
    <div className="authorize">
      {loadError && <ErrorMessage error={loadError} title="Could not load the clients" />}
      <form className="panel authorize-form" onSubmit={start} aria-label="Start a flow">
        <fieldset disabled={running} className="plain">
          <div className="grid-2">
            <div className="field">
              <ClientSelect id="az-client" testId="authorize-client" label="Client" names={clients?.map((c) => c.name) ?? null} value={clientName} onChange={chooseClient} />
            </div>
            <div className="field">
              <label htmlFor="az-grant">Grant</label>
              <select id="az-grant" data-testid="authorize-grant" value={grant} onChange={(e) => setGrant(e.target.value as GrantType)}>
                {GRANTS.map((g) => (
                  <option key={g.value} value={g.value}>
                    {g.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {choice?.legacy && (
            <p className="warning-text" data-testid="grant-legacy-note">
              {choice.legacy}
            </p>
          )}
          {warnings.map((w) => (
            <p key={w} className="warning-text" data-testid="grant-warning">
              {w}
            </p>
          ))}

          <ScopeChips scopes={scopes} onChange={setScopes} suggestions={client?.metadata?.scopes_supported ?? []} />

          {grant === "password" && (
            <div className="grid-2">
              <div className="field">
                <label htmlFor="az-username">Username</label>
                <input id="az-username" data-testid="authorize-username" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor="az-password">Password</label>
                <input
                  id="az-password"
                  data-testid="authorize-password"
                  type="password"
                  autoComplete="off"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </div>
            </div>
          )}

          <div className="field">
            <label htmlFor="az-resource">Resource (RFC 8707)</label>
            <input
              id="az-resource"
              data-testid="authorize-resource"
              value={resources}
              placeholder="https://api.example.com (optional; several separated by spaces)"
              onChange={(e) => setResources(e.target.value)}
            />
            <p className="help">The API the access token is for. Sent in the authorization and token requests, and again on every refresh.</p>
          </div>

          <fieldset className="fieldset">
            <legend>Extra parameters</legend>
            <p className="help">
              Added to this flow's requests (e.g. prompt=consent, audience){client && client.extra_params.length > 0 ? `, on top of the client's own: ${client.extra_params.map(([k, v]) => `${k}=${v}`).join(", ")}` : ""}.
            </p>
            <KeyValueRows rows={extra} onChange={setExtra} noun="Parameter" testId="authorize-extra-params" />
          </fieldset>
        </fieldset>

        {formError && (
          <p className="field-error" role="alert" data-testid="authorize-form-error">
            {formError}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="btn btn-primary" data-testid="authorize-start" disabled={running || !client}>
            {grant === "authorization_code" || grant === "implicit" ? "Start (opens your browser)" : "Start"}
          </button>
          {running && (
            <button type="button" className="btn btn-danger" data-testid="authorize-cancel" onClick={flow.cancel}>
              Cancel
            </button>
          )}
          {!running && flow.state.phase !== "idle" && (
            <button type="button" className="btn" onClick={flow.reset}>
              Clear
            </button>
          )}
        </div>
      </form>

      <div ref={outcomeRef}>{flow.state.phase !== "idle" && <FlowOutcome state={flow.state} onOpenGrant={onOpenGrant} />}</div>
    </div>
  );
}
