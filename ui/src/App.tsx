import { useCallback, useEffect, useState } from "react";
import { appInfo, getSettings, keychainStatus, type KeychainStatus } from "./api";
import EnvironmentSwitcher from "./components/EnvironmentSwitcher";
import KeychainBanner from "./components/KeychainBanner";
import ShortcutsHelp from "./components/ShortcutsHelp";
import { readPref, writePref } from "./lib/layoutPrefs";
import { runControl, shortcutFor } from "./lib/shortcuts";
import { APP_INFO, SETTINGS, useGrantsChanged } from "./lib/queries";
import { applyTheme } from "./lib/theme";
import { useLoginFlow } from "./lib/useLoginFlow";
import { useMcpFlow } from "./lib/useMcpFlow";
import { useQuery } from "./lib/useQuery";
import AuditScreen from "./screens/AuditScreen";
import AuthorizeScreen from "./screens/AuthorizeScreen";
import CallApiScreen, { prefillUserinfo } from "./screens/CallApiScreen";
import ClientsScreen from "./screens/ClientsScreen";
import DecodeScreen from "./screens/DecodeScreen";
import EnvironmentsScreen from "./screens/EnvironmentsScreen";
import HistoryScreen from "./screens/HistoryScreen";
import McpScreen from "./screens/McpScreen";
import ReportScreen from "./screens/ReportScreen";
import SettingsScreen from "./screens/SettingsScreen";
import TokensScreen from "./screens/TokensScreen";

type Screen = "clients" | "authorize" | "tokens" | "decode" | "call-api" | "audit" | "report" | "history" | "environments" | "settings" | "mcp";

