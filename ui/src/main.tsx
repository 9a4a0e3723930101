import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import App from "./App";
import { prefetchClients } from "./lib/prefetch";
import "./App.css";
import "./styles/controls.css";
import "./styles/layout.css";
import "./styles/screens.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

void prefetchClients().then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
