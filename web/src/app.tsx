import { useEffect, useState } from "react";
import { onUnauthorized } from "./api/api-client.js";
import { ApiKeyForm } from "./components/api-key-form.js";
import { EvalReportPage } from "./components/eval-report-page.js";
import { NewTaskForm } from "./components/new-task-form.js";
import { RunPage } from "./components/run-page.js";
import { RunsPage } from "./components/runs-page.js";
import { useHashRoute } from "./hooks/use-hash-route.js";

export function App() {
  const route = useHashRoute();
  const [askingForKey, setAskingForKey] = useState(false);
  useEffect(() => onUnauthorized(() => setAskingForKey(true)), []);
  return (
    <>
      <header className="top-bar">
        <a className="brand" href="#/">
          Ponder
        </a>
        <nav className="top-links">
          <a href="#/">Runs</a>
          <a className="button primary" href="#/new">
            New task
          </a>
          <button type="button" className="link-button" onClick={() => setAskingForKey((shown) => !shown)}>
            API key
          </button>
        </nav>
      </header>
      {askingForKey && <ApiKeyForm onDone={() => setAskingForKey(false)} />}
      <main className="page">
        {route.page === "runs" && <RunsPage />}
        {route.page === "new" && <NewTaskForm />}
        {route.page === "run" && <RunPage key={route.runId} runId={route.runId} />}
        {route.page === "eval-report" && <EvalReportPage key={route.runId} runId={route.runId} />}
      </main>
    </>
  );
}
