import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import "./styles/base.css";
import "./styles/header-and-lists.css";
import "./styles/run-page.css";
import "./styles/strategies.css";
import "./styles/viewer.css";
import "./styles/phone.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element.");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
