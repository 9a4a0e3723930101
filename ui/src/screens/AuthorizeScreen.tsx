import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import type { GrantType } from "../api";
import AuthorizationDetailsEditor from "../components/AuthorizationDetailsEditor";
import ClientSelect from "../components/ClientSelect";
import ErrorMessage from "../components/ErrorMessage";
import FlowOutcome from "../components/FlowOutcome";
import HighAssuranceFields, { EMPTY_HIGH_ASSURANCE, highAssuranceProblem } from "../components/HighAssuranceFields";
import { useCibaSettings } from "../lib/useCibaSettings";
import KeyValueRows from "../components/KeyValueRows";
import ScopeChips from "../components/ScopeChips";
import { checkDetails, detailsText as detailsTextOf } from "../lib/authorizationDetails";
import { rememberChoice, rememberedChoice } from "../lib/authorizeChoice";
import { GRANTS, grantUnavailable, grantWarnings } from "../lib/grants";
import { useClients } from "../lib/queries";
import { splitScopes } from "../lib/scopes";
import { reveal } from "../lib/scroll";
import type { LoginFlow } from "../lib/useLoginFlow";

interface Props {
  flow: LoginFlow;
  /** Preselected from the Clients screen. */
  initialClient: string | null;
  /** The user chose another client here: App keeps it for the next visit. */
  onChooseClient?: (name: string) => void;
  onOpenGrant: (id: string) => void;
  onGoToClients: () => void;
}

