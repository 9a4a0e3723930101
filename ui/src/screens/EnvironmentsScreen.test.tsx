import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Environment } from "../api";
import { setupApi } from "../test/setup";
import EnvironmentsScreen, { MASK } from "./EnvironmentsScreen";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();

const dev: Environment = {
  id: "id-dev",
  name: "dev",
  active: true,
  variables: [
    { name: "issuer", value: "https://dev.example", secret: false },
    { name: "apikey", value: null, secret: true },
  ],
};

describe("environments screen", () => {
  it("lists variables with secret values masked until revealed", async () => {
    m.listEnvironments.mockResolvedValue([dev]);
    m.revealVariable.mockResolvedValue("sk-live-123");
    render(<EnvironmentsScreen />);
    expect((await screen.findByTestId("env-var-value-issuer")).textContent, "a plain value is shown").toBe("https://dev.example");
    expect(screen.getByTestId("env-var-value-apikey").textContent, "a secret value is masked").toBe(MASK);
    expect(document.body.textContent, "the secret is not in the page before reveal").not.toContain("sk-live-123");

    fireEvent.click(screen.getByTestId("env-var-reveal-apikey"));
    await waitFor(() => expect(screen.getByTestId("env-var-value-apikey").textContent, "Reveal asks Rust and shows it").toBe("sk-live-123"));
    expect(m.revealVariable, "through the explicit reveal command").toHaveBeenCalledWith("dev", "apikey");
    fireEvent.click(screen.getByTestId("env-var-reveal-apikey"));
    expect(screen.getByTestId("env-var-value-apikey").textContent, "Hide masks it again").toBe(MASK);
  });

  it("creates an environment and sets a secret variable", async () => {
    m.listEnvironments.mockResolvedValue([]);
    m.createEnvironment.mockResolvedValue({ ...dev, variables: [] });
    m.setVariable.mockResolvedValue(dev);
    render(<EnvironmentsScreen />);
    await screen.findByText("No environments yet");
    m.listEnvironments.mockResolvedValue([{ ...dev, name: "staging", variables: [] }]);
    fireEvent.change(screen.getByTestId("env-new-name"), { target: { value: " staging " } });
    fireEvent.click(screen.getByTestId("env-create"));
    await waitFor(() => expect(m.createEnvironment, "the trimmed name is created").toHaveBeenCalledWith("staging"));

    const name = await screen.findByTestId("env-var-name");
    fireEvent.change(name, { target: { value: "apikey" } });
    fireEvent.click(screen.getByTestId("env-var-secret"));
    const value = screen.getByTestId("env-var-value") as HTMLInputElement;
    expect(value.type, "a secret value is typed into a password field").toBe("password");
    fireEvent.change(value, { target: { value: "s3cret" } });
    fireEvent.click(screen.getByTestId("env-var-add"));
    await waitFor(() => expect(m.setVariable, "the value goes to Rust marked secret").toHaveBeenCalledWith("staging", "apikey", "s3cret", true));
  });

  it("imports a Postman environment file and reports what it did", async () => {
    m.listEnvironments.mockResolvedValue([]);
    m.importPostmanEnvironment.mockResolvedValue({ environment: "staging", existed: false, variables: 2, secrets: 1, skipped: ["old: disabled"] });
    render(<EnvironmentsScreen />);
    const text = JSON.stringify({ name: "staging", values: [] });
    const file = new File([text], "staging.postman_environment.json", { type: "application/json" });
    fireEvent.change(screen.getByTestId("env-import-file"), { target: { files: [file] } });
    await waitFor(() => expect(m.importPostmanEnvironment, "the file's text goes to Rust").toHaveBeenCalledWith(text));
    expect((await screen.findByTestId("env-notice")).textContent, "the report names counts and skips").toMatch(/Created staging: 2 variable\(s\), 1 secret\(s\) in the keychain; skipped old: disabled/);
  });

  it("deletes after confirmation", async () => {
    m.listEnvironments.mockResolvedValue([dev]);
    m.deleteEnvironment.mockResolvedValue(undefined);
    render(<EnvironmentsScreen />);
    fireEvent.click(await screen.findByTestId("env-delete"));
    expect(m.deleteEnvironment, "nothing is deleted before confirming").not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("env-delete-confirm"));
    await waitFor(() => expect(m.deleteEnvironment, "confirmed, the environment is deleted").toHaveBeenCalledWith("dev"));
  });
});
