import { useEffect, useState } from "react";
import * as api from "../api";
import type { CibaSettings, DeliveryMode } from "../api";
import { type ErrorInWords, errorInWords } from "../lib/errors";
import { visible } from "../lib/text";
import ErrorMessage from "./ErrorMessage";

interface Props {
  /** The saved client's name; `null` while a new client is being made. */
  client: string | null;
}

/**
 * The client editor's CIBA section: the delivery mode the client registered (poll or ping) and,
 * for ping, its notification endpoint (the `backchannel_client_notification_endpoint` registered
 * at the server: a loopback URL with a fixed port) with the certificate and key it serves https
 * with. The key goes to the keychain and is cleared from the page once sent.
 */
export default function CibaSettingsPanel({ client }: Props) {
  const [saved, setSaved] = useState<CibaSettings | null>(null);
  const [mode, setMode] = useState<DeliveryMode>("poll");
  const [endpoint, setEndpoint] = useState("");
  const [cert, setCert] = useState("");
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    setSaved(null);
    if (!client) return;
    let live = true;
    Promise.resolve()
      .then(() => api.cibaSettings(client))
      .then((s) => {
        if (!live || !s) return;
        setSaved(s);
        setMode(s.delivery_mode);
        setEndpoint(s.notification_endpoint ?? "");
      })
      .catch((e: unknown) => live && setError(errorInWords(e)));
    return () => {
      live = false;
    };
  }, [client]);

  if (client === null) {
    return (
      <fieldset className="fieldset" data-testid="ciba-settings">
        <legend>CIBA</legend>
        <p className="help">Save the client first, then set its CIBA delivery mode here.</p>
      </fieldset>
    );
  }

  const save = async (clearTls: boolean) => {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      const s = await api.setCibaSettings(client, {
        delivery_mode: mode,
        notification_endpoint: endpoint.trim(),
        tls_cert_pem: cert.trim() === "" ? null : cert,
        tls_key_pem: key.trim() === "" ? null : key,
        clear_tls: clearTls,
      });
      setSaved(s);
      setCert("");
      setKey("");
      setDone(true);
    } catch (e) {
      setError(errorInWords(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="fieldset" data-testid="ciba-settings">
      <legend>CIBA (backchannel authentication)</legend>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="ciba-set-mode">Delivery mode</label>
          <select id="ciba-set-mode" data-testid="ciba-settings-mode" value={mode} onChange={(e) => setMode(e.target.value as DeliveryMode)}>
            <option value="poll">Poll: the client asks the token endpoint</option>
            <option value="ping">Ping: the server notifies the client first</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="ciba-set-endpoint">Notification endpoint</label>
          <input
            id="ciba-set-endpoint"
            data-testid="ciba-settings-endpoint"
            value={endpoint}
            placeholder="https://127.0.0.1:8443/ciba"
            onChange={(e) => setEndpoint(e.target.value)}
          />
        </div>
      </div>
      <p className="help">
        Ping mode listens on this URL while a request waits: it must be the backchannel_client_notification_endpoint registered at the server (a loopback address and a fixed port; https with a
        certificate the server trusts).
        {saved?.has_tls_certificate ? " A certificate is set; its key is in the keychain." : ""}
      </p>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="ciba-set-cert">Endpoint certificate (PEM)</label>
          <textarea id="ciba-set-cert" data-testid="ciba-settings-cert" rows={3} spellCheck={false} value={cert} onChange={(e) => setCert(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="ciba-set-key">Its private key (PEM)</label>
          <textarea id="ciba-set-key" data-testid="ciba-settings-key" rows={3} spellCheck={false} autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
        </div>
      </div>
      <div className="button-row">
        <button type="button" className="btn" data-testid="ciba-settings-save" disabled={busy} onClick={() => void save(false)}>
          Save CIBA settings
        </button>
        {saved?.has_tls_certificate && (
          <button type="button" className="btn" data-testid="ciba-settings-remove-cert" disabled={busy} onClick={() => void save(true)}>
            Remove the certificate
          </button>
        )}
        {done && saved && (
          <span className="muted" role="status" data-testid="ciba-settings-saved">
            Saved: {saved.delivery_mode} mode{saved.notification_endpoint ? `, ${visible(saved.notification_endpoint, false)}` : ""}.
          </span>
        )}
      </div>
      {error && <ErrorMessage error={error} title="Could not save the CIBA settings" />}
    </fieldset>
  );
}
