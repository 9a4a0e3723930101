import { useState, type FormEvent } from "react";
import { addClient, discover, updateClient, type AuthMethod, type Client, type ServerMetadata } from "../api";
import AuthorizationDetailsEditor from "../components/AuthorizationDetailsEditor";
import CibaSettingsPanel from "../components/CibaSettingsPanel";
import ClientCertificate from "../components/ClientCertificate";
import DiscoverySummary from "../components/DiscoverySummary";
import ErrorMessage from "../components/ErrorMessage";
import PresetPicker from "../components/PresetPicker";
import RegistrationInfo from "../components/RegistrationInfo";
import Field, { described } from "../components/Field";
import KeyValueRows from "../components/KeyValueRows";
import JarJarmFields from "../components/JarJarmFields";
import Progress from "../components/Progress";
import {
  AUTH_METHODS, ENDPOINTS, discoveredValue, emptyForm, fillFromDiscovery, formFromClient, specFromForm, validateClientForm,
  type ClientForm, type EndpointKey, type FormErrors,
} from "../lib/clientForm";
import { errorInWords, type ErrorInWords } from "../lib/errors";

interface Props {
  /** `null` for a new client. */
  client: Client | null;
  onSaved: (client: Client) => void;
  onDuplicate: () => void;
  onDelete: () => void;
  onAuthorize: () => void;
  /** The client was removed (its dynamic registration deleted). */
  onRemoved?: () => void;
}

const ID_TOKEN_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256", "HS384", "HS512"];

