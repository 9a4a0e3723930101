import { useState, type FormEvent } from "react";
import { addResourceClient, probeResource, type ClientIdentity, type ProbeAnswer, type ResourceClient, type ServerProbe } from "../api";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import { useClients } from "../lib/queries";
import ErrorMessage from "./ErrorMessage";
import Field from "./Field";
import Progress from "./Progress";
import ResourceProbeView from "./ResourceProbeView";

type IdentityKind = ClientIdentity["kind"];

/** The client's default name: the resource's host (and port), made unique among `taken`. */
export function defaultClientName(url: string, taken: readonly string[]): string {
  let base: string;
  try {
    const u = new URL(url);
    base = `${u.host}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    base = "API client";
  }
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const name = `${base} (${n})`;
    if (!taken.includes(name)) return name;
  }
}

/** How to be a client of `server` when nothing was chosen: dynamic registration when offered,
 *  else a Client ID Metadata Document when accepted, else an existing client ID. */
export function defaultIdentity(server: ServerProbe | undefined): IdentityKind {
  if (server?.registration_endpoint) return "register";
  if (server?.client_id_metadata_document_supported) return "metadata_document";
  return "existing";
}

interface MakeProps {
  answer: ProbeAnswer;
  url: string;
  mcp: boolean;
  insecure: boolean;
  onCreated: (made: ResourceClient) => void;
}

/** "Make a client": name, identity, scopes, and the authorization server when the resource names several. */
function MakeClient({ answer, url, mcp, insecure, onCreated }: MakeProps) {
  const names = useClients().data?.map((c) => c.name) ?? [];
  const usable = answer.probe.servers.filter((s) => s.metadata !== null);
  const [issuer, setIssuer] = useState(usable[0]?.issuer ?? "");
  const server = usable.find((s) => s.issuer === issuer);
  const [name, setName] = useState(() => defaultClientName(url, names));
  const [kind, setKind] = useState<IdentityKind>(() => defaultIdentity(usable[0]));
  const [clientId, setClientId] = useState("");
  const [secret, setSecret] = useState("");
  const [cimdUrl, setCimdUrl] = useState("");
  const [scopes, setScopes] = useState(answer.suggested_scopes.join(" "));
  const [since, setSince] = useState<number | null>(null);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  if (usable.length === 0) {
    return (
      <p className="notice" data-testid="resource-no-server">
        No authorization server of this resource could be discovered, so no client can be made from it here. Add one with New client and the issuer you know,
        with the parameter resource={answer.probe.resource}.
      </p>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    let identity: ClientIdentity;
    if (kind === "existing") {
      if (clientId.trim() === "") return setFormError("Type the client ID the authorization server issued.");
      identity = { kind, client_id: clientId.trim() };
    } else if (kind === "metadata_document") {
      if (cimdUrl.trim() === "") return setFormError("Type the HTTPS URL of the Client ID Metadata Document.");
      identity = { kind, url: cimdUrl.trim() };
    } else {
      identity = { kind };
    }
    if (name.trim() === "") return setFormError("The client needs a name.");
    setSince(Date.now());
    setError(null);
    try {
      const made = await addResourceClient(
        { name: name.trim(), resource_url: url, issuer: usable.length > 1 ? issuer : null, identity, scope: scopes.trim(), mcp, insecure },
        kind === "existing" && secret !== "" ? secret : null,
      );
      setSecret("");
      onCreated(made);
    } catch (err) {
      setError(errorInWords(err));
    } finally {
      setSince(null);
    }
  };

  const radio = (value: IdentityKind, label: string, note: string | null) => (
    <label>
      <input type="radio" name="resource-identity" value={value} data-testid={`resource-identity-${value}`} checked={kind === value} onChange={() => setKind(value)} /> {label}
      {note && <span className="muted"> — {note}</span>}
    </label>
  );

  return (
    <form className="panel" onSubmit={(e) => void submit(e)} aria-label="Make a client" data-testid="resource-make">
      <h3>Make a client</h3>
      <fieldset disabled={since !== null} className="plain">
        {usable.length > 1 && (
          <Field id="resource-issuer" label="Authorization server" help="The resource names several; the client logs in at the one chosen.">
            <select
              id="resource-issuer"
              data-testid="resource-issuer"
              value={issuer}
              onChange={(e) => {
                setIssuer(e.target.value);
                setKind(defaultIdentity(usable.find((s) => s.issuer === e.target.value)));
              }}
            >
              {usable.map((s) => (
                <option key={s.issuer} value={s.issuer}>
                  {s.issuer}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id="resource-name" label="Name">
          <input id="resource-name" data-testid="resource-name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <fieldset className="fieldset">
          <legend>Client</legend>
          <div className="checks">
            {radio("register", "Register dynamically (RFC 7591)", server?.registration_endpoint ? "with an exact loopback redirect URI on a port fixed now" : "the server offers no registration endpoint")}
            {radio("metadata_document", "Client ID Metadata Document URL", server?.client_id_metadata_document_supported ? "the server accepts them" : "the server does not advertise them")}
            {radio("existing", "A client ID the server already issued", null)}
          </div>
          {kind === "existing" && (
            <div className="grid-2">
              <Field id="resource-client-id" label="Client ID">
                <input id="resource-client-id" data-testid="resource-client-id" autoComplete="off" value={clientId} onChange={(e) => setClientId(e.target.value)} />
              </Field>
              <Field id="resource-secret" label="Client secret (optional)" help="Goes to the keychain.">
                <input id="resource-secret" data-testid="resource-secret" type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
              </Field>
            </div>
          )}
          {kind === "metadata_document" && (
            <Field id="resource-cimd" label="Document URL" help="An https URL serving the client's metadata; it becomes the client ID. If it is not there yet, the error says what to publish.">
              <input id="resource-cimd" data-testid="resource-cimd" placeholder="https://app.example.com/oauth-client.json" value={cimdUrl} onChange={(e) => setCimdUrl(e.target.value)} />
            </Field>
          )}
        </fieldset>
        <Field
          id="resource-scopes"
          label="Scopes"
          help={answer.suggested_scopes.length > 0 ? "Suggested from the challenge's scope, else the metadata's scopes_supported." : "Neither the challenge nor the metadata names any."}
        >
          <input id="resource-scopes" data-testid="resource-scopes" value={scopes} onChange={(e) => setScopes(e.target.value)} />
        </Field>
        <p className="help">The resource indicator {answer.probe.metadata?.metadata.resource} (RFC 8707) goes with every authorization, token and refresh request.</p>
      </fieldset>
      {formError && (
        <p className="field-error" role="alert" data-testid="resource-form-error">
          {formError}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="btn btn-primary" data-testid="resource-create" disabled={since !== null}>
          Make the client
        </button>
      </div>
      {since !== null && <Progress label={kind === "register" ? "Registering at the authorization server…" : "Making the client…"} sinceMs={since} />}
      {error && <ErrorMessage error={error} title="No client was made" testId="resource-create-error" />}
    </form>
  );
}

interface Props {
  onCreated: (made: ResourceClient) => void;
  onCancel: () => void;
}

/** "Start from an API": knock on a protected resource without a token, follow it to its
 *  authorization servers (RFC 9728, RFC 8414), and make a client of it. */
export default function StartFromApi({ onCreated, onCancel }: Props) {
  const [url, setUrl] = useState("");
  const [mcp, setMcp] = useState(false);
  const [insecure, setInsecure] = useState(false);
  const [since, setSince] = useState<number | null>(null);
  const [answer, setAnswer] = useState<{ answer: ProbeAnswer; url: string; mcp: boolean; insecure: boolean } | null>(null);
  const [error, setError] = useState<ErrorInWords | null>(null);

  const probe = async (e: FormEvent) => {
    e.preventDefault();
    const target = url.trim();
    if (target === "") {
      setError({ code: "invalid_input", message: "Type the URL of the API first, e.g. https://api.example.com/v1/me.", hint: null, oauth: null });
      return;
    }
    setSince(Date.now());
    setError(null);
    setAnswer(null);
    try {
      setAnswer({ answer: await probeResource(target, { method: null, mcp, insecure }), url: target, mcp, insecure });
    } catch (err) {
      setError(errorInWords(err));
    } finally {
      setSince(null);
    }
  };

  return (
    <div className="start-from-api">
      <h2>Start from an API</h2>
      <form className="panel" data-testid="resource-panel" onSubmit={(e) => void probe(e)} aria-label="Probe a protected resource">
        <p className="help">
          OAuth Desk calls the API without a token, reads its 401 challenge, its protected resource metadata (RFC 9728) and its authorization servers' metadata, and
          says where they depart from the specs. Nothing is sent but these requests.
        </p>
        <Field id="resource-url" label="API URL">
          <input id="resource-url" data-testid="resource-url" placeholder="https://api.example.com/v1/me" value={url} onChange={(e) => setUrl(e.target.value)} />
        </Field>
        <div className="checks">
          <label>
            <input type="checkbox" data-testid="resource-mcp" checked={mcp} onChange={(e) => setMcp(e.target.checked)} /> This is an MCP server (knock with an
            MCP initialize POST)
          </label>
          <label>
            <input type="checkbox" data-testid="resource-insecure" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} /> Allow plain http to
            non-loopback authorization servers (testing only)
          </label>
        </div>
        <div className="button-row">
          <button type="submit" className="btn btn-primary" data-testid="resource-probe" disabled={since !== null}>
            Probe
          </button>
          <button type="button" className="btn" data-testid="resource-cancel" onClick={onCancel}>
            Close
          </button>
        </div>
        {since !== null && <Progress label="Asking the API and its authorization servers…" sinceMs={since} testId="resource-probing" />}
      </form>
      {error && <ErrorMessage error={error} title="The API could not be probed" testId="resource-error" />}
      {answer && (
        <>
          <ResourceProbeView probe={answer.answer.probe} />
          {answer.answer.probe.metadata ? (
            <MakeClient key={answer.answer.probe.url} answer={answer.answer} url={answer.url} mcp={answer.mcp} insecure={answer.insecure} onCreated={onCreated} />
          ) : (
            <p className="notice" data-testid="resource-no-client">
              Without usable protected resource metadata no authorization server can be taken from this API. If you know its issuer, add the client with New
              client and the parameter resource={answer.answer.probe.resource}.
            </p>
          )}
        </>
      )}
    </div>
  );
}
