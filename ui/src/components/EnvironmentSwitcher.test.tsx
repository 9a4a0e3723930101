import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Environment } from "../api";
import { ipcError, setupApi } from "../test/setup";
import EnvironmentSwitcher from "./EnvironmentSwitcher";

vi.mock("../api", async () => (await import("../test/apiMock")).apiMock());

const m = setupApi();

const env = (name: string, active = false): Environment => ({ id: `id-${name}`, name, active, variables: [] });

describe("environment switcher", () => {
  it("shows the active environment and switches through Rust", async () => {
    m.listEnvironments.mockResolvedValue([env("dev", true), env("prod")]);
    m.activateEnvironment.mockResolvedValue(env("prod", true));
    render(<EnvironmentSwitcher onEdit={() => undefined} />);
    const select = screen.getByTestId("env-switcher") as HTMLSelectElement;
    await waitFor(() => expect(select.value, "the active environment is selected").toBe("dev"));

    m.listEnvironments.mockResolvedValue([env("dev"), env("prod", true)]);
    fireEvent.change(select, { target: { value: "prod" } });
    await waitFor(() => expect(m.activateEnvironment, "the switch goes to Rust (shared with the CLI)").toHaveBeenCalledWith("prod"));
    await waitFor(() => expect(select.value, "the new environment is shown").toBe("prod"));

    fireEvent.change(select, { target: { value: "" } });
    await waitFor(() => expect(m.activateEnvironment, "No environment sends null").toHaveBeenCalledWith(null));
  });

  it("opens the Environments screen from its last entry without switching", async () => {
    m.listEnvironments.mockResolvedValue([env("dev", true)]);
    const onEdit = vi.fn();
    render(<EnvironmentSwitcher onEdit={onEdit} />);
    const select = screen.getByTestId("env-switcher") as HTMLSelectElement;
    await waitFor(() => expect(select.disabled, "enabled once loaded").toBe(false));
    const edit = Array.from(select.options).find((o) => o.textContent === "Edit environments…");
    fireEvent.change(select, { target: { value: edit?.value } });
    expect(onEdit, "Edit environments… opens the screen").toHaveBeenCalled();
    expect(m.activateEnvironment, "and changes nothing").not.toHaveBeenCalled();
  });

  it("says why a switch failed", async () => {
    m.listEnvironments.mockResolvedValue([env("dev", true), env("prod")]);
    m.activateEnvironment.mockRejectedValue(ipcError({ code: "invalid_input", message: 'no environment named "prod"' }));
    render(<EnvironmentSwitcher onEdit={() => undefined} />);
    const select = screen.getByTestId("env-switcher") as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe("dev"));
    fireEvent.change(select, { target: { value: "prod" } });
    expect((await screen.findByTestId("env-switcher-error")).textContent, "Rust's refusal in its words").toContain("no environment named");
  });
});
