// `research`: Ponder's deep research: a plan, readers searching and reading in parallel, every
// quoted claim checked against the pages really read, and a cited Markdown report.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { research, type ResearchResult } from "../../strategies/research/index.js";
import { modelArgument } from "./ask-tool.js";
import { libraryOptionsOf, type McpSession } from "./mcp-context.js";
import { callJob, startStrategy } from "./tool-call.js";
import { errorResult } from "./tool-results.js";

const researchArguments = {
  question: z.string().min(1).describe("What to research, with everything needed to understand the question."),
  length: z.enum(["brief", "page", "report"]).optional().describe("brief (~200 words), page (~500-800, default) or report (~1,500-2,500)."),
  sources: z
    .enum(["web", "local", "both"])
    .optional()
    .describe(
      "Where readers search: the configured web search, the local index of the user's own documents (`ponder index add`), or both (default).",
    ),
  model: modelArgument,
  background: z
    .boolean()
    .optional()
    .describe(
      "Default true: research takes minutes, so the run id comes back at once; poll run_status for the report. false: wait for the report.",
    ),
};

export function registerResearchTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    "research",
    {
      title: "Deep research with Ponder",
      description:
        "Researches a question and writes a report in Markdown with numbered citations: Ponder plans sub-questions, " +
        "readers search and read sources in parallel, and only claims whose quoted passage is in a page that was read " +
        "reach the report. Takes minutes: by default it returns a run id at once; poll run_status for the report.",
      inputSchema: researchArguments,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    (args, extra) =>
      callJob(session, extra, {
        background: args.background ?? true,
        strategy: true,
        start: async (progress) => {
          const controller = new AbortController();
          const { runId, running } = await startStrategy((onParentKnown) =>
            research(args.question, {
              ...libraryOptionsOf(session, args.model),
              ...(args.length ? { length: args.length } : {}),
              ...(args.sources ? { sources: args.sources } : {}),
              signal: controller.signal,
              onEvent: (event) => {
                if (event.type === "child-started") onParentKnown(event.runId);
                progress?.handle(event);
              },
            }),
          );
          return { runId, kind: "research", cancel: () => controller.abort(), outcome: running.then(researchResult, errorResult) };
        },
      }),
  );
}

function researchResult(result: ResearchResult): CallToolResult {
  const structured = {
    run_id: result.runId,
    status: result.status,
    report: result.report,
    citations: result.annotations.map(({ url, title, start_index, end_index }) => ({ url, title, start_index, end_index })),
    markdown_path: result.markdownPath,
    html_path: result.htmlPath,
    claims: { checked: result.claims.checked, verified: result.claims.verified, dropped: result.claims.dropped.length },
    sources_read: result.sourcesRead,
    ...(result.readersStopped ? { readers_stopped: result.readersStopped } : {}),
    usage: result.usage,
  };
  const summary =
    `Research run ${result.runId} ${result.status}: ${result.sourcesRead} source(s) read, ${result.claims.verified} of ${result.claims.checked} claim(s) verified. ` +
    `Saved as ${result.markdownPath} and ${result.htmlPath}.`;
  return {
    content: [
      { type: "text", text: result.report },
      { type: "text", text: summary },
    ],
    structuredContent: structured,
    ...(result.status === "completed" ? {} : { isError: true }),
  };
}
