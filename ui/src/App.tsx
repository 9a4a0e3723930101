import { useEffect, useState } from "react";
import { appInfo, type AppInfo } from "./api";

type Screen = "clients" | "authorize" | "tokens" | "decode" | "call-api" | "history" | "settings";

interface ScreenInfo {
  id: Screen;
  label: string;
  emptyTitle: string;
  emptyText: string;
}

const SCREENS: readonly ScreenInfo[] = [
  {
    id: "clients",
    label: "Clients",
    emptyTitle: "No clients yet",
    emptyText: "Register an OAuth client, or discover one from an issuer URL, to start a flow.",
  },
  {
    id: "authorize",
    label: "Authorize",
    emptyTitle: "No flow running",
    emptyText: "Pick a client and a grant; each HTTP step will show up here.",
  },
  {
    id: "tokens",
    label: "Tokens",
    emptyTitle: "No tokens",
    emptyText: "Tokens you obtain appear here with their expiry and granted scopes.",
  },
  {
    id: "decode",
    label: "Decode",
    emptyTitle: "Nothing to decode",
    emptyText: "Paste a JWT to see its header, claims and signature status.",
  },
  {
    id: "call-api",
    label: "Call API",
    emptyTitle: "No requests yet",
    emptyText: "Send a request with one of your tokens.",
  },
  {
    id: "history",
    label: "History",
    emptyTitle: "No history",
    emptyText: "Every exchange with a server is recorded here, with secrets redacted.",
  },
  {
    id: "settings",
    label: "Settings",
    emptyTitle: "Settings",
    emptyText: "Nothing to configure yet.",
  },
];

function KeyGlyph() {
  return (
    <svg className="brand-glyph" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="url(#brand-gradient)" />
      <defs>
        <linearGradient id="brand-gradient" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#5b4ee6" />
          <stop offset="1" stopColor="#1e9bd7" />
        </linearGradient>
      </defs>
      <g transform="rotate(-35 16 16)" fill="#fff">
        <path d="M10.3 10.4a5.6 5.6 0 1 1 0 11.2 5.6 5.6 0 0 1 0-11.2Zm-.9 3.4a2.2 2.2 0 1 0 0 4.4 2.2 2.2 0 0 0 0-4.4Z" fillRule="evenodd" />
        <rect x="13.8" y="14.9" width="13.1" height="2.2" rx="0.6" />
        <rect x="21.9" y="16" width="1.9" height="4.1" />
        <rect x="25" y="16" width="1.6" height="3.1" />
      </g>
    </svg>
  );
}

export default function App() {
  const [screen, setScreen] = useState<Screen>("clients");
  const [info, setInfo] = useState<AppInfo | null>(null);

  useEffect(() => {
    let live = true;
    appInfo()
      .then((value) => {
        if (live) setInfo(value);
      })
      .catch(() => {
        // Outside the desktop shell (a plain browser) there is no backend; the header then
        // shows the name alone.
      });
    return () => {
      live = false;
    };
  }, []);

  const current = SCREENS.find((s) => s.id === screen) ?? SCREENS[0];

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <KeyGlyph />
          <div>
            <div className="brand-name">{info?.name ?? "OAuth Desk"}</div>
            {info && <div className="brand-version">v{info.version}</div>}
          </div>
        </div>
        <nav aria-label="Screens">
          <ul>
            {SCREENS.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={s.id === screen ? "page" : undefined}
                  onClick={() => setScreen(s.id)}
                >
                  {s.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <main className="content">
        <header className="content-header">
          <h1>{current.label}</h1>
        </header>
        <section className="empty-state" aria-live="polite">
          <h2>{current.emptyTitle}</h2>
          <p>{current.emptyText}</p>
        </section>
      </main>
    </div>
  );
}
