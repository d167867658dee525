import { messageText, type Item, type MessageItem } from "../core/items.js";
import type { RunRecord, RunStatus } from "../core/run.js";
import { publicModelName } from "./model-names.js";

/** Ponder's statuses in the Responses API's words; a run waiting for approval is `incomplete` until approved. */
const responseStatuses: Record<RunStatus, string> = {
  queued: "queued",
  running: "in_progress",
  awaiting_approval: "incomplete",
  paused: "incomplete",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

/**
 * Items a response lists as its `output`: everything the run produced. The user's messages
 * (the question, steering) are input, not output. Items keep Ponder's shapes, which are the
 * Responses API's (plus Ponder's approval, artifact, source and note items), with one change:
 * what the model wrote in a turn that also called tools is thinking aloud, not the answer, so
 * it is given as a reasoning item; clients that read `output_text` then read only the answer.
 */
export function outputItems(items: Item[]): Record<string, unknown>[] {
  const thinkingAloud = thinkingAloudIds(items);
  return items
    .filter((item) => !(item.type === "message" && item.role !== "assistant"))
    .map((item) => (thinkingAloud.has(item.id) && item.type === "message" ? asReasoning(item) : outputItem(item)));
}

/** Ids of assistant messages whose turn (a run of assistant-side items) also called a tool. */
function thinkingAloudIds(items: Item[]): Set<string> {
  const ids = new Set<string>();
  let turnMessages: string[] = [];
  let turnCalledTools = false;
  const closeTurn = () => {
    if (turnCalledTools) for (const id of turnMessages) ids.add(id);
    turnMessages = [];
    turnCalledTools = false;
  };
  for (const item of items) {
    if (item.type === "message" && item.role === "assistant") turnMessages.push(item.id);
    else if (item.type === "function_call") turnCalledTools = true;
    else if (item.type !== "reasoning") closeTurn();
  }
  closeTurn();
  return ids;
}

function asReasoning(item: MessageItem): Record<string, unknown> {
  return { type: "reasoning", id: item.id, summary: [{ type: "summary_text", text: messageText(item) }] };
}

export function outputItem(item: Item): Record<string, unknown> {
  if (item.type === "message") {
    // Clients read `annotations` on output text; stored items may not carry it.
    return {
      ...item,
      status: "completed",
      content: item.content.map((part) => (part.type === "output_text" ? { annotations: [], ...part } : part)),
    };
  }
  if (item.type === "function_call") return { ...item, status: "completed" };
  return { ...item };
}

export function responseObject(record: RunRecord, items: Item[], options: { background: boolean | null }) {
  const usage = record.usage;
  return {
    id: record.id,
    object: "response",
    created_at: Math.floor(Date.parse(record.createdAt) / 1000),
    status: responseStatuses[record.status],
    background: options.background,
    model: publicModelName(record.spec.model),
    output: outputItems(items),
    error:
      record.status === "failed"
        ? { code: record.error?.code ?? "internal_error", message: record.error?.message ?? "The run failed." }
        : null,
    incomplete_details:
      record.status === "awaiting_approval" ? { reason: "awaiting_approval" } : record.status === "paused" ? { reason: "paused" } : null,
    instructions: null,
    metadata: record.spec.metadata ?? {},
    parallel_tool_calls: true,
    previous_response_id: record.previousRunId ?? null,
    reasoning: { effort: record.spec.effort, summary: null },
    temperature: null,
    top_p: null,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    usage: {
      input_tokens: usage.inputTokens,
      input_tokens_details: { cached_tokens: usage.cachedInputTokens },
      output_tokens: usage.outputTokens,
      output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
      total_tokens: usage.inputTokens + usage.outputTokens,
    },
  };
}
