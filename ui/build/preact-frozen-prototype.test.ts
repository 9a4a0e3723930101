// @vitest-environment node
// Proves the shipped bundle renders under Tauri's `freezePrototype: true`: builds the app with the real
// vite.config.ts (so with preact/compat and build/preact-frozen-prototype.ts), then runs it in a fresh
// jsdom window whose Object.prototype is frozen first, as Tauri's init script does, and clicks through
// every screen (each click is a setState re-render, the path that copies vnodes). The same build without
// the plugin must fail in that window with the TypeError the real window showed: that keeps the harness
// honest (it reproduces the bug) and shows the plugin is what fixes it. Nothing freezes this worker's
// own realm: jsdom windows run in their own V8 context, with their own Object.prototype.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { JSDOM, VirtualConsole } from "jsdom";
import { build, type InlineConfig, loadConfigFromFile, type Rollup } from "vite";
import { describe, expect, it, vi } from "vitest";
import { client } from "../src/test/fixtures";
import { patchPreactSource } from "./preact-frozen-prototype";

const UI = fileURLToPath(new URL("..", import.meta.url));
const CONFIG = fileURLToPath(new URL("../vite.config.ts", import.meta.url));
const PREACT = fileURLToPath(new URL("../node_modules/preact/", import.meta.url));

/** The app's build in memory; `withFix: false` drops the plugin and nothing else. */
async function buildApp(withFix: boolean): Promise<string> {
  const loaded = await loadConfigFromFile({ command: "build", mode: "production" }, CONFIG, UI, "silent");
  if (!loaded) throw new Error("vite.config.ts did not load");
  const plugins = (loaded.config.plugins ?? [])
    .flat()
    .filter((p) => withFix || !(p && typeof p === "object" && "name" in p && p.name === "preact-frozen-prototype"));
  const config: InlineConfig = {
    ...loaded.config,
    configFile: false,
    root: UI,
    mode: "production",
    logLevel: "silent",
    plugins,
    build: { ...loaded.config.build, write: false },
  };
  const output = (await build(config)) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output);
  const js = chunks.filter((c): c is Rollup.OutputChunk => c.type === "chunk");
  expect(js.length, "the app is one chunk (what index.html loads)").toBe(1);
  return js[0].code;
}

/** What the fake Rust side answers; anything else is refused the way a failing command is. */
const ANSWERS: Record<string, unknown> = {
  app_info: { name: "OAuth Desk", version: "9.9.9", data_dir: "/tmp/oauthdesk" },
  keychain_status: { available: true, backend: "Secret Service", problem: null },
  get_settings: {
    theme: "system",
    clock_skew_secs: 60,
    network: { proxy: "system", proxy_url: null, no_proxy: "", proxy_password_stored: false, ca_pem: null, timeout_secs: null },
  },
  list_clients: [client({ name: "frozen-a" }), client({ name: "frozen-b" })],
  list_environments: [],
  list_grants: [],
  grant_page: { total: 0, clients: [], offset: 0, rows: [] },
  saved_requests: [],
  history: [],
  transcripts: [],
  audit_page: { total: 0, offset: 0, rows: [] },
  presets: [],
};

interface Run {
  window: JSDOM["window"];
  errors: string[];
}

/** Loads the bundle in a new window: Object.prototype frozen first, then the app as strict code (a
 *  module is strict, and only strict code throws on the override mistake; jsdom has no module scripts). */
function runInFrozenWindow(code: string): Run {
  const errors: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on("jsdomError", (e) => errors.push(String(e.message)));
  virtualConsole.on("error", (...args) => errors.push(args.map(String).join(" ")));
  const dom = new JSDOM('<!doctype html><html><body><div id="root"></div></body></html>', {
    url: "http://localhost/",
    runScripts: "outside-only",
    pretendToBeVisual: true,
    virtualConsole,
  });
  const { window } = dom;
  window.addEventListener("error", (e) => errors.push(String(e.error?.message ?? e.message)));
  window.eval(`
    window.__TAURI_INTERNALS__ = {
      invoke: (cmd) => cmd in answers ? Promise.resolve(answers[cmd])
        : cmd.startsWith("plugin:event|") ? Promise.resolve(1)
        : Promise.reject({ code: "not_in_test", message: cmd + " has no answer here", hint: null, oauth: null }),
      transformCallback: () => 1,
      unregisterCallback: () => {},
      convertFileSrc: (p) => p,
    };
    window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener: () => {} };
    window.__OAUTHDESK_BOOT__ = { clients: answers.list_clients };
    // What WebKit has and jsdom lacks.
    performance.mark ??= () => undefined;
    window.matchMedia ??= (query) => ({ matches: false, media: query, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {} });
  `.replace(/answers/g, JSON.stringify(ANSWERS)));
  window.eval("Object.freeze(Object.prototype)");
  window.eval(`"use strict";\n${code}`);
  return { window, errors };
}

