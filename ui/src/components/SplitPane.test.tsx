import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import SplitPane from "./SplitPane";

afterEach(cleanup);

describe("split pane", () => {
  it("moves the split with the arrow keys, within bounds, and remembers it", () => {
    localStorage.clear();
    const { unmount } = render(<SplitPane id="t" initial={300} list={<p>list</p>} detail={<p>detail</p>} />);
    const handle = screen.getByRole("separator", { name: "Resize the list" });
    expect(handle.getAttribute("aria-valuenow"), "starts at the initial width").toBe("300");
    fireEvent.keyDown(handle, { key: "ArrowRight" });
    expect(handle.getAttribute("aria-valuenow"), "ArrowRight widens the list by a step").toBe("324");
    fireEvent.keyDown(handle, { key: "Home" });
    expect(handle.getAttribute("aria-valuenow"), "Home goes to the narrowest list").toBe("220");
    fireEvent.keyDown(handle, { key: "ArrowLeft" });
    expect(handle.getAttribute("aria-valuenow"), "never narrower than the minimum").toBe("220");
    fireEvent.keyDown(handle, { key: "ArrowRight" });
    unmount();
    render(<SplitPane id="t" initial={300} list={<p>list</p>} detail={<p>detail</p>} />);
    expect(screen.getByRole("separator").getAttribute("aria-valuenow"), "the width is remembered across mounts").toBe("244");
  });

  it("ignores a stored width that is not a number or out of bounds", () => {
    localStorage.setItem("oauthdesk.layout.split.u", "wide");
    const { unmount } = render(<SplitPane id="u" initial={280} list={null} detail={null} />);
    expect(screen.getByRole("separator").getAttribute("aria-valuenow"), "garbage falls back to the default").toBe("280");
    unmount();
    localStorage.setItem("oauthdesk.layout.split.u", "99999");
    render(<SplitPane id="u" initial={280} list={null} detail={null} />);
    expect(screen.getByRole("separator").getAttribute("aria-valuenow"), "a huge width is clamped").toBe("560");
  });
});
