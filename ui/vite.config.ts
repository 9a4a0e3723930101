import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Tauri loads http://localhost:5173 in `tauri dev` (devUrl) and ui/dist in builds (frontendDist).
export default defineConfig({
  plugins: [react()],
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
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
