import type { Route } from "./router.js";
import { chatCompletionRoutes } from "./routes/chat-completions.js";
import { modelRoutes } from "./routes/models.js";
import { openApiRoute } from "./routes/openapi.js";
import { responseCompactRoutes } from "./routes/response-compact.js";
import { responseRoutes } from "./routes/responses.js";
import { runActionRoutes } from "./routes/run-actions.js";
import { runArtifactRoutes } from "./routes/run-artifacts.js";
import { runEventRoutes } from "./routes/run-events.js";
import { runRoutes } from "./routes/runs.js";
import { toolRoutes } from "./routes/tools.js";
import { evalReportRoutes } from "./routes/eval-report.js";

/** Every endpoint of `ponder serve`. */
export const routes: Route[] = [
  ...modelRoutes,
  ...chatCompletionRoutes,
  ...responseCompactRoutes,
  ...responseRoutes,
  ...runRoutes,
  ...runActionRoutes,
  ...runEventRoutes,
  ...runArtifactRoutes,
  ...toolRoutes,
  ...evalReportRoutes,
  openApiRoute(() => routes),
];