/** Rejections in the window's promises (Preact renders in a microtask) reach this process; collect
 *  them for the assertions instead of letting vitest report them as stray failures. */
async function catchingRejections<T>(run: (rejections: string[]) => Promise<T>): Promise<T> {
  const rejections: string[] = [];
  const theirs = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  const ours = (reason: unknown) => rejections.push(String((reason as Error)?.message ?? reason));
  process.on("unhandledRejection", ours);
  try {
    return await run(rejections);
  } finally {
    process.off("unhandledRejection", ours);
    for (const l of theirs) process.on("unhandledRejection", l);
  }
}

const READONLY = /read.?only|readonly/i;

describe("the bundle under a frozen Object.prototype (Tauri freezePrototype)", () => {
  it("the window really is frozen and strict: assigning an inherited constructor throws there", () => {
    const { window } = runInFrozenWindow("");
    expect(() => window.eval('"use strict"; ({}).constructor = undefined;'), "the harness reproduces the override mistake").toThrow(
      READONLY,
    );
  });

  it("renders the app and every screen with the plugin", { timeout: 30_000 }, async () => {
    const code = await buildApp(true);
    await catchingRejections(async (rejections) => {
      const { window, errors } = runInFrozenWindow(code);
      const doc = window.document;
      await vi.waitFor(() => expect(doc.querySelector('[data-testid="nav-clients"]'), "the shell rendered").not.toBeNull(), {
        timeout: 5_000,
      });
      await vi.waitFor(() => expect(doc.body.textContent, "the boot client list is on the Clients screen").toContain("frozen-b"));
      await vi.waitFor(() => expect(doc.body.textContent, "app_info arrived and re-rendered the brand").toContain("v9.9.9"));
      for (const nav of doc.querySelectorAll<HTMLButtonElement>('nav[aria-label="Screens"] button')) {
        nav.click();
        await vi.waitFor(() => expect(nav.getAttribute("aria-current"), `${nav.dataset.testid} became the current screen`).toBe("page"));
        await new Promise((r) => setTimeout(r, 20));
      }
      doc.querySelector<HTMLButtonElement>('[data-testid="sidebar-toggle"]')?.click();
      await vi.waitFor(() => expect(doc.querySelector(".shell")?.getAttribute("data-sidebar"), "the sidebar toggled").toBe("collapsed"));
      const failures = [...errors, ...rejections].filter((m) => READONLY.test(m) || /TypeError/.test(m));
      expect(failures, "no error from a frozen Object.prototype while rendering").toEqual([]);
      window.close();
    });
  });

  it("stays blank with the readonly TypeError when built without the plugin", { timeout: 30_000 }, async () => {
    const code = await buildApp(false);
    await catchingRejections(async (rejections) => {
      const { window, errors } = runInFrozenWindow(code);
      await vi.waitFor(() => expect([...errors, ...rejections].join("\n"), "the unpatched Preact throws as in Tauri").toMatch(READONLY), {
        timeout: 5_000,
      });
      expect(window.document.querySelector('[data-testid="nav-clients"]'), "nothing rendered").toBeNull();
      window.close();
    });
  });
});

describe("patchPreactSource", () => {
  // The files the build (browser condition) and Node (import condition) resolve to.
  const files = ["dist/preact.module.js", "dist/preact.mjs", "compat/dist/compat.module.js", "compat/dist/compat.mjs"];
  it.each(files)("rewrites the copy helper in the installed %s", (file) => {
    const path = `${PREACT}${file}`.replace(/\\/g, "/");
    const patched = patchPreactSource(readFileSync(path, "utf8"), path);
    expect(patched, "the helper defines inherited-name keys").toContain("in Object.prototype?Object.defineProperty(");
    expect(patched, "no plain-assignment helper left").not.toMatch(/\{for\(var (\w) in (\w)\)\w\[\1\]=\2\[\1\];return \w\}/);
  });

  it("fails loudly when Preact no longer has the helper it rewrites", () => {
    expect(() => patchPreactSource("export function h(){}", "/x/node_modules/preact/dist/preact.module.js"), "core without the helper").toThrow(
      /copy helper/,
    );
  });

  it("fails loudly on vnode copies it does not cover", () => {
    const file = "/x/node_modules/preact/hooks/dist/hooks.module.js";
    expect(() => patchPreactSource("var c=Object.assign({},n);", file), "an Object.assign").toThrow(/Object\.assign/);
    expect(() => patchPreactSource("n.constructor=void 0;", file), "a new constructor write").toThrow(/constructor/);
  });
});
