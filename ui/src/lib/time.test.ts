import { describe, expect, it } from "vitest";
import { absoluteTime, claimTimeInWords, countdown, durationInWords, expiryInWords, relativeTime } from "./time";

const now = 1_750_000_000;

describe("times in words", () => {
  it("rounds down to the largest unit", () => {
    expect([durationInWords(45), durationInWords(299), durationInWords(7300), durationInWords(3 * 86400 + 5)]).toEqual(["45 s", "4 min", "2 h", "3 d"]);
  });

  it("says expiry both ways", () => {
    expect(expiryInWords(now + 240, now)).toBe("expires in 4 min");
    expect(expiryInWords(now - 7200, now)).toBe("expired 2 h ago");
    expect(expiryInWords(null, now), "a server without expires_in").toBe("no expiry given");
  });

  it("words each time claim for what it means", () => {
    expect(claimTimeInWords("exp", now + 240, now)).toBe("expires in 4 min");
    expect(claimTimeInWords("iat", now - 7200, now)).toBe("issued 2 h ago");
    expect(claimTimeInWords("auth_time", now - 7200, now)).toBe("authenticated 2 h ago");
    expect(claimTimeInWords("nbf", now + 120, now)).toBe("not valid for another 2 min");
    expect(claimTimeInWords("sub", 12345, now), "other claims are not times").toBeNull();
    expect(claimTimeInWords("exp", "soon", now), "a non-number exp is shown as is").toBeNull();
  });

  it("relative time and countdown", () => {
    expect(relativeTime(now, now)).toBe("just now");
    expect(relativeTime(now + 90, now)).toBe("in 1 min");
    expect([countdown(600), countdown(59), countdown(3725), countdown(-3)]).toEqual(["10:00", "0:59", "1:02:05", "0:00"]);
  });

  it("shows the local date and time as toLocaleString does, from one formatter", () => {
    for (const at of [0, now, now + 0.5, -86400 * 365 * 100]) {
      expect(absoluteTime(at), `the same text as toLocaleString for ${at}`).toBe(new Date(at * 1000).toLocaleString());
    }
    expect(absoluteTime(1e300), "a time no Date can hold is said so, not thrown").toBe("Invalid Date");
    expect(absoluteTime(Number.NaN), "nor is a missing one").toBe("Invalid Date");
  });
});
