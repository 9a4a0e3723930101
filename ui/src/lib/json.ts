import { visible } from "./text";
import type { JsonValue } from "../api";

export type JsonObject = { [key in string]?: JsonValue };

export function isJsonObject(v: JsonValue | null | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function prettyJson(v: JsonValue | undefined): string {
  return JSON.stringify(v ?? null, null, 2);
}

/** A claim's value as one line of text: strings as they are, arrays of strings joined. */
export function valueText(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return "null";
  if (typeof v === "string") return visible(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return visible(v.join(", "));
  return visible(JSON.stringify(v));
}
