import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Exchange, FlowTranscript } from "../api";
import { NOW, setupApi } from "../test/setup";
import TranscriptView from "./TranscriptView";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi({ now: NOW });

const ex = (step: string, url: string, body: string, status = 200): Exchange => ({
  step,
  started_at_ms: NOW * 1000,
  duration_ms: 5,
  request: { method: "POST", url, headers: [["authorization", "Basic [redacted]"]], body: "grant_type=client_credentials" },
  response: { status, headers: [["content-type", "application/json"]], body },
  note: null,
});

const flow = (exchanges: Exchange[], at = NOW - 60): FlowTranscript => ({ flow_id: "f-1", operation: "login", grant_id: null, at, exchanges });

describe("TranscriptView", () => {
  it("pretty-prints JSON bodies and cuts a huge one with a note", () => {
    const huge = JSON.stringify({ items: Array.from({ length: 5000 }, (_, i) => ({ i, name: `item-${i}` })) });
    render(<TranscriptView now={NOW} transcript={flow([ex("discovery", "https://as.example/.well-known/openid-configuration", '{"issuer":"https://as.example","scopes_supported":["openid"]}'), ex("jwks", "https://as.example/jwks", huge)])} />);
    const [small, big] = screen.getAllByTestId("response-body");
    expect(small.textContent, "JSON is indented, one member a line").toBe('{\n  "issuer": "https://as.example",\n  "scopes_supported": [\n    "openid"\n  ]\n}');
    expect(big.textContent?.length ?? 0, "a huge body is bounded").toBeLessThanOrEqual(20_000);
    expect(screen.getByTestId("response-body-cut").textContent, "and says how much is left out").toMatch(/more characters not shown/);
  });

  it("finds the steps whose URL, headers or body contain the search text", () => {
    render(
      <TranscriptView
        now={NOW}
        transcript={flow([ex("discovery", "https://as.example/.well-known/openid-configuration", '{"issuer":"x"}'), ex("token request", "https://as.example/token", '{"error":"invalid_client"}', 401)])}
      />,
    );
    const search = screen.getByTestId("transcript-search");
    fireEvent.change(search, { target: { value: "INVALID_CLIENT" } });
    const shown = screen.getAllByTestId(/^exchange-/);
    expect(shown.map((e) => e.dataset.step), "only the step whose body matches, case-insensitively").toEqual(["token request"]);
    expect(shown[0].querySelector("details")?.open, "a match is opened to show where").toBe(true);
    expect(shown[0].getAttribute("value"), "and keeps its step number in the flow").toBe("2");
    expect(screen.getByTestId("transcript-search-count").textContent, "the count of matches").toBe("1 of 2 steps match");
    fireEvent.change(search, { target: { value: "basic [redacted]" } });
    expect(screen.getAllByTestId(/^exchange-/), "headers are searched too").toHaveLength(2);
    fireEvent.change(search, { target: { value: "" } });
    expect(screen.getAllByTestId(/^exchange-/), "an empty search shows every step").toHaveLength(2);
  });

  it("copies curl and the response through Rust, and says the recording is in the past", async () => {
    const x = ex("token request", "https://as.example/token", '{"access_token":"[redacted]"}');
    // The page's clock a second behind the recording must not say "in 1 s".
    render(<TranscriptView now={NOW} transcript={flow([x], NOW + 1)} />);
    expect(screen.getByTestId("transcript").textContent, "past tense").toContain("recorded just now");
    expect(screen.getByTestId("transcript").textContent, "never the future tense").not.toContain("in 1 s");
    const step = screen.getByTestId("exchange-0");
    fireEvent.click(within(step).getByTestId("copy-curl"));
    await waitFor(() => expect(m.copyCurl, "curl is copied from Rust, from the recorded (redacted) request").toHaveBeenCalledWith(x.request));
    expect((await within(step).findByTestId("copy-status")).textContent, "the copy is confirmed").toContain("Copied as curl");
    fireEvent.click(within(step).getByTestId("copy-response"));
    await waitFor(() => expect(m.copyResponse, "the response is copied from Rust").toHaveBeenCalledWith(x.response));
  });

  it("shows the curl text to select by hand when the clipboard fails", async () => {
    m.copyCurl.mockRejectedValue({ code: "error", message: "could not use the clipboard: no display", hint: null, oauth: null, checks: null });
    m.renderCurl.mockResolvedValue("curl -X POST https://as.example/token");
    render(<TranscriptView now={NOW} transcript={flow([ex("token request", "https://as.example/token", "{}")])} />);
    fireEvent.click(screen.getByTestId("copy-curl"));
    expect((await screen.findByTestId("curl-text")).textContent, "the command to copy by hand").toContain("curl -X POST");
    expect(screen.getByRole("alert").textContent, "and why the copy failed").toContain("clipboard");
  });
});
