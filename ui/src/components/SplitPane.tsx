import { type KeyboardEvent, type PointerEvent, type ReactNode, useRef, useState } from "react";
import { readNumberPref, writePref } from "../lib/layoutPrefs";

const MIN = 220;
const MAX = 560;
const STEP = 24;

/** A list and its detail side by side, split by a handle the user drags (or moves with the
 *  arrow keys); the list's width is remembered per `id`. The detail always keeps at least
 *  half of the room: the list never squeezes it below what its tables need. */
export default function SplitPane({ id, list, detail, initial = 300 }: { id: string; list: ReactNode; detail: ReactNode; initial?: number }) {
  const [width, setWidth] = useState(() => readNumberPref(`split.${id}`, initial, MIN, MAX));
  const root = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; width: number } | null>(null);

  const clamp = (w: number) => {
    // Before layout (or in a test) the room is unknown: only the bounds apply.
    const room = root.current?.clientWidth || 2 * MAX;
    return Math.round(Math.min(MAX, Math.max(MIN, Math.min(w, room / 2))));
  };
  const commit = (w: number) => {
    const next = clamp(w);
    setWidth(next);
    writePref(`split.${id}`, String(next));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = { x: e.clientX, width };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current) setWidth(clamp(drag.current.width + e.clientX - drag.current.x));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    const start = drag.current;
    drag.current = null;
    commit(start.width + e.clientX - start.x);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "ArrowLeft") commit(width - STEP);
    else if (e.key === "ArrowRight") commit(width + STEP);
    else if (e.key === "Home") commit(MIN);
    else if (e.key === "End") commit(MAX);
    else return;
    e.preventDefault();
  };

  return (
    <div className="split" ref={root} style={{ gridTemplateColumns: `${width}px 6px minmax(0, 1fr)` }} data-testid={`split-${id}`} data-list-width={width}>
      <div className="split-list">{list}</div>
      {/* biome-ignore lint/a11y/useSemanticElements: a focusable, draggable separator has no native element (WAI-ARIA window splitter) */}
      <div
        className="split-handle"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the list"
        aria-valuemin={MIN}
        aria-valuemax={MAX}
        aria-valuenow={width}
        tabIndex={0}
        data-testid={`split-${id}-handle`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onKeyDown={onKeyDown}
      />
      <div className="split-detail">{detail}</div>
    </div>
  );
}
