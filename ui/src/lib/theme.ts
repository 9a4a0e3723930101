// Theme: on <html>, data-theme is the user's pin (`light`/`dark`, absent for `system`) and
// data-scheme the palette in use, always set: the pin, or for `system` what prefers-color-scheme
// says now (followed while it changes). App.css writes each palette once, keyed by data-scheme.

export type Theme = "system" | "light" | "dark";

export const THEMES: readonly Theme[] = ["system", "light", "dark"];

export function isTheme(v: string): v is Theme {
  return (THEMES as readonly string[]).includes(v);
}

const DARK_QUERY = "(prefers-color-scheme: dark)";

function systemQuery(): MediaQueryList | null {
  return typeof window !== "undefined" && typeof window.matchMedia === "function" ? window.matchMedia(DARK_QUERY) : null;
}

let following: MediaQueryList | null = null;

function showSystemScheme(): void {
  document.documentElement.dataset.scheme = systemQuery()?.matches ? "dark" : "light";
}

export function applyTheme(theme: string): void {
  const root = document.documentElement;
  following?.removeEventListener("change", showSystemScheme);
  following = null;
  if (theme === "light" || theme === "dark") {
    root.dataset.theme = theme;
    root.dataset.scheme = theme;
    root.style.colorScheme = theme;
  } else {
    delete root.dataset.theme;
    root.style.colorScheme = "";
    showSystemScheme();
    following = systemQuery();
    following?.addEventListener("change", showSystemScheme);
  }
}
