import { describe, expect, it } from "vitest";
import { visible } from "./text";

describe("visible", () => {
  it("escapes terminal sequences and bidi overrides, keeps plain text and lines", () => {
    expect(visible("bad\u001b]0;pwned\u0007"), "ESC and BEL are shown, not interpreted").toBe("bad\\u{1b}]0;pwned\\u{7}");
    expect(visible("a\u202eb"), "a right-to-left override cannot reorder what is shown").toBe("a\\u{202e}b");
    expect(visible("line one\nline two"), "newlines stay where text has lines").toBe("line one\nline two");
    expect(visible("a\nb", false), "on one line, a newline is escaped").toBe("a\\u{a}b");
    expect(visible("openid email"), "ordinary text is unchanged").toBe("openid email");
  });
});
