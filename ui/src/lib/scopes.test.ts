import { describe, expect, it } from "vitest";
import { scopeDiff, splitScopes } from "./scopes";
import { appendEvent } from "./useLoginFlow";

describe("scopes", () => {
  it("splits on any whitespace and drops repeats", () => {
    expect(splitScopes("  openid  profile\topenid ")).toEqual(["openid", "profile"]);
    expect(splitScopes(null), "no scope string is no scopes").toEqual([]);
  });

  it("marks withheld and unrequested scopes", () => {
    const d = scopeDiff("openid email", "openid admin");
    expect(d.requested, "each requested scope, granted or not").toEqual([
      { scope: "openid", granted: true },
      { scope: "email", granted: false },
    ]);
    expect(d.granted, "each granted scope, requested or not").toEqual([
      { scope: "openid", requested: true },
      { scope: "admin", requested: false },
    ]);
    expect(scopeDiff("openid", null).sameAsRequested, "no scope in the response means as requested (RFC 6749 §5.1)").toBe(true);
  });
});

describe("flow events", () => {
  it("keeps one device poll entry, the latest", () => {
    const poll = (polls: number) => ({ event: { kind: "device_poll" as const, remaining_secs: 1, next_poll_in_secs: 5, interval_secs: 5, polls, last: "authorization_pending" }, at: polls });
    const code = { event: { kind: "step" as const, name: "device authorization" }, at: 0 };
    const events = [poll(1), poll(2)].reduce(appendEvent, [code]);
    expect(events.map((e) => e.event.kind), "the second poll replaced the first").toEqual(["step", "device_poll"]);
    expect(events[1].at, "the entry is the latest poll's").toBe(2);
  });
});