export default function AuthorizeScreen({ flow, initialClient, onChooseClient, onOpenGrant, onGoToClients }: Props) {
  const { data: clients, error: loadError } = useClients();
  // What was chosen on the last visit comes back (the screen unmounts when left).
  const [memory] = useState(rememberedChoice);
  const [chosen, setChosen] = useState<string>(initialClient ?? flow.state.client ?? "");
  const [grant, setGrant] = useState<GrantType>(memory?.grant ?? flow.state.request?.grant ?? "authorization_code");
  /** `null` until the user edits them: the chosen client's default scopes are shown. */
  const [editedScopes, setScopes] = useState<string[] | null>(memory && memory.scopesFor === chosen ? memory.scopes : null);
  const [extra, setExtra] = useState<[string, string][]>(memory?.extra ?? []);
  const [resources, setResources] = useState(memory?.resources ?? "");
  /** `null` until edited: the chosen client's default authorization_details (RFC 9396). */
  const [editedDetails, setDetails] = useState<string | null>(null);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  /** CIBA and JWT bearer options; the assertion is cleared once sent. */
  const [highAssurance, setHighAssurance] = useState(EMPTY_HIGH_ASSURANCE);
  const [formError, setFormError] = useState<string | null>(null);
  const running = flow.state.phase === "running";
  const outcomeRef = useRef<HTMLDivElement>(null);

  // The chosen client if the list has it, else the first one.
  const client = useMemo(() => (clients ? (clients.find((c) => c.name === chosen) ?? clients[0] ?? null) : null), [clients, chosen]);
  const clientName = clients ? (client?.name ?? "") : chosen;

  useEffect(() => {
    rememberChoice({ grant, scopes: editedScopes, scopesFor: clientName, resources, extra });
  }, [grant, editedScopes, clientName, resources, extra]);

  // The flow's outcome belongs to the client it ran for: under another client it is not shown.
  const flowHere = flow.state.phase !== "idle" && flow.state.client === clientName;
  const otherRunning = running && !flowHere ? flow.state.client : null;
  // Each milestone (started, waiting for the browser, device code, done) appears below the form:
  // bring it into view.
  const waiting = flow.state.events.some((e) => e.event.kind === "waiting_for_callback");
  const device = flow.state.events.some((e) => e.event.kind === "device_code");
  const milestone = flowHere ? `${flow.state.startedAt}:${flow.state.phase}:${waiting}:${device}` : null;
  useEffect(() => {
    if (milestone !== null) reveal(outcomeRef.current);
  }, [milestone]);
  const defaultScopes = useMemo(() => splitScopes(client?.scopes), [client]);
  const scopes = editedScopes ?? defaultScopes;
  const carriesDetails = grant === "authorization_code" || grant === "device_code" || grant === "client_credentials";
  const detailsText = editedDetails ?? detailsTextOf(client?.authorization_details);
  const choice = GRANTS.find((g) => g.value === grant);
  const warnings = client ? grantWarnings(client, grant) : [];
  const cibaSettings = useCibaSettings(grant === "ciba" ? clientName : null);

  const chooseClient = (name: string) => {
    setChosen(name);
    setScopes(null);
    setDetails(null);
    setFormError(null);
    onChooseClient?.(name);
    // A grant the new client cannot run gives way to the first one it can.
    const next = clients?.find((c) => c.name === name);
    if (next && grantUnavailable(next, grant) !== null) {
      const usable = GRANTS.find((g) => grantUnavailable(next, g.value) === null);
      if (usable) setGrant(usable.value);
    }
  };
  const unavailable = client ? GRANTS.flatMap((g) => {
    const why = grantUnavailable(client, g.value);
    return why === null ? [] : [{ label: g.label, why }];
  }) : [];

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
    const highProblem = highAssuranceProblem(grant, highAssurance);
    if (highProblem) {
      setFormError(highProblem);
      return;
    }
    const details = checkDetails(detailsText);
    if (!details.ok) {
      setFormError(`Authorization details: ${details.message}`);
      return;
    }
    flow.start(client.name, {
      // Edited: what the editor holds (empty = none this time); else the client's default applies.
      authorization_details: editedDetails === null || !carriesDetails ? null : (details.value ?? []),
      grant,
      scope: scopes.join(" "),
      extra_params: [
        ...extra.filter(([k]) => k.trim() !== "").map(([k, v]): [string, string] => [k.trim(), v]),
        ...resourceList.map((r): [string, string] => ["resource", r]),
      ],
      username: grant === "password" ? username.trim() : null,
      password: grant === "password" ? password : null,
      high_assurance: grant === "ciba" || grant === "jwt_bearer" ? highAssurance : null,
    });
    setPassword("");
    setHighAssurance((h) => ({ ...h, assertion: null }));
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
                {GRANTS.map((g) => {
                  const why = client ? grantUnavailable(client, g.value) : null;
                  return (
                    <option key={g.value} value={g.value} disabled={why !== null && g.value !== grant} title={why ?? undefined}>
                      {why === null ? g.label : `${g.label} — unavailable`}
                    </option>
                  );
                })}
              </select>
            </div>
          </div>
          {unavailable.length > 0 && (
            <p className="help" data-testid="grant-unavailable">
              Not available for this client: {unavailable.map((u) => `${u.label} (${u.why})`).join("; ")}.
            </p>
          )}
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

          {(grant === "ciba" || grant === "jwt_bearer") && <HighAssuranceFields grant={grant} value={highAssurance} onChange={setHighAssurance} settings={cibaSettings} />}

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

          {carriesDetails && (
            <AuthorizationDetailsEditor
              value={detailsText}
              onChange={setDetails}
              types={client?.metadata?.authorization_details_types_supported ?? []}
              testId="authorize-rar"
              help={`Sent in the ${grant === "client_credentials" ? "token" : grant === "device_code" ? "device authorization" : "authorization (or pushed)"} request. Starts from the client's default.`}
            />
          )}

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
          <button type="submit" className="btn btn-primary" data-testid="authorize-start" data-shortcut="authorize" title="Ctrl+Enter" disabled={running || !client}>
            {grant === "authorization_code" || grant === "implicit" ? "Start (opens your browser)" : "Start"}
          </button>
          {running && (
            <button type="button" className="btn btn-danger" data-testid="authorize-cancel" onClick={flow.cancel}>
              Cancel
            </button>
          )}
          {!running && flowHere && (
            <button type="button" className="btn" onClick={flow.reset}>
              Clear
            </button>
          )}
        </div>
      </form>

      {otherRunning !== null && (
        <p className="notice" role="status" data-testid="authorize-other-flow">
          A flow for “{otherRunning}” is running; its progress is shown under that client.{" "}
          <button type="button" className="btn btn-small" data-testid="authorize-show-running" onClick={() => chooseClient(otherRunning)}>
            Show it
          </button>
        </p>
      )}
      <div ref={outcomeRef}>{flowHere && <FlowOutcome state={flow.state} onOpenGrant={onOpenGrant} />}</div>
    </div>
  );
}
