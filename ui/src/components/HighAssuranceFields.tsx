import type { CibaSettings, DeliveryMode, HighAssuranceLogin } from "../api";

export const EMPTY_HIGH_ASSURANCE: HighAssuranceLogin = {
  login_hint: null,
  binding_message: null,
  user_code: null,
  ciba_mode: null,
  requested_expiry: null,
  assertion: null,
  assertion_claims: null,
};

/** What is wrong with the options for `grant`, in words, or `null`. */
export function highAssuranceProblem(grant: string, v: HighAssuranceLogin): string | null {
  if (grant === "ciba") {
    if (!v.login_hint?.trim()) return "CIBA needs a login hint: who is asked to approve on their device (CIBA §7.1).";
    if (v.requested_expiry !== null && (!Number.isInteger(v.requested_expiry) || v.requested_expiry < 1)) return "The requested expiry is a positive number of seconds.";
  }
  if (grant === "jwt_bearer") {
    const a = v.assertion?.trim() ?? "";
    if (a !== "" && v.assertion_claims?.trim()) return "Give either an assertion or claims to sign one, not both.";
    if (a !== "" && !/^[A-Za-z0-9_\-=]+(\.[A-Za-z0-9_\-=]*){2}(\.[A-Za-z0-9_\-=]*\.[A-Za-z0-9_\-=]*)?$/.test(a)) {
      return "The assertion is not a JWT in compact form (RFC 7523 §2.1).";
    }
    const c = v.assertion_claims?.trim();
    if (c) {
      try {
        const parsed: unknown = JSON.parse(c);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "The claims must be a JSON object.";
      } catch {
        return "The claims are not valid JSON.";
      }
    }
  }
  return null;
}

interface Props {
  grant: "ciba" | "jwt_bearer";
  value: HighAssuranceLogin;
  onChange: (v: HighAssuranceLogin) => void;
  /** The client's CIBA settings (its registered mode), when loaded. */
  settings: CibaSettings | null;
}

const text = (s: string) => (s === "" ? null : s);

/** The CIBA fields (login hint, binding message, mode) or the JWT bearer fields (assertion or claims). */
export default function HighAssuranceFields({ grant, value, onChange, settings }: Props) {
  const set = (patch: Partial<HighAssuranceLogin>) => onChange({ ...value, ...patch });
  if (grant === "ciba") {
    const registered = settings?.delivery_mode ?? "poll";
    return (
      <fieldset className="fieldset" data-testid="ciba-fields">
        <legend>CIBA (backchannel authentication)</legend>
        <div className="grid-2">
          <div className="field">
            <label htmlFor="ciba-hint">Login hint</label>
            <input id="ciba-hint" data-testid="ciba-login-hint-input" autoComplete="off" value={value.login_hint ?? ""} placeholder="alice@example.com" onChange={(e) => set({ login_hint: text(e.target.value) })} />
          </div>
          <div className="field">
            <label htmlFor="ciba-binding">Binding message</label>
            <input id="ciba-binding" data-testid="ciba-binding-input" autoComplete="off" value={value.binding_message ?? ""} placeholder="shown on both devices" onChange={(e) => set({ binding_message: text(e.target.value) })} />
          </div>
          <div className="field">
            <label htmlFor="ciba-mode">Delivery mode</label>
            <select id="ciba-mode" data-testid="ciba-mode" value={value.ciba_mode ?? ""} onChange={(e) => set({ ciba_mode: e.target.value === "" ? null : (e.target.value as DeliveryMode) })}>
              <option value="">The client's ({registered})</option>
              <option value="poll">Poll: ask the token endpoint</option>
              <option value="ping">Ping: wait for the server's notification</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="ciba-expiry">Requested expiry (s)</label>
            <input
              id="ciba-expiry"
              data-testid="ciba-expiry"
              inputMode="numeric"
              value={value.requested_expiry ?? ""}
              placeholder="server's default"
              onChange={(e) => set({ requested_expiry: e.target.value.trim() === "" ? null : Number(e.target.value) })}
            />
          </div>
        </div>
        {(value.ciba_mode ?? registered) === "ping" && (
          <p className="help" data-testid="ciba-ping-help">
            Ping mode listens on the client's notification endpoint{settings?.notification_endpoint ? ` (${settings.notification_endpoint})` : ""}; set it with{" "}
            <code>oauthdesk client ciba NAME --mode ping --notification-endpoint URL</code>.
          </p>
        )}
      </fieldset>
    );
  }
  return (
    <fieldset className="fieldset" data-testid="jwt-bearer-fields">
      <legend>JWT bearer assertion (RFC 7523 §2.1)</legend>
      <div className="field">
        <label htmlFor="jb-assertion">Assertion (paste a JWT)</label>
        <textarea
          id="jb-assertion"
          data-testid="jwt-bearer-assertion"
          rows={3}
          autoComplete="off"
          spellCheck={false}
          value={value.assertion ?? ""}
          onChange={(e) => set({ assertion: text(e.target.value) })}
        />
        <p className="help">Sent once in the token request; never stored, redacted in the transcript.</p>
      </div>
      <div className="field">
        <label htmlFor="jb-claims">Or sign one with the client's key: claims (JSON)</label>
        <textarea
          id="jb-claims"
          data-testid="jwt-bearer-claims"
          rows={3}
          spellCheck={false}
          value={value.assertion_claims ?? ""}
          placeholder='{"sub": "alice"}'
          onChange={(e) => set({ assertion_claims: text(e.target.value) })}
        />
        <p className="help">Added to iss, sub (the client), aud (the token endpoint), exp, iat and jti; signed ES256 with the client's key or HS256 with its secret.</p>
      </div>
    </fieldset>
  );
}
