// The keyboard shortcuts: one table, read by the key handler (App) and the help overlay (`?`).
// Actions inside a screen are found by `data-shortcut="<action>"` on the control that does them,
// so a shortcut does exactly what clicking that control does — or nothing when it is not there.

export type ShortcutAction =
  | { kind: "help" }
  | { kind: "sidebar" }
  | { kind: "screen"; index: number }
  | { kind: "control"; control: string; screen?: string };

export interface Shortcut {
  keys: string;
  what: string;
  action: ShortcutAction;
  matches: (e: KeyboardEvent) => boolean;
}

const mod = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: "?", what: "Show these shortcuts", action: { kind: "help" }, matches: (e) => e.key === "?" && !mod(e) },
  { keys: "Ctrl+N", what: "New client", action: { kind: "control", control: "new-client", screen: "clients" }, matches: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === "n" },
  {
    keys: "Ctrl+Enter",
    what: "Authorize: start the flow (from any screen, opens Authorize)",
    action: { kind: "control", control: "authorize", screen: "authorize" },
    matches: (e) => mod(e) && e.key === "Enter",
  },
  {
    keys: "Ctrl+Shift+C",
    what: "Copy the open grant's access token",
    action: { kind: "control", control: "copy-access-token" },
    matches: (e) => mod(e) && e.shiftKey && e.key.toLowerCase() === "c",
  },
  { keys: "Ctrl+K or /", what: "Search or filter this screen", action: { kind: "control", control: "search" }, matches: (e) => (mod(e) && e.key.toLowerCase() === "k") || (e.key === "/" && !mod(e)) },
  { keys: "Ctrl+B", what: "Collapse or expand the sidebar", action: { kind: "sidebar" }, matches: (e) => mod(e) && e.key.toLowerCase() === "b" },
  { keys: "Alt+1 … Alt+9", what: "Go to the n-th screen of the sidebar", action: { kind: "screen", index: -1 }, matches: (e) => e.altKey && /^[1-9]$/.test(e.key) },
];

/** The shortcut a key press means, or null. Plain keys (`?`, `/`) are ignored while typing in a
 *  field, so they stay characters there. */
export function shortcutFor(e: KeyboardEvent): ShortcutAction | null {
  const target = e.target as HTMLElement | null;
  const typing = !!target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
  for (const s of SHORTCUTS) {
    if (!s.matches(e)) continue;
    if (typing && !mod(e) && !e.altKey) return null;
    if (s.action.kind === "screen") return { kind: "screen", index: Number(e.key) - 1 };
    return s.action;
  }
  return null;
}

/** Does what the control marked `data-shortcut=control` does: focuses a field, clicks a button.
 *  Returns false when no such control is on the page (or it is disabled). */
export function runControl(control: string): boolean {
  const el = document.querySelector<HTMLElement>(`[data-shortcut="${control}"]`);
  if (!el || (el as HTMLButtonElement).disabled) return false;
  if (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT") {
    el.focus();
    if (el instanceof HTMLInputElement) el.select();
  } else {
    el.click();
  }
  return true;
}
