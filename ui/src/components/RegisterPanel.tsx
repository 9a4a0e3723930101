import { useState } from "react";
import { registerClient, type AuthMethod, type Client } from "../api";
import { errorInWords, type ErrorInWords } from "../lib/errors";
import ErrorMessage from "./ErrorMessage";
import Progress from "./Progress";

/** Dynamic client registration (RFC 7591): the server issues the client id (and secret). Shown
 *  in the detail pane of Clients, where the form has room. */
export default function RegisterPanel({ onRegistered, onCancel }: { onRegistered: (c: Client) => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [issuer, setIssuer] = useState("");
  const [scopes, setScopes] = useState("openid");
  const [method, setMethod] = useState<AuthMethod>("none");
  const [initial, setInitial] = useState("");
  const [since, setSince] = useState<number | null>(null);
  const [error, setError] = useState<ErrorInWords | null>(null);

  async function submit() {
    setSince(Date.now());
    try {
      const c = await registerClient({ name: name.trim(), issuer: issuer.trim(), scopes, auth_method: method, grant_types: [], id_token_alg: null, insecure: false, redirect_uri: null, extra_params: [], dpop: false }, initial === "" ? null : initial);
      setError(null);
      setInitial("");
      onRegistered(c);
    } catch (e) {
      setError(errorInWords(e));
    } finally {
      setSince(null);
    }
  }

  return (
    <div className="register-panel">
      <h2>Register a client at a server</h2>
      <div className="panel" data-testid="register-panel">
        <p className="help">Dynamic client registration (RFC 7591): the server creates the client; its secret and registration token go to the keychain.</p>
        <div className="field">
          <label htmlFor="reg-name">Name</label>
          <input id="reg-name" data-testid="register-name" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="reg-issuer">Issuer</label>
          <input id="reg-issuer" data-testid="register-issuer" value={issuer} placeholder="https://issuer.example" onChange={(e) => setIssuer(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="reg-scopes">Scopes</label>
          <input id="reg-scopes" data-testid="register-scopes" value={scopes} onChange={(e) => setScopes(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="reg-method">Client authentication</label>
          <select id="reg-method" data-testid="register-auth-method" value={method} onChange={(e) => setMethod(e.target.value as AuthMethod)}>
            <option value="none">none (public client, PKCE)</option>
            <option value="client_secret_basic">client_secret_basic</option>
            <option value="client_secret_post">client_secret_post</option>
            <option value="client_secret_jwt">client_secret_jwt (RFC 7523)</option>
            <option value="private_key_jwt">private_key_jwt (a key pair is made here; RFC 7523)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="reg-initial">Initial access token (if the server requires one)</label>
          <input id="reg-initial" data-testid="register-initial-token" type="password" autoComplete="off" value={initial} onChange={(e) => setInitial(e.target.value)} />
        </div>
        <div className="button-row">
          <button type="button" className="btn btn-primary" data-testid="register-submit" disabled={since !== null || name.trim() === "" || issuer.trim() === ""} onClick={() => void submit()}>
            Register
          </button>
          <button type="button" className="btn" data-testid="register-cancel" onClick={onCancel}>
            Cancel
          </button>
        </div>
        {since !== null && <Progress label="Registering at the server…" sinceMs={since} />}
      </div>
      {error && <ErrorMessage error={error} title="Registration failed" testId="register-error" />}
    </div>
  );
}
