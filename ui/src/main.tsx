import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import App from "./App";
import { prefetchClients } from "./lib/prefetch";
import { applyTheme } from "./lib/theme";
import "./App.css";
import "./styles/controls.css";
import "./styles/layout.css";
import "./styles/screens.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

// The system's palette from the first frame; the saved theme replaces it once Settings are read.
applyTheme("system");

void prefetchClients().then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
