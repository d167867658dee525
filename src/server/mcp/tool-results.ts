// Tool results of `ponder mcp`: the answer as text for the calling model, the run id, status and
// usage as structured content for the calling program, and every failure as an `isError` result
// with Ponder's own message and what to do next, never as a protocol error or a crash.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { errorMessage, PonderError } from "../../core/errors.js";
import type { RunRecord } from "../../core/run.js";
import { isInterrupted } from "../../library/run-liveness.js";
import type { JobKind } from "./run-jobs.js";

export function errorResult(error: unknown): CallToolResult {
  const hint = error instanceof PonderError && error.hint ? `\n${error.hint}` : "";
  const code = error instanceof PonderError ? error.code : "internal_error";
  return {
    content: [{ type: "text", text: `${errorMessage(error)}${hint}` }],
    structuredContent: { error: { code, message: errorMessage(error) } },
    isError: true,
  };
}

/** What a call with `background: true` returns at once. */
export function startedResult(runId: string, kind: JobKind): CallToolResult {
  const what = kind === "ask" ? "The run" : kind === "research" ? "The research" : "Best-of-N";
  return {
    content: [
      {
        type: "text",
        text: `${what} ${runId} started in the background. Call run_status with {"run_id": "${runId}"} until it has finished; run_cancel stops it.`,
      },
    ],
    structuredContent: { run_id: runId, status: "running", background: true },
  };
}

/**
 * A run's outcome from its stored record: the answer when it completed; otherwise what state it
 * is in and what can be done about it (a run waiting for approval, one whose process is gone).
 */
export function recordResult(record: RunRecord): CallToolResult {
  const structured = {
    run_id: record.id,
    conversation_id: record.conversationId ?? record.id,
    status: record.status,
    ...(record.result?.answer ? { answer: record.result.answer } : {}),
    ...(record.result?.budgetExhausted ? { budget_exhausted: record.result.budgetExhausted } : {}),
    ...(record.error ? { error: record.error } : {}),
    usage: record.usage,
  };
  // Still advancing is not a failure: the caller polls again.
  const fine = record.status === "completed" || record.status === "queued" || (record.status === "running" && !isInterrupted(record));
  return { content: [{ type: "text", text: stateText(record) }], structuredContent: structured, ...(fine ? {} : { isError: true }) };
}

function stateText(record: RunRecord): string {
  const id = record.id;
  const soFar = `${record.usage.steps} step(s), ${record.usage.toolCalls} tool call(s) so far`;
  switch (record.status) {
    case "completed":
      return record.result?.answer ?? "";
    case "queued":
      return `Run ${id} is queued: it has not started yet.`;
    case "running":
      if (!isInterrupted(record)) return `Run ${id} is running: ${soFar}.`;
      // A strategy has no checkpoint to continue from; its child runs do.
      return record.spec.strategy
        ? `Run ${id} was interrupted: the process advancing it is gone. Ask again to start it over.`
        : `Run ${id} was interrupted: the process advancing it is gone (${soFar}). Continue it in a terminal with \`ponder resume ${id}\`.`;
    case "awaiting_approval":
      return `Run ${id} is waiting for a person to approve a tool call. Approve it in a terminal with \`ponder approve ${id}\` (or refuse with \`ponder deny ${id}\`); the run then continues there.`;
    case "paused":
      return `Run ${id} is paused (${soFar}). Continue it in a terminal with \`ponder resume ${id}\`.`;
    case "cancelled":
      return `Run ${id} was cancelled.`;
    case "failed":
      return `Run ${id} failed: ${record.error?.message ?? "no reason was recorded"}. See it with \`ponder show ${id}\`.`;
  }
}
