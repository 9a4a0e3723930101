// Server-sent and pasted text made safe to show: control characters (C0, DEL, C1) and the
// bidirectional overrides that can disguise text ("Trojan Source") are written as visible
// escapes (`\u{1b}`), the same rule as the Rust side's `protocol::text::escape_controls`.
// React already escapes HTML; this is about characters that reorder or hide what is shown.

/** C0 (but tab and newline when lines are kept), DEL, C1, and the bidi marks and overrides. */
function unsafe(cp: number, keepLines: boolean): boolean {
  if (keepLines && (cp === 0x09 || cp === 0x0a)) return false;
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069)
  );
}

/** `text` with every control character escaped; newlines and tabs kept when `keepLines`. */
export function visible(text: string, keepLines = true): string {
  let out = "";
  for (const c of text) {
    const cp = c.codePointAt(0) ?? 0;
    out += unsafe(cp, keepLines) ? `\\u{${cp.toString(16)}}` : c;
  }
  return out;
}
