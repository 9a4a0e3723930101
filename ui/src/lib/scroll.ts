/** Brings an element into view, where the platform can (jsdom cannot). */
export function reveal(el: Element | null): void {
  if (el && typeof el.scrollIntoView === "function") el.scrollIntoView({ behavior: "smooth", block: "start" });
}
