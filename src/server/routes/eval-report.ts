import { htmlReport } from "../../evals/report/html-report.js";
import { loadReport } from "../../evals/report/load-report.js";
import { notFound } from "../http-error.js";
import type { RequestContext, Route } from "../router.js";
import { visibleRun } from "../run-access.js";

/**
 * `GET /v1/evals/{id}/report` (an eval's id is its run's id): its HTML report (as `ponder eval report` writes
 * it), made from its saved samples now, so a running eval shows what has finished so far. The
 * report has no scripts; the policy below keeps it that way should a sample's text try.
 */
async function evalReport({ response, state, caller, params }: RequestContext): Promise<void> {
  const record = await visibleRun(state, caller, params.id as string);
  if (record.spec.strategy?.name !== "eval") throw notFound(`No eval ${record.id}: that run is not an eval.`, "not_an_eval");
  const html = htmlReport(await loadReport(state.home, record.id, state.store));
  response.writeHead(200, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    "x-content-type-options": "nosniff",
  });
  response.end(html);
}

export const evalReportRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/evals/:id/report",
    handle: evalReport,
    doc: {
      summary: "An eval run's HTML report, from the samples finished so far",
      responses: { 200: { description: "The report (text/html)", anyFile: true } },
    },
  },
];
