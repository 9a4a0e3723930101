// The setup every component test shares. A test file declares the api mock itself (vitest hoists
// vi.mock only in the file that calls it), then lets this helper do the rest:
//
//   vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());
//   const m = setupApi({ now: NOW });
//
// Before each test: every mock reset to the default answers (apiMock.ts), the query cache empty,
// and with `now` the clock (Date only) fixed at that Unix time. After each: the rendered tree
// unmounted, real time back, and <html> without theme attributes.
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";
import * as api from "../api";
import { resetQueries } from "../lib/useQuery";
import { defaultAnswers } from "./apiMock";

export { serveAudit, servePages } from "./apiMock";
export * from "./fixtures";

export function setupApi({ now }: { now?: number } = {}) {
  beforeEach(() => {
    vi.resetAllMocks();
    resetQueries();
    defaultAnswers(api);
    if (now !== undefined) {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date(now * 1000));
    }
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    resetQueries();
    const root = document.documentElement;
    delete root.dataset.theme;
    delete root.dataset.scheme;
    root.style.colorScheme = "";
  });
  return vi.mocked(api);
}
