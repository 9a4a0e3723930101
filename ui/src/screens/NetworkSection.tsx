import { useState } from "react";
import type { NetworkSettings, ProxyMode, Settings } from "../api";

interface Props {
  settings: Settings | undefined;
  /** Saves the whole settings object; `false` when refused (the caller shows the error). */
  persist: (next: Settings, what: string) => Promise<boolean>;
}

export const DEFAULT_NETWORK: NetworkSettings = {
  proxy: "system",
  proxy_url: null,
  no_proxy: "",
  proxy_password_stored: false,
  ca_pem: null,
  timeout_secs: null,
};

const PROXY_LABELS: Record<ProxyMode, string> = {
  system: "System (HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment)",
  none: "None (connect directly)",
  explicit: "Explicit proxy",
};

const MAX_TIMEOUT = 600;

interface Draft {
  proxy: ProxyMode;
  proxyUrl: string;
  noProxy: string;
  password: string;
  forgetPassword: boolean;
  caPem: string;
  timeout: string;
}

function draftOf(net: NetworkSettings): Draft {
  return {
    proxy: net.proxy,
    proxyUrl: net.proxy_url ?? "",
    noProxy: net.no_proxy,
    password: "",
    forgetPassword: false,
    caPem: net.ca_pem ?? "",
    timeout: net.timeout_secs === null ? "" : String(net.timeout_secs),
  };
}

/** How many certificate blocks the PEM text holds (Rust parses and says what is wrong on save). */
function certificateCount(pem: string): number {
  return (pem.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
}

/** The proxy URL with the typed password put in (it goes to the keychain in Rust, never to SQLite). */
function withPassword(url: string, password: string): string {
  if (password === "") return url;
  try {
    const u = new URL(url);
    u.password = password;
    return u.toString();
  } catch {
    return url;
  }
}

export default function NetworkSection({ settings, persist }: Props) {
  const saved = settings?.network ?? DEFAULT_NETWORK;
  const [draft, setDraft] = useState<Draft | null>(null);
  const d = draft ?? draftOf(saved);
  const [problem, setProblem] = useState<string | null>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft({ ...d, [key]: value });

  const save = async () => {
    if (!settings) return;
    const t = d.timeout.trim();
    const n = Number(t);
    if (t !== "" && (!Number.isInteger(n) || n < 1 || n > MAX_TIMEOUT)) {
      setProblem(`The request timeout is a whole number of seconds from 1 to ${MAX_TIMEOUT}, or empty for the default (30 s).`);
      return;
    }
    if (d.proxy === "explicit" && d.proxyUrl.trim() === "") {
      setProblem("An explicit proxy needs its URL, e.g. http://proxy.corp.example:3128.");
      return;
    }
    setProblem(null);
    const network: NetworkSettings = {
      proxy: d.proxy,
      proxy_url: d.proxyUrl.trim() === "" ? null : withPassword(d.proxyUrl.trim(), d.password),
      no_proxy: d.noProxy.trim(),
      proxy_password_stored: saved.proxy_password_stored && !d.forgetPassword,
      ca_pem: d.caPem.trim() === "" ? null : d.caPem.trim(),
      timeout_secs: t === "" ? null : n,
    };
    // Saved: the form shows what Rust kept (never the password typed); refused: the typing stays.
    if (await persist({ ...settings, network }, "Network settings")) setDraft(null);
  };

  const certs = certificateCount(d.caPem);
  return (
    <section className="panel" aria-label="Network" data-testid="settings-network">
      <h3>Network</h3>
      <p className="help">Used by every request OAuth Desk makes (discovery, keys, tokens, userinfo, Call API), here and in the oauthdesk CLI.</p>
      <div className="field">
        <label htmlFor="settings-proxy">Proxy</label>
        <select id="settings-proxy" data-testid="settings-proxy" value={d.proxy} disabled={!settings} onChange={(e) => set("proxy", e.target.value as ProxyMode)}>
          {(Object.keys(PROXY_LABELS) as ProxyMode[]).map((m) => (
            <option key={m} value={m}>
              {PROXY_LABELS[m]}
            </option>
          ))}
        </select>
      </div>
      {d.proxy === "explicit" && (
        <>
          <div className="field">
            <label htmlFor="settings-proxy-url">Proxy URL</label>
            <input
              id="settings-proxy-url"
              data-testid="settings-proxy-url"
              value={d.proxyUrl}
              placeholder="http://proxy.corp.example:3128"
              spellCheck={false}
              onChange={(e) => set("proxyUrl", e.target.value)}
              aria-describedby="settings-proxy-url-help"
            />
            <p className="help" id="settings-proxy-url-help">
              http, https, socks5 or socks5h. A user name may go in the URL (http://alice@proxy:3128); the password goes below.
            </p>
          </div>
          <div className="field">
            <label htmlFor="settings-proxy-password">Proxy password</label>
            <input
              id="settings-proxy-password"
              data-testid="settings-proxy-password"
              type="password"
              autoComplete="off"
              value={d.password}
              placeholder={saved.proxy_password_stored && !d.forgetPassword ? "stored in keychain (keep)" : "none"}
              onChange={(e) => set("password", e.target.value)}
            />
            {saved.proxy_password_stored && (
              <label className="inline-check">
                <input type="checkbox" data-testid="settings-proxy-forget" checked={d.forgetPassword} onChange={(e) => set("forgetPassword", e.target.checked)} /> Forget
                the stored password
              </label>
            )}
          </div>
          <div className="field">
            <label htmlFor="settings-no-proxy">No proxy for</label>
            <input
              id="settings-no-proxy"
              data-testid="settings-no-proxy"
              value={d.noProxy}
              placeholder="localhost,127.0.0.1,.corp.example"
              spellCheck={false}
              onChange={(e) => set("noProxy", e.target.value)}
            />
          </div>
        </>
      )}
      <div className="field">
        <label htmlFor="settings-ca">
          Extra trusted CA certificates (PEM){certs > 0 && <span className="muted"> · {certs === 1 ? "1 certificate" : `${certs} certificates`}</span>}
        </label>
        <textarea
          id="settings-ca"
          data-testid="settings-ca"
          rows={4}
          spellCheck={false}
          autoComplete="off"
          value={d.caPem}
          placeholder="-----BEGIN CERTIFICATE----- … (optional)"
          onChange={(e) => set("caPem", e.target.value)}
          aria-describedby="settings-ca-help"
        />
        <p className="help" id="settings-ca-help">
          Trusted besides the system's roots, for internal authorization servers. A client can add its own in its editor.
        </p>
      </div>
      <div className="field">
        <label htmlFor="settings-timeout">Request timeout (seconds)</label>
        <input
          id="settings-timeout"
          data-testid="settings-timeout"
          type="number"
          min={1}
          max={MAX_TIMEOUT}
          value={d.timeout}
          placeholder="30 (default)"
          disabled={!settings}
          onChange={(e) => set("timeout", e.target.value)}
        />
      </div>
      {problem && (
        <p className="field-error" role="alert" data-testid="settings-network-problem">
          {problem}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="btn" data-testid="settings-network-save" disabled={!settings} onClick={() => void save()}>
          Save network settings
        </button>
      </div>
    </section>
  );
}
