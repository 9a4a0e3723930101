import { act, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { setupApi } from "../test/setup";
import { invalidate, prime, setQueryData, useQuery, type Fetcher } from "./useQuery";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

setupApi();

/** A promise the test settles when it wants. */
function deferred<T>() {
  let resolve: (v: T) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve: (v: T) => act(async () => resolve(v)), reject: (e: unknown) => act(async () => reject(e)) };
}

function Show({ k, fetcher, testId = "shown" }: { k: string | null; fetcher: Fetcher<string>; testId?: string }) {
  const q = useQuery(k, fetcher);
  return (
    <p data-testid={testId} data-loading={q.loading}>
      {q.data ?? "none"}
      {q.error ? ` / ${q.error.message}` : ""}
    </p>
  );
}

const shown = (testId = "shown") => screen.getByTestId(testId).textContent;

describe("useQuery", () => {
  it("never lets an older answer overwrite a newer one", async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const fetcher = vi.fn<Fetcher<string>>().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    render(<Show k="k" fetcher={fetcher} />);
    act(() => {
      void invalidate("k");
    });
    expect(fetcher, "the invalidation asked again while the first request ran").toHaveBeenCalledTimes(2);
    await second.resolve("new");
    await first.resolve("old");
    expect(shown(), "the first request's late answer is dropped").toBe("new");
  });

  it("shares one key between components and asks once for both", async () => {
    const fetcher = vi.fn<Fetcher<string>>().mockResolvedValue("shared");
    render(
      <>
        <Show k="k" fetcher={fetcher} testId="a" />
        <Show k="k" fetcher={fetcher} testId="b" />
      </>,
    );
    await screen.findByText("shared", { selector: "[data-testid=b]" });
    expect(shown("a"), "both show the one answer").toBe("shared");
    expect(fetcher, "the second mount waits for the running request").toHaveBeenCalledTimes(1);
  });

  it("asks again on every mount, showing the cached answer meanwhile", async () => {
    const later = deferred<string>();
    const fetcher = vi.fn<Fetcher<string>>().mockResolvedValueOnce("cached").mockReturnValueOnce(later.promise);
    const { unmount } = render(<Show k="k" fetcher={fetcher} />);
    await screen.findByText("cached");
    unmount();
    render(<Show k="k" fetcher={fetcher} />);
    expect(shown(), "the last answer shows at once").toBe("cached");
    expect(fetcher, "and is checked again").toHaveBeenCalledTimes(2);
    await later.resolve("fresh");
    expect(shown(), "the fresh answer replaces the cached one").toBe("fresh");
  });

  it("keeps the data of a failed reload and shows the failure until a success", async () => {
    const fetcher = vi
      .fn<Fetcher<string>>()
      .mockResolvedValueOnce("loaded")
      .mockRejectedValueOnce({ code: "storage", message: "locked", hint: null, oauth: null, checks: null })
      .mockResolvedValueOnce("again");
    render(<Show k="k" fetcher={fetcher} />);
    await screen.findByText("loaded");
    await act(() => invalidate("k"));
    expect(shown(), "the failure is shown over what was loaded").toBe("loaded / locked");
    await act(() => invalidate("k"));
    expect(shown(), "a success clears it").toBe("again");
  });

  it("invalidates by prefix: keys on screen are asked again, the others dropped", async () => {
    const grants = vi.fn<Fetcher<string>>().mockResolvedValue("g");
    const clients = vi.fn<Fetcher<string>>().mockResolvedValue("c");
    const { unmount } = render(<Show k="grants/hidden" fetcher={grants} testId="hidden" />);
    await screen.findByText("g");
    unmount();
    render(
      <>
        <Show k="grants/shown" fetcher={grants} />
        <Show k="clients" fetcher={clients} testId="clients" />
      </>,
    );
    await screen.findByText("c");
    grants.mockClear();
    clients.mockClear();
    await act(() => invalidate("grants/"));
    expect(grants, "only the grants key on screen is asked again").toHaveBeenCalledTimes(1);
    expect(clients, "a key outside the prefix is left alone").not.toHaveBeenCalled();

    const next = deferred<string>();
    grants.mockReturnValueOnce(next.promise);
    render(<Show k="grants/hidden" fetcher={grants} testId="hidden" />);
    expect(shown("hidden"), "the dropped answer is not shown again").toBe("none");
    await next.resolve("g2");
    expect(shown("hidden"), "the new answer shows").toBe("g2");
  });

  it("hands a primed answer to the first mount without asking", async () => {
    prime("k", "primed");
    const fetcher = vi.fn<Fetcher<string>>().mockResolvedValue("asked");
    render(<Show k="k" fetcher={fetcher} />);
    expect(shown(), "the primed data is in the first frame").toBe("primed");
    expect(fetcher, "no request for what was just primed").not.toHaveBeenCalled();
  });

  it("drops a request still running when the data is set directly", async () => {
    const slow = deferred<string>();
    render(<Show k="k" fetcher={() => slow.promise} />);
    act(() => setQueryData("k", "saved"));
    await slow.resolve("stale");
    expect(shown(), "the value set after the request began wins").toBe("saved");
  });

  it("loads nothing for a null key", () => {
    const fetcher = vi.fn<Fetcher<string>>();
    render(<Show k={null} fetcher={fetcher} />);
    expect(fetcher, "a null key means nothing to load yet").not.toHaveBeenCalled();
    expect(screen.getByTestId("shown").dataset.loading, "and nothing is loading").toBe("false");
  });
});