const SCREENS: readonly { id: Screen; label: string }[] = [
  { id: "clients", label: "Clients" },
  { id: "authorize", label: "Authorize" },
  { id: "tokens", label: "Tokens" },
  { id: "decode", label: "Decode" },
  { id: "call-api", label: "Call API" },
  { id: "audit", label: "Audit" },
  { id: "report", label: "Provider report" },
  { id: "history", label: "History" },
  { id: "settings", label: "Settings" },
  // Last, so the screens before it keep their positions (and their Alt+digit shortcuts).
  { id: "environments", label: "Environments" },
  { id: "mcp", label: "MCP server" },
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
  // Outside the desktop shell there is no backend; the header then shows the name alone and
  // Settings says the data dir is unknown.
  const info = useQuery(APP_INFO, appInfo).data ?? null;
  const keychainQuery = useQuery("keychain", keychainStatus);
  const keychain: KeychainStatus | null = keychainQuery.error
    ? { available: false, backend: "unknown", problem: `The status could not be read: ${keychainQuery.error.message}` }
    : (keychainQuery.data ?? null);
  const checkKeychain = () => void keychainQuery.reload();
  // If the settings cannot be read the theme follows the system; Settings shows the error.
  const theme = useQuery(SETTINGS, getSettings).data?.theme;
  useEffect(() => {
    if (theme !== undefined) applyTheme(theme);
  }, [theme]);
  const [authorizeClient, setAuthorizeClient] = useState<string | null>(null);
  const [selectedGrant, setSelectedGrant] = useState<string | null>(null);
  const flow = useLoginFlow();
  const mcpFlow = useMcpFlow();
  // Grants the app changed on its own (auto-refresh) are reloaded wherever they are shown.
  useGrantsChanged();

  const current = SCREENS.find((s) => s.id === screen) ?? SCREENS[0];
  const [collapsed, setCollapsed] = useState(() => readPref("sidebar") === "collapsed");
  const toggleSidebar = useCallback(
    () =>
      setCollapsed((c) => {
        writePref("sidebar", c ? "expanded" : "collapsed");
        return !c;
      }),
    [],
  );
  const [help, setHelp] = useState(false);
  // Keyboard shortcuts (lib/shortcuts.ts): a control on another screen is pressed once that
  // screen has rendered.
  const [pending, setPending] = useState<string | null>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      if (action.kind === "help") setHelp(true);
      else if (action.kind === "sidebar") toggleSidebar();
      else if (action.kind === "screen") {
        const target = SCREENS[action.index];
        if (target) setScreen(target.id);
      } else if (!runControl(action.control) && action.screen) {
        setScreen(action.screen as Screen);
        setPending(action.control);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [toggleSidebar]);
  useEffect(() => {
    if (pending === null) return;
    const id = requestAnimationFrame(() => {
      runControl(pending);
      setPending(null);
    });
    return () => cancelAnimationFrame(id);
  }, [pending]);

  return (
    <div className="shell" data-sidebar={collapsed ? "collapsed" : "expanded"}>
      <aside className="sidebar">
        <button type="button" className="sidebar-toggle" data-testid="sidebar-toggle" aria-expanded={!collapsed} aria-label={collapsed ? "Expand the sidebar" : "Collapse the sidebar"} title="Ctrl+B" onClick={toggleSidebar}>
          {collapsed ? "»" : "«"}
        </button>
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
                  data-testid={`nav-${s.id}`}
                  aria-current={s.id === screen ? "page" : undefined}
                  data-busy={(s.id === "authorize" && flow.state.phase === "running") || (s.id === "mcp" && mcpFlow.state.phase === "running") ? "true" : undefined}
                  title={collapsed ? s.label : undefined}
                  data-initial={s.label.slice(0, 2)}
                  onClick={() => setScreen(s.id)}
                >
                  <span className="nav-label">{s.label}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <main className="content">
        <KeychainBanner status={keychain} onRecheck={checkKeychain} />
        <header className="content-header">
          <h1>{current.label}</h1>
          <EnvironmentSwitcher onEdit={() => setScreen("environments")} />
          <button type="button" className="btn btn-small help-button" data-testid="shortcuts-open" title="Keyboard shortcuts (?)" onClick={() => setHelp(true)}>
            ?
          </button>
        </header>
        {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
        <div className="content-body" data-screen={screen}>
          {screen === "clients" && (
            <ClientsScreen
              onAuthorize={(name) => {
                setAuthorizeClient(name);
                setScreen("authorize");
              }}
              onOpenGrant={(id) => {
                setSelectedGrant(id);
                setScreen("tokens");
              }}
              onCallUserinfo={(id) => {
                prefillUserinfo(id);
                setScreen("call-api");
              }}
            />
          )}
          {screen === "authorize" && (
            <AuthorizeScreen
              flow={flow}
              initialClient={authorizeClient}
              onChooseClient={setAuthorizeClient}
              onOpenGrant={(id) => {
                setSelectedGrant(id);
                setScreen("tokens");
              }}
              onGoToClients={() => setScreen("clients")}
            />
          )}
          {screen === "tokens" && (
            <TokensScreen
              selected={selectedGrant}
              onSelect={setSelectedGrant}
              busy={flow.state.phase === "running"}
              onLogInAgain={(client, request) => {
                setAuthorizeClient(client);
                flow.start(client, request);
                setScreen("authorize");
              }}
            />
          )}
          {screen === "decode" && <DecodeScreen />}
          {screen === "call-api" && <CallApiScreen />}
          {screen === "audit" && (
            <AuditScreen
              onOpenGrant={(id) => {
                setSelectedGrant(id);
                setScreen("tokens");
              }}
            />
          )}
          {screen === "report" && <ReportScreen />}
          {screen === "history" && (
            <HistoryScreen
              busy={flow.state.phase === "running"}
              onRunAgain={(client, request) => {
                setAuthorizeClient(client);
                flow.start(client, request);
                setScreen("authorize");
              }}
            />
          )}
          {screen === "environments" && <EnvironmentsScreen />}
          {screen === "mcp" && <McpScreen flow={mcpFlow} loginRunning={flow.state.phase === "running"} />}
          {screen === "settings" && <SettingsScreen info={info} keychain={keychain} onRecheckKeychain={checkKeychain} />}
        </div>
      </main>
    </div>
  );
}
