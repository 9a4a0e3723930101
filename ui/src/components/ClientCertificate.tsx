import { useState } from "react";
import * as api from "../api";
import type { CertificateImport, Client } from "../api";
import { type ErrorInWords, errorInWords } from "../lib/errors";
import { visible } from "../lib/text";
import { absoluteTime, nowSecs } from "../lib/time";
import ErrorMessage from "./ErrorMessage";
import Field from "./Field";

interface Props {
  /** The saved client; `null` while a new client is being made. */
  client: Client | null;
  /** With the client as it is after an import or a removal. */
  onChange: (client: Client) => void;
}

type Source = "pem" | "pkcs12";

/** The client editor's "Client certificate" section (mutual TLS, RFC 8705): what the stored
 *  certificate says (subject, x5t#S256 thumbprint, validity), Remove, and an import from pasted
 *  PEM or a PKCS#12 file with its password. The key and password go to the keychain and are
 *  cleared from the page once sent. */
export default function ClientCertificate({ client, onChange }: Props) {
  const [source, setSource] = useState<Source>("pem");
  const [certificate, setCertificate] = useState("");
  const [key, setKey] = useState("");
  const [path, setPath] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInWords | null>(null);

  if (client === null) {
    return (
      <fieldset className="fieldset" data-testid="client-certificate">
        <legend>Client certificate (mutual TLS)</legend>
        <p className="help">Save the client first, then import its certificate and key here.</p>
      </fieldset>
    );
  }
  const info = client.tls_certificate;
  const mtls = client.auth_method === "tls_client_auth" || client.auth_method === "self_signed_tls_client_auth";

  const run = async (work: () => Promise<Client>) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await work());
      setCertificate("");
      setKey("");
      setPassword("");
    } catch (e) {
      setError(errorInWords(e));
    } finally {
      setBusy(false);
    }
  };
  const importNow = () => {
    const payload: CertificateImport =
      source === "pem" ? { kind: "pem", certificate, key: key.trim() === "" ? null : key } : { kind: "pkcs12_file", path: path.trim(), password };
    void run(() => api.importClientCertificate(client.name, payload));
  };
  const ready = source === "pem" ? certificate.trim() !== "" : path.trim() !== "";

  return (
    <fieldset className="fieldset" data-testid="client-certificate">
      <legend>Client certificate (mutual TLS)</legend>
      <p className="help">
        Presented on this client's TLS connections. With tls_client_auth or self_signed_tls_client_auth it authenticates the client (RFC 8705 §2); a server
        that binds tokens to certificates (tls_client_certificate_bound_access_tokens) then issues tokens only usable with it (§3).
      </p>
      {info ? (
        <div className="panel" data-testid="client-certificate-info">
          <dl className="facts">
            <dt>Subject</dt>
            <dd data-testid="client-certificate-subject">{visible(info.subject)}</dd>
            <dt>Issuer</dt>
            <dd>
              {visible(info.issuer)}
              {info.self_signed && " (self-signed)"}
            </dd>
            <dt>Thumbprint (x5t#S256)</dt>
            <dd className="selectable" data-testid="client-certificate-thumbprint">
              {info.thumbprint}
            </dd>
            <dt>Valid</dt>
            <dd data-testid="client-certificate-validity">
              {absoluteTime(info.not_before)} to {absoluteTime(info.not_after)}
              {info.not_after < nowSecs() && <strong> — expired</strong>}
            </dd>
          </dl>
          <button type="button" data-testid="client-certificate-remove" disabled={busy} onClick={() => void run(() => api.removeClientCertificate(client.name))}>
            Remove certificate
          </button>
        </div>
      ) : (
        <p className={mtls ? "field-error" : "help"} data-testid="client-certificate-none">
          {mtls ? `${client.auth_method} needs a client certificate: import one below.` : "No certificate: this client's connections present none."}
        </p>
      )}
      <div className="checks" role="radiogroup" aria-label="Import from">
        <label>
          <input type="radio" name="cert-source" checked={source === "pem"} onChange={() => setSource("pem")} data-testid="client-certificate-source-pem" /> PEM (paste)
        </label>
        <label>
          <input type="radio" name="cert-source" checked={source === "pkcs12"} onChange={() => setSource("pkcs12")} data-testid="client-certificate-source-p12" /> PKCS#12
          file
        </label>
      </div>
      {source === "pem" ? (
        <div className="grid-2">
          <Field id="cc-cert" label="Certificate (PEM, chain allowed)">
            <textarea
              id="cc-cert"
              data-testid="client-certificate-pem"
              rows={4}
              spellCheck={false}
              value={certificate}
              placeholder="-----BEGIN CERTIFICATE-----"
              onChange={(e) => setCertificate(e.target.value)}
            />
          </Field>
          <Field id="cc-key" label="Private key (PEM)" help="Or leave empty when the certificate text holds the key too. Goes to the keychain only.">
            <textarea
              id="cc-key"
              data-testid="client-certificate-key"
              rows={4}
              spellCheck={false}
              autoComplete="off"
              value={key}
              placeholder="-----BEGIN PRIVATE KEY-----"
              onChange={(e) => setKey(e.target.value)}
            />
          </Field>
        </div>
      ) : (
        <div className="grid-2">
          <Field id="cc-path" label="PKCS#12 file (.p12, .pfx)">
            <input id="cc-path" data-testid="client-certificate-path" value={path} placeholder="/home/me/client.p12" onChange={(e) => setPath(e.target.value)} />
          </Field>
          <Field id="cc-password" label="Password">
            <input
              id="cc-password"
              data-testid="client-certificate-password"
              type="password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
        </div>
      )}
      <button type="button" data-testid="client-certificate-import" disabled={busy || !ready} onClick={importNow}>
        {info ? "Replace certificate" : "Import certificate"}
      </button>
      {error && <ErrorMessage error={error} title="The certificate could not be changed" testId="client-certificate-error" />}
    </fieldset>
  );
}
