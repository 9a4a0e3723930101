import { useEffect, useState } from "react";
import { nowSecs } from "./time";

/** The current Unix time in seconds, re-rendering the caller every `intervalMs` while `enabled`. */
export function useNow(enabled = true, intervalMs = 1000): number {
  const [now, setNow] = useState(nowSecs);
  useEffect(() => {
    if (!enabled) return;
    setNow(nowSecs());
    const timer = setInterval(() => setNow(nowSecs()), intervalMs);
    return () => clearInterval(timer);
  }, [enabled, intervalMs]);
  return now;
}

/** Milliseconds since `sinceMs`, ticking every second while `sinceMs` is set. */
export function useElapsedMs(sinceMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (sinceMs === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [sinceMs]);
  return sinceMs === null ? 0 : Math.max(0, now - sinceMs);
}
