// The one way screens read data over IPC: `useQuery(key, fetcher)` → { data, error, loading, reload }.
// Why not TanStack Query: start-up time is measured and it would add a library several times this
// file's size for what the app does not use (retries, focus refetch, garbage-collection timers,
// devtools, SSR). The app needs four things, here in one small module: a cache keyed by string and
// shared by every screen, answers applied in request order, prefix invalidation, start-up priming.
//
// Rules: a key names one request and its answer type (`clients`, `grants/page/web/0+100`, …); everything
// derived from grants lives under GRANTS, which `grants-changed` and grant actions invalidate.
// Every mount asks again unless a request for the key is already running (it then waits for that
// one) or the start-up prefetch primed the key; cached data is shown meanwhile.
import { useCallback, useLayoutEffect, useRef, useState, useSyncExternalStore } from "react";
import { errorInWords, type ErrorInWords } from "./errors";

/** Loads a key's data. */
export type Fetcher<T> = () => Promise<T>;

interface Snapshot {
  data: unknown;
  error: ErrorInWords | null;
  /** `Date.now()` when the running request began; `null` when none runs. */
  since: number | null;
}

interface Entry {
  snap: Snapshot;
  /** The newest request's number: an answer to an older one is dropped. */
  seq: number;
  /** The newest request while it runs; a mount waits for it instead of asking again. */
  running: Promise<void> | null;
  /** How a subscriber loads this key; invalidation asks again with it. */
  fetcher: Fetcher<unknown> | null;
  /** Set by `prime`: the next mount takes the data without asking. */
  primed: boolean;
  listeners: Set<() => void>;
}

const IDLE: Snapshot = { data: undefined, error: null, since: null };
/** Answers kept for keys no component shows (oldest dropped first): enough for every screen. */
const MAX_UNSHOWN = 40;
const cache = new Map<string, Entry>();

function entry(key: string): Entry {
  let e = cache.get(key);
  if (!e) {
    e = { snap: IDLE, seq: 0, running: null, fetcher: null, primed: false, listeners: new Set() };
    cache.set(key, e);
  }
  return e;
}

/** The last component showing `key` is gone: keep the answer for the next visit, or drop it. */
function unshown(key: string, e: Entry, keep: boolean): void {
  if (cache.get(key) !== e) return;
  cache.delete(key);
  if (!keep) return;
  cache.set(key, e);
  let unshownCount = 0;
  for (const other of cache.values()) if (other.listeners.size === 0) unshownCount++;
  for (const [k, other] of cache) {
    if (unshownCount <= MAX_UNSHOWN) break;
    if (other.listeners.size === 0) {
      cache.delete(k);
      unshownCount--;
    }
  }
}

function publish(e: Entry, next: Partial<Snapshot>): void {
  e.snap = { ...e.snap, ...next };
  for (const notify of e.listeners) notify();
}

function request(key: string, e: Entry, fetcher: Fetcher<unknown>): Promise<void> {
  const seq = ++e.seq;
  const newest = () => cache.get(key) === e && e.seq === seq;
  e.primed = false;
  publish(e, { since: Date.now() });
  let answer: Promise<unknown>;
  try {
    answer = Promise.resolve(fetcher());
  } catch (err) {
    answer = Promise.reject(err);
  }
  const done: Promise<void> = answer.then(
    (data) => {
      if (newest()) publish(e, { data, error: null, since: null });
    },
    (err: unknown) => {
      // The data of an earlier answer stays: a failed reload keeps showing what was loaded.
      if (newest()) publish(e, { error: errorInWords(err), since: null });
    },
  );
  e.running = done;
  void done.then(() => {
    if (e.running === done) e.running = null;
  });
  return done;
}

/**
 * Marks every key starting with `prefix` as out of date: keys on screen are asked again now,
 * the others are dropped (never shown again). Resolves when the new answers are in.
 */
export function invalidate(prefix: string): Promise<void> {
  const asked: Promise<void>[] = [];
  for (const [key, e] of cache) {
    if (!key.startsWith(prefix)) continue;
    if (e.listeners.size === 0) cache.delete(key);
    else if (e.fetcher) asked.push(request(key, e, e.fetcher));
  }
  return Promise.all(asked).then(() => undefined);
}

/** Stores an answer obtained elsewhere (start-up prefetch); the next mount uses it without asking. */
export function prime<T>(key: string, data: T): void {
  const e = entry(key);
  e.seq++;
  publish(e, { data, error: null, since: null });
  e.primed = true;
}

/** Replaces a key's data (an optimistic change, a saved value); a request still running is dropped. */
export function setQueryData<T>(key: string, data: T): void {
  const e = entry(key);
  e.seq++;
  publish(e, { data, error: null, since: null });
}

/** Empties the cache (tests, between cases). */
export function resetQueries(): void {
  cache.clear();
}

export interface Query<T> {
  /** The newest answer; `undefined` until one arrived (or, with `keepPrevious`, the last key's). */
  data: T | undefined;
  /** The newest request's failure, cleared by the next success. */
  error: ErrorInWords | null;
  loading: boolean;
  /** `Date.now()` when the running request began, for a progress display. */
  since: number | null;
  /** Asks again now (with `once` instead of the usual fetcher for this one request). */
  reload: (once?: Fetcher<T>) => Promise<void>;
}

interface Options {
  /** While a new key has no data yet, keep showing the previous key's (a filter being changed). */
  keepPrevious?: boolean;
  /** Drop the answer as soon as no component shows it (a pasted token is not kept). */
  transient?: boolean;
}

/** `key` null: nothing to load yet (no client chosen). */
export function useQuery<T>(key: string | null, fetcher: Fetcher<T>, { keepPrevious = false, transient = false }: Options = {}): Query<T> {
  // Layout effects, not effects: the request goes out as soon as the screen is in the DOM. Preact
  // runs effects only after the next frame, which delayed every screen's first request by one.
  const latest = useRef(fetcher);
  useLayoutEffect(() => {
    latest.current = fetcher;
  });

  const subscribe = useCallback(
    (notify: () => void) => {
      if (key === null) return () => undefined;
      const e = entry(key);
      e.listeners.add(notify);
      return () => {
        e.listeners.delete(notify);
        if (e.listeners.size === 0) unshown(key, e, !transient);
      };
    },
    [key, transient],
  );
  const snap = useSyncExternalStore(subscribe, () => (key === null ? IDLE : (cache.get(key)?.snap ?? IDLE)));

  useLayoutEffect(() => {
    if (key === null) return;
    const e = entry(key);
    e.fetcher = () => latest.current();
    if (e.primed) e.primed = false;
    else if (!e.running) void request(key, e, e.fetcher);
  }, [key]);

  const reload = useCallback(
    (once?: Fetcher<T>) => {
      if (key === null) return Promise.resolve();
      const e = entry(key);
      return request(key, e, (once as Fetcher<unknown> | undefined) ?? e.fetcher ?? (() => latest.current()));
    },
    [key],
  );

  // The previous key's data, remembered during render (React's "state from the previous render").
  const [previous, setPrevious] = useState<unknown>(undefined);
  if (keepPrevious && snap.data !== undefined && snap.data !== previous) setPrevious(snap.data);
  const data = (snap.data ?? (keepPrevious ? previous : undefined)) as T | undefined;

  return { data, error: snap.error, loading: snap.since !== null, since: snap.since, reload };
}
