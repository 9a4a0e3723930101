import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode, type UIEvent } from "react";

interface Props<T> {
  items: readonly T[];
  /** Every row has this height in pixels: the window is computed, not measured. */
  rowHeight: number;
  getKey: (item: T) => string;
  renderRow: (item: T, index: number) => ReactNode;
  label: string;
  testId?: string;
  /** Rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
  overscan?: number;
  /** Used until the container has been measured (and in jsdom, which has no layout). */
  fallbackHeight?: number;
}

interface Range {
  start: number;
  end: number;
}

function rangeFor(scrollTop: number, height: number, rowHeight: number, count: number, overscan: number): Range {
  const first = Math.floor(scrollTop / rowHeight);
  const visible = Math.ceil(height / rowHeight) + 1;
  return { start: Math.max(0, first - overscan), end: Math.min(count, first + visible + overscan) };
}

/**
 * A windowed list: only the rows in view (plus a few) are in the DOM, positioned inside a spacer
 * as tall as the whole list, so 10 000 rows cost what 20 do. State changes only when the first
 * visible row changes, not on every scroll event. Up/Down/Home/End move the focus between rows,
 * scrolling as needed, so the keyboard reaches rows that are not rendered yet.
 */
export default function VirtualList<T>({ items, rowHeight, getKey, renderRow, label, testId, overscan = 6, fallbackHeight = 600 }: Props<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(fallbackHeight);
  const [range, setRange] = useState<Range>(() => rangeFor(0, fallbackHeight, rowHeight, items.length, overscan));

  const update = useCallback(
    (scrollTop: number, h: number) => {
      const next = rangeFor(scrollTop, h, rowHeight, items.length, overscan);
      setRange((r) => (r.start === next.start && r.end === next.end ? r : next));
    },
    [rowHeight, items.length, overscan],
  );

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const h = el.clientHeight > 0 ? el.clientHeight : fallbackHeight;
      setHeight(h);
      update(el.scrollTop, h);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [update, fallbackHeight]);

  const onScroll = (e: UIEvent<HTMLDivElement>) => update(e.currentTarget.scrollTop, height);

  const pendingFocus = useRef<number | null>(null);
  useEffect(() => {
    if (pendingFocus.current === null) return;
    const target = ref.current?.querySelector<HTMLElement>(`[aria-posinset="${pendingFocus.current + 1}"] button, [aria-posinset="${pendingFocus.current + 1}"] [tabindex]`);
    if (target) {
      pendingFocus.current = null;
      target.focus();
    }
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = ref.current;
    const row = (e.target as HTMLElement).closest("[aria-posinset]");
    if (!el || !row) return;
    const at = Number(row.getAttribute("aria-posinset")) - 1;
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[e.key];
    if (next === undefined || next < 0 || next >= items.length) return;
    e.preventDefault();
    const top = next * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height;
    update(el.scrollTop, height);
    pendingFocus.current = next;
    const target = el.querySelector<HTMLElement>(`[aria-posinset="${next + 1}"] button`);
    if (target) {
      pendingFocus.current = null;
      target.focus();
    }
  };

  const rows: ReactNode[] = [];
  for (let i = range.start; i < Math.min(range.end, items.length); i++) {
    const item = items[i];
    rows.push(
      <li
        key={getKey(item)}
        aria-setsize={items.length}
        aria-posinset={i + 1}
        className="vlist-row"
        style={{ position: "absolute", top: i * rowHeight, height: rowHeight, left: 0, right: 0 }}
      >
        {renderRow(item, i)}
      </li>,
    );
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the arrow keys come from the focused row buttons inside (delegation); the scroller itself takes no focus
    <div ref={ref} className="vlist" onScroll={onScroll} onKeyDown={onKeyDown} data-testid={testId}>
      <ul className="vlist-items" aria-label={label} style={{ position: "relative", height: items.length * rowHeight }}>
        {rows}
      </ul>
    </div>
  );
}
