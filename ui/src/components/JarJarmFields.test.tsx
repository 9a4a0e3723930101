import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formFromClient, specFromForm } from "../lib/clientForm";
import { client, meta } from "../test/fixtures";
import JarJarmFields from "./JarJarmFields";

const noop = () => undefined;

afterEach(cleanup);

describe("JarJarmFields", () => {
  it("offers off, by value and through PAR, and reports the choice", () => {
    const onJar = vi.fn();
    render(<JarJarmFields jar="off" responseMode="" authMethod="private_key_jwt" meta={meta()} onJar={onJar} onResponseMode={noop} />);
    const select = screen.getByLabelText("Signed request object (JAR)") as HTMLSelectElement;
    expect(
      [...select.options].map((o) => o.value),
      "the three JAR modes the core knows",
    ).toEqual(["off", "value", "par"]);
    fireEvent.change(select, { target: { value: "par" } });
    expect(onJar, "a choice reports the mode").toHaveBeenCalledWith("par");
    expect(screen.queryByTestId("client-jar-no-key"), "a key-holding client has something to sign with").toBeNull();
  });

  it("says when the server requires JAR and when a public client cannot sign", () => {
    render(<JarJarmFields jar="off" responseMode="" authMethod="none" meta={meta({ require_signed_request_object: true })} onJar={noop} onResponseMode={noop} />);
    expect(screen.getByTestId("client-jar-required").textContent, "the server's requirement is named").toContain("requires signed request objects");
    expect(screen.getByTestId("client-jar-no-key").textContent, "a public client is told it has no key").toContain("nothing to sign");
    cleanup();
    render(<JarJarmFields jar="value" responseMode="" authMethod="tls_client_auth" meta={meta()} onJar={noop} onResponseMode={noop} />);
    expect(screen.getByTestId("client-jar-no-key").textContent, "an mTLS client holds no signing key either").toContain("tls_client_auth");
  });

  it("offers every response mode the listener receives and warns about unlisted ones", () => {
    const onMode = vi.fn();
    render(
      <JarJarmFields jar="off" responseMode="form_post.jwt" authMethod="none" meta={meta({ response_modes_supported: ["query", "jwt"] })} onJar={noop} onResponseMode={onMode} />,
    );
    const select = screen.getByLabelText("Response mode") as HTMLSelectElement;
    expect(
      [...select.options].map((o) => o.value),
      "default, the plain modes and the four JARM modes",
    ).toEqual(["", "query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt"]);
    expect(screen.getByTestId("client-response-mode-unlisted").textContent, "a mode the server does not list is flagged").toContain("form_post.jwt");
    fireEvent.change(select, { target: { value: "jwt" } });
    expect(onMode, "a choice reports the mode").toHaveBeenCalledWith("jwt");
  });

  it("round-trips through the client form into the spec", () => {
    const form = formFromClient(client({ jar: "value", response_mode: "query.jwt" }));
    expect([form.jar, form.responseMode], "the stored settings fill the form").toEqual(["value", "query.jwt"]);
    const spec = specFromForm({ ...form, responseMode: "" }, null);
    expect([spec.jar, spec.response_mode], "the default mode is sent as null").toEqual(["value", null]);
  });
});
