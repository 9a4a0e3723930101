import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode, type UIEvent } from "react";
import { rangeFor, type Range } from "../lib/windowing";

interface Props<T> {
  /** The rows; with `page`, the loaded ones only (`page.offset` is the index of the first). */
  items: readonly T[];
  /** `items` is one loaded page of a longer list of `total` rows: the scroll area is as tall as
   *  all of them, and rows outside the page show `renderPlaceholder` until their page arrives. */
  page?: { offset: number; total: number };
  /** Every row has this height in pixels: the window is computed, not measured. */
  rowHeight: number;
  getKey: (item: T) => string;
  renderRow: (item: T, index: number) => ReactNode;
  /** A row not loaded yet (only with `page`). */
  renderPlaceholder?: (index: number) => ReactNode;
  /** Called with the rows in view (and the overscan) when they change: which page to load. */
  onRangeChange?: (range: Range) => void;
  label: string;
  testId?: string;
  /** Rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
  overscan?: number;
  /** Used until the container has been measured (and in jsdom, which has no layout). */
  fallbackHeight?: number;
}

/**
 * A windowed list: only the rows in view (plus a few) are in the DOM, positioned inside a spacer
 * as tall as the whole list, so 10 000 rows cost what 20 do. State changes only when the first
 * visible row changes, not on every scroll event. Up/Down/Home/End move the focus between rows,
 * scrolling as needed, so the keyboard reaches rows that are not rendered yet. With `page`, the
 * list is longer than what is loaded (Audit): it reports the rows in view so their page is asked for.
 */
export default function VirtualList<T>({ items, page, rowHeight, getKey, renderRow, renderPlaceholder, onRangeChange, label, testId, overscan = 6, fallbackHeight = 600 }: Props<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const count = page?.total ?? items.length;
  const first = page?.offset ?? 0;
  const [height, setHeight] = useState(fallbackHeight);
  const [range, setRange] = useState<Range>(() => rangeFor(0, fallbackHeight, rowHeight, count, overscan));

  const update = useCallback(
    (scrollTop: number, h: number) => {
      const next = rangeFor(scrollTop, h, rowHeight, count, overscan);
      setRange((r) => (r.start === next.start && r.end === next.end ? r : next));
    },
    [rowHeight, count, overscan],
  );

  const rangeChanged = useRef(onRangeChange);
  useEffect(() => {
    rangeChanged.current = onRangeChange;
  });
  useEffect(() => {
    rangeChanged.current?.(range);
  }, [range]);

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
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: count - 1 }[e.key];
    if (next === undefined || next < 0 || next >= count) return;
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
  for (let i = range.start; i < Math.min(range.end, count); i++) {
    const item = i >= first && i - first < items.length ? items[i - first] : undefined;
    if (item === undefined && !renderPlaceholder) continue;
    rows.push(
      <li
        key={item === undefined ? `#${i}` : getKey(item)}
        aria-setsize={count}
        aria-posinset={i + 1}
        className="vlist-row"
        style={{ position: "absolute", top: i * rowHeight, height: rowHeight, left: 0, right: 0 }}
      >
        {item === undefined ? renderPlaceholder?.(i) : renderRow(item, i)}
      </li>,
    );
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the arrow keys come from the focused row buttons inside (delegation); the scroller itself takes no focus
    <div ref={ref} className="vlist" onScroll={onScroll} onKeyDown={onKeyDown} data-testid={testId}>
      <ul className="vlist-items" aria-label={label} style={{ position: "relative", height: count * rowHeight }}>
        {rows}
      </ul>
    </div>
  );
}
