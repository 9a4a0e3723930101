// Reading recorded exchanges: bodies pretty-printed (bounded), the expected "not yet" answers of
// device polling told apart from real errors, search, and millisecond times in words.
import type { Exchange, RecordedResponse } from "../api";

/** Characters of a body shown at most; the rest is cut with a note (the copy has it all). */
export const BODY_LIMIT = 20_000;

export interface Body {
  text: string;
  /** Whether it was JSON and is shown indented. */
  json: boolean;
  /** Characters left out. */
  cut: number;
}

/** A body for display: JSON indented by two spaces, anything else as sent; at most `limit` characters. */
export function prettyBody(body: string, limit = BODY_LIMIT): Body {
  let text = body;
  let json = false;
  const t = body.trim();
  // Parsing a huge body only to cut it would stall the page: only bodies that fit are indented.
  if ((t.startsWith("{") || t.startsWith("[")) && t.length <= limit * 4) {
    try {
      text = JSON.stringify(JSON.parse(t), null, 2);
      json = true;
    } catch {
      text = body;
    }
  }
  if (text.length <= limit) return { text, json, cut: 0 };
  // Never cut a surrogate pair in half.
  let end = limit;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), json, cut: text.length - end };
}

/** The `error` member of a JSON error response (RFC 6749 §5.2), if any. */
export function oauthErrorOf(response: RecordedResponse | null): string | null {
  if (!response || response.status < 400) return null;
  try {
    const v: unknown = JSON.parse(response.body);
    if (typeof v === "object" && v !== null && "error" in v && typeof v.error === "string") return v.error;
  } catch {
    return null;
  }
  return null;
}

/** A device poll answered "not yet" (RFC 8628 §3.5): expected while the user approves, not a failure. */
export function isExpectedPoll(exchange: Exchange): boolean {
  const error = oauthErrorOf(exchange.response);
  return exchange.response?.status === 400 && (error === "authorization_pending" || error === "slow_down");
}

/** Whether the exchange's step, URL, headers, bodies or note contain `query` (case-insensitive). */
export function exchangeMatches(exchange: Exchange, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === "") return true;
  const { request, response } = exchange;
  const parts = [exchange.step, exchange.note ?? "", request.method, request.url, request.body ?? "", ...request.headers.flat()];
  if (response) parts.push(String(response.status), response.body, ...response.headers.flat());
  return parts.some((p) => p.toLowerCase().includes(q));
}

/** A duration in milliseconds in words: "312 ms", "1.2 s", "12 s", "2 min 5 s". */
export function msInWords(ms: number): string {
  const v = Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : 0;
  if (v < 1000) return `${v} ms`;
  if (v < 10_000) return `${(Math.floor(v / 100) / 10).toFixed(1)} s`;
  if (v < 60_000) return `${Math.floor(v / 1000)} s`;
  const s = Math.floor(v / 1000);
  return s % 60 === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** An offset from the flow's start: "+0 ms", "+312 ms", "+1.2 s". */
export function offsetInWords(ms: number): string {
  return `+${msInWords(ms)}`;
}
