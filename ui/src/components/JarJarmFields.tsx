import type { AuthMethod, JarMode, ServerMetadata } from "../api";

/** The response modes the loopback listener receives; "" is the response type's default. */
export const RESPONSE_MODES: readonly { value: string; label: string }[] = [
  { value: "", label: "Default (query for the code flow)" },
  { value: "query", label: "query" },
  { value: "fragment", label: "fragment (through the listener's relay page)" },
  { value: "form_post", label: "form_post (the browser POSTs the response)" },
  { value: "jwt", label: "jwt — JARM, signed response (query for code)" },
  { value: "query.jwt", label: "query.jwt — JARM in the query" },
  { value: "fragment.jwt", label: "fragment.jwt — JARM in the fragment" },
  { value: "form_post.jwt", label: "form_post.jwt — JARM posted by the browser" },
];

const JAR_MODES: readonly { value: JarMode; label: string }[] = [
  { value: "off", label: "Off: plain parameters" },
  { value: "value", label: "By value: the request object in the URL's request parameter" },
  { value: "par", label: "Through PAR: the request object pushed to the server" },
];

interface Props {
  jar: JarMode;
  responseMode: string;
  authMethod: AuthMethod;
  meta: ServerMetadata | null;
  onJar: (jar: JarMode) => void;
  onResponseMode: (mode: string) => void;
}

/** The client editor's "Signed request object (JAR)" and "Response mode" selects, with what the
 *  server's metadata says about them. */
export default function JarJarmFields({ jar, responseMode, authMethod, meta, onJar, onResponseMode }: Props) {
  const required = meta?.require_signed_request_object === true;
  const signs = jar !== "off" || required;
  // A request object is signed with a private_key_jwt key or a client secret: mTLS and public
  // clients hold neither.
  const nothingToSign = signs && (authMethod === "none" || authMethod === "tls_client_auth" || authMethod === "self_signed_tls_client_auth");
  const modes = meta?.response_modes_supported ?? [];
  const unlisted = responseMode !== "" && modes.length > 0 && !modes.includes(responseMode);
  return (
    <>
      <div className="field">
        <label htmlFor="client-jar">Signed request object (JAR)</label>
        <select id="client-jar" data-testid="client-jar" value={jar} onChange={(e) => onJar(e.target.value as JarMode)} aria-describedby="client-jar-help">
          {JAR_MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
        <p className="help" id="client-jar-help">
          RFC 9101: the authorization request's parameters signed into a JWT with the client's private_key_jwt key (ES256) or its secret (HS256), so nothing in
          it can be altered on its way through the browser.
          {required && (
            <strong data-testid="client-jar-required"> This server requires signed request objects: one is sent by value even when this is off.</strong>
          )}
        </p>
        {nothingToSign && (
          <p className="warning-text" role="alert" data-testid="client-jar-no-key">
            This client (auth method {authMethod}) has nothing to sign a request object with: choose private_key_jwt or a client secret method.
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="client-response-mode">Response mode</label>
        <select
          id="client-response-mode"
          data-testid="client-response-mode"
          value={responseMode}
          onChange={(e) => onResponseMode(e.target.value)}
          aria-describedby="client-response-mode-help"
        >
          {RESPONSE_MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
        <p className="help" id="client-response-mode-help">
          The JWT modes (JARM) have the server sign its response; OAuth Desk checks the signature against the issuer's keys, iss, aud and exp before the code is
          used.
        </p>
        {unlisted && (
          <p className="warning-text" data-testid="client-response-mode-unlisted">
            The server's metadata does not list {responseMode} among its response_modes_supported ({modes.join(", ")}): it may refuse it.
          </p>
        )}
      </div>
    </>
  );
}
