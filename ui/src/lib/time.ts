// Times in words, shared by every screen: "expires in 4 min", "issued 2 h ago". All inputs are
// Unix seconds (the Rust side's clock), never milliseconds.

/** The current time in Unix seconds. */
export function nowSecs(): number {
  return Math.floor(Date.now() / 1000);
}

/** A length of time, rounded down to its largest unit: "45 s", "4 min", "2 h", "3 d". */
export function durationInWords(secs: number): string {
  const s = Math.floor(Math.abs(secs));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

/** "in 4 min", "2 h ago" or "just now". */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  if (Math.abs(diff) < 1) return "just now";
  return diff > 0 ? `in ${durationInWords(diff)}` : `${durationInWords(diff)} ago`;
}

/** "expires in 4 min", "expired 2 h ago", or "no expiry given" when the server sent none. */
export function expiryInWords(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return "no expiry given";
  if (expiresAt > now) return `expires in ${durationInWords(expiresAt - now)}`;
  if (expiresAt === now) return "expires now";
  return `expired ${durationInWords(now - expiresAt)} ago`;
}

/** Claims whose value is a NumericDate (RFC 7519 §2) and that read better in words. */
export const TIME_CLAIMS: ReadonlySet<string> = new Set(["exp", "iat", "nbf", "auth_time", "updated_at"]);

/** A time claim in words, or `null` when `name` is not a time claim or the value no number. */
export function claimTimeInWords(name: string, value: unknown, now: number): string | null {
  if (!TIME_CLAIMS.has(name) || typeof value !== "number" || !Number.isFinite(value)) return null;
  switch (name) {
    case "exp":
      return expiryInWords(value, now);
    case "iat":
      return value > now ? `issued ${relativeTime(value, now)} (clock ahead?)` : `issued ${relativeTime(value, now)}`;
    case "nbf":
      return value > now ? `not valid for another ${durationInWords(value - now)}` : `valid since ${relativeTime(value, now)}`;
    case "auth_time":
      return `authenticated ${relativeTime(value, now)}`;
    default:
      return `updated ${relativeTime(value, now)}`;
  }
}

// What `Date.prototype.toLocaleString()` shows (ECMA-402's defaults for a date and a time), from
// one formatter: WebKit builds a new one for each such call (a Tokens page's rows made 15 of them).
let dateTime: Intl.DateTimeFormat | null = null;
const local = () =>
  (dateTime ??= new Intl.DateTimeFormat(undefined, { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" }));

/** The local date and time, for a tooltip or a second column next to the words. */
export function absoluteTime(at: number): string {
  const date = new Date(at * 1000);
  return Number.isNaN(date.getTime()) ? "Invalid Date" : local().format(date);
}

/** A countdown as m:ss ("9:59"), or h:mm:ss past an hour. */
export function countdown(secs: number): string {
  const s = Math.max(0, Math.floor(secs));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}
