// Layout choices the user made (sidebar collapsed, list widths), remembered across restarts in
// localStorage. Only layout lives here: nothing about clients, grants or tokens.

const PREFIX = "oauthdesk.layout.";

export function readPref(key: string): string | null {
  try {
    return window.localStorage.getItem(PREFIX + key);
  } catch {
    return null;
  }
}

export function writePref(key: string, value: string): void {
  try {
    window.localStorage.setItem(PREFIX + key, value);
  } catch {
    // Storage unavailable (private mode, quota): the choice lasts for this session only.
  }
}

/** A remembered number, clamped to [min, max]; `fallback` when absent or not a number. */
export function readNumberPref(key: string, fallback: number, min: number, max: number): number {
  const raw = readPref(key);
  const n = raw === null ? Number.NaN : Number(raw);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}
