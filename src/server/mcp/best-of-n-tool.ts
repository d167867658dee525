// `best_of_n`: the question answered by several independent Ponder runs, their final answers
// grouped, and one chosen by vote, by a judge model, or written by a synthesis run; or, with
// `until_confident`, samples in rounds until the vote is sure enough.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { bestOf, type BestOfResult } from "../../strategies/best-of.js";
import { modelArgument } from "./ask-tool.js";
import { libraryOptionsOf, type McpSession } from "./mcp-context.js";
import { callJob, startStrategy } from "./tool-call.js";
import { errorResult } from "./tool-results.js";

/** As many as `ponder ask --max-samples` allows by default: a ceiling on what one call may spend. */
const mostSamples = 64;

const bestOfArguments = {
  question: z
    .string()
    .min(1)
    .describe(
      "The question, with everything needed to answer it. Ask for a short final line (e.g. 'Final answer: …') when the answer is a number or a name: answers are compared by that line.",
    ),
  samples: z
    .number()
    .int()
    .min(1)
    .max(mostSamples)
    .optional()
    .describe("Independent runs of the question (default 8). With until_confident: the most it may take (default 64)."),
  select: z
    .enum(["vote", "judge", "synthesize"])
    .optional()
    .describe(
      "vote: the most common answer (default); judge: a judge model compares the answers pairwise; synthesize: one more run combines the top answers.",
    ),
  until_confident: z
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .describe(
      "Sample in rounds until the leading answer is this sure to be the most common one (e.g. 0.9); stops early when the samples agree.",
    ),
  model: modelArgument,
  background: z.boolean().optional().describe("true: return the run id at once; poll run_status for the chosen answer. Default false."),
};

export function registerBestOfNTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    "best_of_n",
    {
      title: "Best of N with Ponder",
      description:
        "Spends more compute on one question: Ponder answers it several times as independent runs (each thinking and " +
        "using tools), groups equal final answers, and returns the one chosen by vote, by a judge, or by synthesis, " +
        "with its share of the samples and the vote's confidence in structuredContent.",
      inputSchema: bestOfArguments,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    (args, extra) =>
      callJob(session, extra, {
        background: args.background ?? false,
        strategy: true,
        start: async (progress) => {
          const controller = new AbortController();
          const sampling =
            args.until_confident === undefined
              ? { samples: args.samples }
              : { untilConfident: args.until_confident, maxSamples: args.samples };
          const { runId, running } = await startStrategy((onParentKnown) =>
            bestOf(args.question, {
              ...libraryOptionsOf(session, args.model),
              ...sampling,
              select: args.select ?? "vote",
              signal: controller.signal,
              onEvent: (event) => {
                if (event.type === "child-started") onParentKnown(event.runId);
                progress?.handle(event);
              },
            }),
          );
          return { runId, kind: "best_of_n", cancel: () => controller.abort(), outcome: running.then(bestOfResult, errorResult) };
        },
      }),
  );
}

function bestOfResult(result: BestOfResult): CallToolResult {
  const structured = {
    run_id: result.runId,
    status: result.status,
    answer: result.answer,
    method: result.method,
    ...(result.winner ? { share: result.winner.share } : {}),
    ...(result.confidence === undefined ? {} : { confidence: result.confidence }),
    samples: { launched: result.samples.launched, answered: result.samples.answered },
    clusters: result.clusters.map(({ answer, count, share }) => ({ answer, count, share })),
    ...(result.budgetExhausted ? { budget_exhausted: result.budgetExhausted } : {}),
    ...(result.error ? { error: result.error } : {}),
    usage: result.usage,
  };
  if (result.status !== "completed" || !result.answer) {
    const why = result.status === "cancelled" ? "was cancelled" : `failed: ${result.error?.message ?? "no sample answered"}`;
    return {
      content: [{ type: "text", text: `Best-of-N run ${result.runId} ${why}. See it with \`ponder show ${result.runId}\`.` }],
      structuredContent: structured,
      isError: true,
    };
  }
  const agreed = result.winner ? `: ${result.winner.runIds.length} gave this answer (${Math.round(result.winner.share * 100)}%)` : "";
  const confidence = result.confidence === undefined ? "" : `; confidence ${result.confidence.toFixed(2)}`;
  const summary = `Chosen by ${result.method} from ${result.samples.answered} answered sample(s)${agreed}${confidence}. Run ${result.runId}.`;
  return {
    content: [
      { type: "text", text: result.answer },
      { type: "text", text: summary },
    ],
    structuredContent: structured,
  };
}
