// `run_status` and `run_cancel`: follow and stop runs by id: background runs started by this
// server, and any other run in Ponder's store (`ponder submit`, the HTTP server, a terminal).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { finishedStatuses, type RunRecord } from "../../core/run.js";
import { isInterrupted } from "../../library/run-liveness.js";
import { visibleRun, type McpSession } from "./mcp-context.js";
import { errorResult, recordResult } from "./tool-results.js";

const runIdArgument = { run_id: z.string().min(1).describe("The run id a Ponder tool returned (run_…).") };

export function registerRunTools(server: McpServer, session: McpSession): void {
  server.registerTool(
    "run_status",
    {
      title: "Ponder run status",
      description:
        "The state of a Ponder run: queued, running (with steps and tool calls so far), completed with its answer " +
        "(or report, or chosen answer), failed with the reason, cancelled, or waiting for a person's approval. " +
        "Poll it for runs started with background: true.",
      inputSchema: runIdArgument,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ run_id: runId }) => {
      try {
        const record = await visibleRun(session, runId);
        const ended = session.jobs.resultOf(runId);
        // The result as the tool would have returned it says more than the record (share, citations).
        if (ended) return { ...ended, structuredContent: { run_id: runId, status: record.status, ...ended.structuredContent } };
        return recordResult(record);
      } catch (error) {
        return errorResult(error);
      }
    },
  );
  server.registerTool(
    "run_cancel",
    {
      title: "Cancel a Ponder run",
      description: "Stops a Ponder run: its model calls, its tools and, for best_of_n and research, every run it started.",
      inputSchema: runIdArgument,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ run_id: runId }) => {
      try {
        return await cancelRun(session, runId);
      } catch (error) {
        return errorResult(error);
      }
    },
  );
}

async function cancelRun(session: McpSession, runId: string): Promise<CallToolResult> {
  const record = await visibleRun(session, runId);
  if (finishedStatuses.includes(record.status))
    return cancelResult(record, `Run ${runId} had already finished: ${record.status}.`, "already_finished");
  if (await session.jobs.cancel(runId)) return cancelResult(await visibleRun(session, runId), `Run ${runId} was cancelled.`, "cancelled");
  // Advanced by another process, or by none: the same durable request `ponder cancel` makes.
  await session.controls?.cancel(runId);
  if (record.status !== "running" || isInterrupted(record)) {
    const cancelled = await session.store.updateRun(runId, { status: "cancelled", finishedAt: new Date().toISOString() });
    return cancelResult(cancelled, `Run ${runId} was cancelled.`, "cancelled");
  }
  return cancelResult(
    record,
    `Cancel requested: the process advancing ${runId} stops it within a second. Check with run_status.`,
    "requested",
  );
}

function cancelResult(record: RunRecord, text: string, outcome: "already_finished" | "cancelled" | "requested"): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: { run_id: record.id, status: record.status, outcome } };
}
