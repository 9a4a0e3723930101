// Theme: `system` follows prefers-color-scheme (App.css); `light`/`dark` pin the CSS variables
// through data-theme on <html>.

export type Theme = "system" | "light" | "dark";

export const THEMES: readonly Theme[] = ["system", "light", "dark"];

export function isTheme(v: string): v is Theme {
  return (THEMES as readonly string[]).includes(v);
}

export function applyTheme(theme: string): void {
  const root = document.documentElement;
  if (theme === "light" || theme === "dark") {
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  } else {
    delete root.dataset.theme;
    root.style.colorScheme = "";
  }
}
