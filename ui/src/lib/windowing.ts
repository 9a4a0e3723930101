import { useState } from "react";

// Windowed lists: which rows of a long list are on screen, and which page of rows to ask the
// engine for so that those rows are loaded. VirtualList renders the rows; a screen whose list is
// too long to cross IPC whole (Audit: 100 000 grants) asks for pages through `pageAround`.

/** Rows `start` (included) to `end` (excluded). */
export interface Range {
  start: number;
  end: number;
}

/** The rows in view at `scrollTop` in a box `height` px tall, and `overscan` more on each side. */
export function rangeFor(scrollTop: number, height: number, rowHeight: number, count: number, overscan: number): Range {
  const first = Math.floor(scrollTop / rowHeight);
  const visible = Math.ceil(height / rowHeight) + 1;
  return { start: Math.max(0, first - overscan), end: Math.min(count, first + visible + overscan) };
}

/** A page of rows to ask for: `limit` rows from `offset`. */
export interface PageWindow {
  offset: number;
  limit: number;
}

/**
 * The page that holds `range`: it starts at a multiple of `step` and is at least `size` rows
 * long, so scrolling asks again only when the view crosses a step (not on every row), and a page
 * already asked for keeps its key.
 */
export function pageAround(range: Range, step: number, size: number): PageWindow {
  const offset = Math.max(0, Math.floor(range.start / step) * step);
  const needed = Math.ceil((range.end - offset) / step) * step;
  return { offset, limit: Math.max(size, needed) };
}


/**
 * The page a windowed list asks for: the top (`size` rows) until VirtualList reports the rows in
 * view (give it the returned callback as `onRangeChange`), then the page around them; the top
 * again whenever `filterKey` changes. The window changes only when the page does.
 */
export function usePageWindow(filterKey: string, step: number, size: number): [PageWindow, (range: Range) => void] {
  const [asked, setAsked] = useState<PageWindow & { filter: string }>({ filter: filterKey, offset: 0, limit: size });
  const win = asked.filter === filterKey ? { offset: asked.offset, limit: asked.limit } : { offset: 0, limit: size };
  const onRangeChange = (range: Range) => {
    const next = pageAround(range, step, size);
    setAsked((a) => (a.filter === filterKey && a.offset === next.offset && a.limit === next.limit ? a : { filter: filterKey, ...next }));
  };
  return [win, onRangeChange];
}