export default function ClientEditor({ client, onSaved, onDuplicate, onDelete, onAuthorize, onRemoved }: Props) {
  const [form, setForm] = useState<ClientForm>(() => (client ? formFromClient(client) : emptyForm()));
  const [meta, setMeta] = useState<ServerMetadata | null>(client?.metadata ?? null);
  const [freshMeta, setFreshMeta] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  const [serverError, setServerError] = useState<ErrorInWords | null>(null);
  const [discoveryError, setDiscoveryError] = useState<ErrorInWords | null>(null);
  const [discoveringSince, setDiscoveringSince] = useState<number | null>(null);
  const [savingSince, setSavingSince] = useState<number | null>(null);
  const [saved, setSaved] = useState(false);
  const hasStoredSecret = client?.has_secret ?? false;

  const set = <K extends keyof ClientForm>(key: K, value: ClientForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setSaved(false);
  };
  const setEndpoint = (key: EndpointKey, value: string) => set("endpoints", { ...form.endpoints, [key]: value });

  const runDiscovery = async () => {
    setDiscoveryError(null);
    if (form.issuer.trim() === "") {
      setErrors((e) => ({ ...e, issuer: "Type the issuer URL first, e.g. https://login.example.com." }));
      return;
    }
    setDiscoveringSince(Date.now());
    try {
      const ca = form.caPem.trim();
      const found = ca === "" ? await discover(form.issuer.trim(), form.insecure) : await discover(form.issuer.trim(), form.insecure, ca);
      setForm((f) => fillFromDiscovery(f, meta, found));
      setMeta(found);
      setFreshMeta(true);
      setErrors((e) => ({ ...e, issuer: undefined, endpoints: undefined }));
    } catch (e) {
      setDiscoveryError(errorInWords(e));
    } finally {
      setDiscoveringSince(null);
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setServerError(null);
    setSaved(false);
    const found = validateClientForm(form, hasStoredSecret);
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    setSavingSince(Date.now());
    try {
      const spec = specFromForm(form, meta);
      const secret = form.secret === "" ? null : form.secret;
      const result = client ? await updateClient(client.name, spec, secret) : await addClient(spec, secret);
      setForm((f) => ({ ...f, secret: "" }));
      setSaved(true);
      onSaved(result);
    } catch (err) {
      setServerError(errorInWords(err));
    } finally {
      setSavingSince(null);
    }
  };

  const errorList = Object.entries(errors).filter(([, v]) => Boolean(v)) as [string, string][];
  const endpointTag = (key: EndpointKey) => {
    const v = form.endpoints[key].trim();
    const d = discoveredValue(meta, key);
    if (v === "") return d === null && meta ? <span className="muted"> (not offered by the server)</span> : null;
    return v === d ? <span className="tag tag-soft"> discovered</span> : meta ? <span className="tag tag-soft"> explicit (overrides discovery)</span> : null;
  };

  return (
    <form className="editor" onSubmit={(e) => void save(e)} noValidate aria-label={client ? `Edit client ${client.name}` : "New client"}>
      <div className="editor-head">
        <h2>{client ? client.name : "New client"}</h2>
        {client && (
          <div className="button-row">
            <button type="button" className="btn" onClick={onAuthorize} data-testid="client-authorize">
              Authorize…
            </button>
            <button type="button" className="btn" onClick={onDuplicate} data-testid="client-duplicate">
              Duplicate…
            </button>
            <button type="button" className="btn btn-danger" onClick={onDelete} data-testid="client-delete">
              Delete…
            </button>
          </div>
        )}
      </div>

      {!client && (
        <PresetPicker
          // The preset's scopes replace the new form's default ones.
          current={() => ({ ...specFromForm(form, meta), scopes: "" })}
          onApply={(spec) =>
            setForm((f) => ({
              ...f,
              issuer: spec.issuer ?? "",
              endpoints: {
                authorization: spec.endpoints.authorization ?? "",
                token: spec.endpoints.token ?? "",
                revocation: spec.endpoints.revocation ?? "",
                introspection: spec.endpoints.introspection ?? "",
                userinfo: spec.endpoints.userinfo ?? "",
                device_authorization: spec.endpoints.device_authorization ?? "",
              },
              scopes: spec.scopes,
              extraParams: spec.extra_params.map(([k, v]): [string, string] => [k, v]),
              authMethod: spec.auth_method ?? f.authMethod,
            }))
          }
        />
      )}

      {errorList.length > 0 && (
        <div className="notice notice-error" role="alert" data-testid="client-validation">
          <strong>Not saved: fix these first.</strong>
          <ul>
            {errorList.map(([k, v]) => (
              <li key={k}>{v}</li>
            ))}
          </ul>
        </div>
      )}

      <div className="grid-2">
        <Field id="ce-name" label="Name" error={errors.name} errorTestId="client-name-error">
          <input id="ce-name" data-testid="client-name" value={form.name} onChange={(e) => set("name", e.target.value)} {...described("ce-name", errors.name)} />
        </Field>
        <Field id="ce-client-id" label="Client ID" error={errors.clientId} errorTestId="client-id-error">
          <input id="ce-client-id" data-testid="client-id" value={form.clientId} onChange={(e) => set("clientId", e.target.value)} {...described("ce-client-id", errors.clientId)} />
        </Field>
      </div>

      <Field id="ce-issuer" label="Issuer" error={errors.issuer} errorTestId="client-issuer-error" help="Discovery reads /.well-known/openid-configuration (or oauth-authorization-server) from here.">
        <div className="input-with-button">
          <input
            id="ce-issuer"
            data-testid="client-issuer"
            value={form.issuer}
            placeholder="https://login.example.com"
            onChange={(e) => set("issuer", e.target.value)}
            {...described("ce-issuer", errors.issuer, true)}
          />
          <button type="button" className="btn" data-testid="client-discover" onClick={() => void runDiscovery()} disabled={discoveringSince !== null}>
            Discover
          </button>
        </div>
      </Field>
      {discoveringSince !== null && <Progress label="Asking the server what it supports…" sinceMs={discoveringSince} />}
      {discoveryError && <ErrorMessage error={discoveryError} title="Discovery failed" testId="discovery-error" />}
      {meta && <DiscoverySummary meta={meta} stale={!freshMeta} />}

      <fieldset className="fieldset">
        <legend>Endpoints</legend>
        <p className="help">Empty fields use what discovery found; a value typed here overrides it.</p>
        {errors.endpoints && (
          <p className="field-error" data-testid="client-endpoints-error">
            {errors.endpoints}
          </p>
        )}
        {ENDPOINTS.map(({ key, label }) => {
          const id = `ce-endpoint-${key}`;
          return (
            <Field key={key} id={id} label={<>{label}{endpointTag(key)}</>} error={errors[key]} errorTestId={`client-endpoint-${key}-error`}>
              <input
                id={id}
                data-testid={`client-endpoint-${key}`}
                value={form.endpoints[key]}
                placeholder={discoveredValue(meta, key) ?? "https://…"}
                onChange={(e) => setEndpoint(key, e.target.value)}
                {...described(id, errors[key])}
              />
            </Field>
          );
        })}
      </fieldset>

      {client?.public_jwk && form.authMethod === "private_key_jwt" && (
        <div className="panel" data-testid="client-public-jwk">
          <h4>Public key (JWK) to register at the provider</h4>
          <pre className="code-block selectable">{JSON.stringify(client.public_jwk, null, 2)}</pre>
          <p className="help">The private half never leaves the keychain.</p>
        </div>
      )}
      <div className="grid-2">
        <Field id="ce-auth" label="Client authentication">
          <select id="ce-auth" data-testid="client-auth-method" value={form.authMethod} onChange={(e) => set("authMethod", e.target.value as AuthMethod)}>
            {AUTH_METHODS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </Field>
        {/* Mutual TLS authenticates with the certificate below: there is no secret to type. */}
        {form.authMethod !== "tls_client_auth" && form.authMethod !== "self_signed_tls_client_auth" && (
        <Field
          id="ce-secret"
          label={form.authMethod === "private_key_jwt" ? "Private key (PEM, P-256)" : "Client secret"}
          error={errors.secret}
          errorTestId="client-secret-error"
          help={
            form.authMethod === "private_key_jwt"
              ? hasStoredSecret
                ? "The private key is in the keychain. Paste another PEM to replace it."
                : "Leave empty and a new ES256 key pair is made; paste a PEM to use your own. The private key goes to the keychain."
              : hasStoredSecret
              ? form.authMethod === "none"
                ? "Stored in keychain; saving with auth method \"none\" deletes it."
                : "Stored in keychain. Leave empty to keep it; type a new one to replace it."
              : "Goes straight to the OS keychain; it is never shown again."
          }
        >
          {form.authMethod === "private_key_jwt" ? (
            <textarea
              id="ce-secret"
              data-testid="client-secret"
              rows={3}
              spellCheck={false}
              autoComplete="off"
              value={form.secret}
              placeholder={hasStoredSecret ? "stored in keychain (keep)" : "-----BEGIN PRIVATE KEY----- … (optional)"}
              onChange={(e) => set("secret", e.target.value)}
              {...described("ce-secret", errors.secret, true)}
            />
          ) : (
            <input
              id="ce-secret"
              data-testid="client-secret"
              type="password"
              autoComplete="off"
              value={form.secret}
              placeholder={hasStoredSecret ? "stored in keychain (keep)" : ""}
              onChange={(e) => set("secret", e.target.value)}
              {...described("ce-secret", errors.secret, true)}
            />
          )}
        </Field>
        )}
      </div>

      <ClientCertificate client={client} onChange={onSaved} />
      {client?.metadata?.backchannel_authentication_endpoint && <CibaSettingsPanel client={client.name} />}

      <div className="grid-2">
        <Field id="ce-scopes" label="Default scopes" help="Space-separated; the Authorize screen starts with these.">
          <input id="ce-scopes" data-testid="client-scopes" value={form.scopes} placeholder="openid profile" onChange={(e) => set("scopes", e.target.value)} {...described("ce-scopes", undefined, true)} />
        </Field>
        <Field id="ce-redirect" label="Redirect URI" error={errors.redirectUri} errorTestId="client-redirect-error" help="Loopback only; without a port, a free one is picked per flow.">
          <input
            id="ce-redirect"
            data-testid="client-redirect"
            value={form.redirectUri}
            placeholder="http://127.0.0.1/callback"
            onChange={(e) => set("redirectUri", e.target.value)}
            {...described("ce-redirect", errors.redirectUri, true)}
          />
        </Field>
      </div>

      <fieldset className="fieldset">
        <legend>Extra parameters</legend>
        <p className="help">Added to every authorization and token request of this client (e.g. audience, prompt).</p>
        <KeyValueRows rows={form.extraParams} onChange={(rows) => set("extraParams", rows)} noun="Parameter" testId="client-extra-params" />
        {errors.extraParams && <p className="field-error">{errors.extraParams}</p>}
      </fieldset>

      <div className="field">
        <label htmlFor="client-id-token-alg">ID token signing algorithm</label>
        <select id="client-id-token-alg" data-testid="client-id-token-alg" value={form.idTokenAlg} onChange={(e) => set("idTokenAlg", e.target.value)}>
          <option value="">Any the server advertises (else RS256)</option>
          {ID_TOKEN_ALGS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <p className="help">The client's registered id_token_signed_response_alg: an ID token signed otherwise fails verification (OIDC Core §3.1.3.7).</p>
      </div>

      <JarJarmFields
        jar={form.jar}
        responseMode={form.responseMode}
        authMethod={form.authMethod}
        meta={meta}
        onJar={(v) => set("jar", v)}
        onResponseMode={(v) => set("responseMode", v)}
      />

      <div className="checks">
        <label>
          <input type="checkbox" data-testid="client-pkce" checked={form.pkce} onChange={(e) => set("pkce", e.target.checked)} /> Use PKCE (S256, RFC 7636)
        </label>
        <label>
          <input type="checkbox" data-testid="client-par" checked={form.par} onChange={(e) => set("par", e.target.checked)} /> Pushed authorization requests (PAR,
          RFC 9126): the request goes to the server first, the browser gets only a reference
          {meta?.require_pushed_authorization_requests && <strong> — this server requires it, so it is used regardless</strong>}
        </label>
        <label>
          <input type="checkbox" data-testid="client-dpop" checked={form.dpop} onChange={(e) => set("dpop", e.target.checked)} /> DPoP (RFC 9449): bind tokens to a key
          pair kept in the keychain; token, userinfo and Call API requests carry proofs
        </label>
        <label>
          <input type="checkbox" data-testid="client-insecure" checked={form.insecure} onChange={(e) => set("insecure", e.target.checked)} /> Allow insecure http to
          non-loopback hosts (testing only)
        </label>
      </div>

      <AuthorizationDetailsEditor
        value={form.authorizationDetails}
        onChange={(text) => set("authorizationDetails", text)}
        types={meta?.authorization_details_types_supported ?? []}
        testId="client-rar"
        label="Default authorization details (RFC 9396)"
        help="Sent with every login of this client unless the Authorize screen says otherwise."
      />

      <Field
        id="ce-ca"
        label="Extra trusted CA certificates (PEM)"
        help="For an authorization server whose certificate an internal CA signed: one or more -----BEGIN CERTIFICATE----- blocks, trusted for this client's requests besides the system's and Settings → Network's."
      >
        <textarea
          id="ce-ca"
          data-testid="client-ca"
          rows={3}
          spellCheck={false}
          autoComplete="off"
          value={form.caPem}
          placeholder="-----BEGIN CERTIFICATE----- … (optional)"
          onChange={(e) => set("caPem", e.target.value)}
          {...described("ce-ca", undefined, true)}
        />
      </Field>

      <div className="button-row">
        <button type="submit" className="btn btn-primary" data-testid="client-save" disabled={savingSince !== null}>
          {client ? "Save changes" : "Add client"}
        </button>
        {savingSince !== null && <Progress label={form.issuer.trim() ? "Saving (discovering the issuer)…" : "Saving…"} sinceMs={savingSince} />}
        {saved && savingSince === null && (
          <span role="status" className="ok-text" data-testid="client-saved">
            Saved.
          </span>
        )}
      </div>
      {serverError && <ErrorMessage error={serverError} title="The client was not saved" testId="client-error" />}
      {client && <RegistrationInfo client={client} onDeleted={() => onRemoved?.()} />}
    </form>
  );
}
