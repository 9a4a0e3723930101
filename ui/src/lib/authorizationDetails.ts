/**
 * Rich authorization requests (RFC 9396) in the editor: the same checks the Rust side makes
 * before anything is sent (crates/protocol/src/rar.rs), live, in words with the entry's index;
 * and a template object per type to start from.
 */

export const MAX_BYTES = 32 * 1024;
const MAX_ENTRIES = 64;
const STRING_ARRAYS = ["locations", "actions", "datatypes", "privileges"];

export type DetailsCheck =
  | { ok: true; value: Record<string, unknown>[] | null }
  | { ok: false; message: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks the editor's text: empty is "none"; a single object counts as an array of one. */
export function checkDetails(text: string): DetailsCheck {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: null };
  if (new TextEncoder().encode(trimmed).length > MAX_BYTES) {
    return { ok: false, message: `More than the ${MAX_BYTES} bytes accepted.` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (e) {
    return { ok: false, message: `Not JSON (${e instanceof Error ? e.message : String(e)}); RFC 9396 §2 wants a JSON array of objects.` };
  }
  const items = isObject(parsed) ? [parsed] : parsed;
  if (!Array.isArray(items)) return { ok: false, message: "Must be a JSON array of objects (RFC 9396 §2)." };
  if (items.length === 0) return { ok: false, message: "The array is empty; clear the field instead (RFC 9396 §2)." };
  if (items.length > MAX_ENTRIES) return { ok: false, message: `${items.length} entries is more than the ${MAX_ENTRIES} accepted.` };
  for (const [i, item] of items.entries()) {
    if (!isObject(item)) return { ok: false, message: `Entry ${i} is not a JSON object (RFC 9396 §2).` };
    if (!("type" in item)) return { ok: false, message: `Entry ${i} has no \`type\`, which RFC 9396 §2 requires.` };
    if (typeof item.type !== "string" || item.type.trim() === "") {
      return { ok: false, message: `Entry ${i}: \`type\` must be a non-empty string (RFC 9396 §2).` };
    }
    for (const field of STRING_ARRAYS) {
      const v = item[field];
      if (v !== undefined && !(Array.isArray(v) && v.every((s) => typeof s === "string" && s !== ""))) {
        return { ok: false, message: `Entry ${i}: \`${field}\` must be an array of non-empty strings (RFC 9396 §2.2).` };
      }
    }
    if (item.identifier !== undefined && !(typeof item.identifier === "string" && item.identifier !== "")) {
      return { ok: false, message: `Entry ${i}: \`identifier\` must be a non-empty string (RFC 9396 §2.2).` };
    }
  }
  return { ok: true, value: items as Record<string, unknown>[] };
}

/** The distinct types of checked details, in order. */
export function detailTypes(value: Record<string, unknown>[] | null): string[] {
  return [...new Set((value ?? []).map((d) => String(d.type)))];
}

/** A starting object for `type`: the RFC 9396 examples for the common ones, else the §2.2 fields. */
export function template(type: string): Record<string, unknown> {
  switch (type) {
    case "payment_initiation":
      return { type, instructedAmount: { currency: "EUR", amount: "12.50" }, creditorName: "Merchant A" };
    case "account_information":
      // RFC 9396 §2's example.
      return { type, actions: ["list_accounts", "read_balances", "read_transactions"], locations: ["https://example.com/accounts"] };
    default:
      return { type, actions: [], locations: [] };
  }
}

/**
 * The text with a template of `type` appended; `null` when the text is not valid details
 * (nothing is inserted into something that cannot be read).
 */
export function insertTemplate(text: string, type: string): string | null {
  const checked = checkDetails(text);
  if (!checked.ok) return null;
  return JSON.stringify([...(checked.value ?? []), template(type)], null, 2);
}

/** The editor's text for stored details. */
export function detailsText(value: unknown): string {
  return value === null || value === undefined ? "" : JSON.stringify(value, null, 2);
}
