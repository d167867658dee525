// `ask`: one question, one Ponder run: the model thinks, uses tools (Python in a sandbox, the
// web, files) over as many steps as its budget allows, and answers.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { efforts } from "../../core/effort.js";
import { startRun } from "../../library/start-run.js";
import { libraryOptionsOf, visibleRun, type McpSession } from "./mcp-context.js";
import { callJob } from "./tool-call.js";
import { errorResult, recordResult } from "./tool-results.js";

export const modelArgument = z
  .string()
  .min(1)
  .optional()
  .describe(
    "The model as provider:model, e.g. openai:gpt-5-mini or anthropic:claude-sonnet-4-5. Default: the model Ponder is configured with.",
  );

const askArguments = {
  question: z
    .string()
    .min(1)
    .describe("The question or task, with everything needed to answer it: the model does not see your conversation."),
  model: modelArgument,
  effort: z
    .enum(efforts)
    .optional()
    .describe(
      "How hard to think: minimal, low, medium or high; sets the default step, tool-call and time budgets. Default: Ponder's configured effort.",
    ),
  conversation_id: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Ask a follow-up: the conversation_id (or any run_id) a previous ask returned. The run then sees that conversation's earlier questions, answers, tool calls and their results, and its files. Default: a new conversation.",
    ),
  background: z
    .boolean()
    .optional()
    .describe("true: return the run id at once and let the run go on; poll run_status for the answer. Default false."),
};

export function registerAskTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    "ask",
    {
      title: "Ask Ponder",
      description:
        "Delegates a hard question to Ponder: a model that thinks step by step and uses tools (Python in a sandbox, " +
        "web search and pages, files) until it can answer. Returns the answer text; structuredContent has the run id " +
        "and usage, and a conversation_id: pass it back to ask a follow-up that sees everything this run did. " +
        "Takes seconds to minutes; with background: true it returns the run id at once.",
      inputSchema: askArguments,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    (args, extra) =>
      callJob(session, extra, {
        background: args.background ?? false,
        strategy: false,
        start: async (progress) => {
          // Another tenant's conversation answers as a missing one: it is not revealed to exist.
          if (args.conversation_id !== undefined) await visibleRun(session, args.conversation_id);
          const handle = await startRun(args.question, {
            continueFrom: args.conversation_id,
            ...libraryOptionsOf(session, args.model),
            effort: args.effort,
            onEvent: progress ? (event) => progress.handle(event) : undefined,
          });
          return {
            runId: handle.id,
            kind: "ask",
            cancel: () => handle.cancel(),
            suspend: () => handle.suspend(),
            steer: (text) => handle.steer(text),
            outcome: handle.result.then(recordResult, errorResult),
          };
        },
      }),
  );
}
