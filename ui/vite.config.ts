import { defineConfig } from "vitest/config";
import { preactFrozenPrototype } from "./build/preact-frozen-prototype.ts";

// The UI is written against React's API and runs on preact/compat: about half the bundle, and a
// faster first render, which is most of the start-up time over a bare Tauri window. Types still come
// from @types/react. The same aliases apply to the build and to the tests, so tests run what ships.
const reactOnPreact = [
  { find: /^react$/, replacement: "preact/compat" },
  { find: /^react-dom$/, replacement: "preact/compat" },
  { find: /^react-dom\/client$/, replacement: "preact/compat/client" },
  { find: /^react\/jsx-runtime$/, replacement: "preact/compat/jsx-runtime" },
  { find: /^react\/jsx-dev-runtime$/, replacement: "preact/compat/jsx-dev-runtime" },
  // Tests only (nothing in the app imports it): the Preact binding of the same testing API.
  { find: /^@testing-library\/react$/, replacement: "@testing-library/preact" },
];

// Tauri loads http://localhost:5173 in `tauri dev` (devUrl) and ui/dist in builds (frontendDist).
export default defineConfig({
  // JSX: Vite's own transform, automatic runtime from tsconfig's "jsx": "react-jsx" (react/jsx-runtime,
  // aliased above). No React plugin: its fast refresh needs React; dev edits reload the page instead.
  plugins: [preactFrozenPrototype()],
  resolve: { alias: reactOnPreact },
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: "localhost",
    watch: { ignored: ["**/src-tauri/**"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.40+ on Linux, WebView2 on Windows, Safari 13+ on macOS.
    target: ["es2021", "safari13"],
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}", "build/**/*.test.ts"],
    setupFiles: ["src/test/preactTestingLibrary.ts"],
    // Through Vite, not Node: so tests get the patched Preact (build/preact-frozen-prototype.ts) and
    // @testing-library/preact shares the app's one Preact instance.
    server: { deps: { inline: [/\/node_modules\/preact\//, /@testing-library\/preact/] } },
  },
});
