import {
  messageText,
  type ArtifactItem,
  type FunctionCallOutputItem,
  type Item,
  type MessageItem,
  type ReasoningItem,
  type SourceItem,
} from "../core/items.js";
import { clientToolNames, type AnswerFormat, type RunRecord, type RunStatus, type ToolChoice } from "../core/run.js";
import { conversationIdOf } from "../library/conversation-turns.js";
import { contextOverflowError } from "./context-overflow.js";
import { hostedToolItem, type RunPlace } from "./hosted-tool-items.js";
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

/** The `include` value that adds Ponder's own items (notes, artifacts, sources, approvals, compactions) to `output`. */
export const ponderItemsInclude = "ponder.items";

const ponderOnlyTypes = new Set<Item["type"]>(["note", "artifact", "source", "approval_request", "approval_response", "compaction"]);

export type OutputOptions = {
  place: RunPlace;
  /** Add Ponder's own items (the `ponder.items` include); left out otherwise, since strict clients reject unknown item types. */
  ponderItems?: boolean;
  /** Names of the client's own function tools: their calls stay `function_call` items for the client to run. */
  clientTools?: ReadonlySet<string>;
};

/**
 * Items a response lists as its `output`, in the shapes OpenAI clients know. The user's messages
 * (the question, steering) are input, not output. Ponder's own tool calls, already executed, are
 * the hosted-tool items clients leave alone (code_interpreter_call, web_search_call, mcp_call;
 * see hosted-tool-items.ts) with their outputs folded in; a `function_call` is only ever a client
 * tool's. What the model wrote in a turn that also called tools is thinking aloud, not the
 * answer, so it is given as a reasoning item: clients that read `output_text` read only the answer.
 */
export function outputItems(items: Item[], options: OutputOptions): Record<string, unknown>[] {
  const thinkingAloud = thinkingAloudIds(items);
  const outputs = new Map<string, FunctionCallOutputItem>();
  const artifacts = new Map<string, ArtifactItem[]>();
  const sources = new Map<string, SourceItem[]>();
  for (const item of items) {
    if (item.type === "function_call_output") outputs.set(item.call_id, item);
    if (item.type === "artifact" && item.call_id) artifacts.set(item.call_id, [...(artifacts.get(item.call_id) ?? []), item]);
    if (item.type === "source" && item.call_id) sources.set(item.call_id, [...(sources.get(item.call_id) ?? []), item]);
  }
  const listed: Record<string, unknown>[] = [];
  for (const item of items) {
    if (item.type === "message") {
      if (item.role !== "assistant") continue;
      listed.push(thinkingAloud.has(item.id) ? asReasoning(item) : messageOutput(item, "final_answer"));
    } else if (item.type === "reasoning") listed.push(reasoningOutput(item));
    else if (item.type === "function_call") {
      if (options.clientTools?.has(item.name)) listed.push(functionCallOutput(item));
      else
        listed.push(
          hostedToolItem(
            {
              call: item,
              ...(outputs.has(item.call_id) ? { output: outputs.get(item.call_id) as FunctionCallOutputItem } : {}),
              artifacts: artifacts.get(item.call_id) ?? [],
              sources: sources.get(item.call_id) ?? [],
            },
            options.place,
          ),
        );
    } else if (ponderOnlyTypes.has(item.type) && options.ponderItems) listed.push({ ...item });
  }
  return listed;
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
    else if (item.type === "message" && item.role === "user") {
      // An answer the run went on from (sent back for repair: it did not match text.format) is not the final one.
      turnCalledTools = true;
      closeTurn();
    } else if (item.type !== "reasoning") closeTurn();
  }
  closeTurn();
  return ids;
}

function asReasoning(item: MessageItem): Record<string, unknown> {
  return { type: "reasoning", id: item.id, summary: [{ type: "summary_text", text: messageText(item) }] };
}

/** An assistant message as output: `phase` tells a commentary (text before tool calls) from the final answer. */
export function messageOutput(item: MessageItem, phase: "commentary" | "final_answer"): Record<string, unknown> {
  return {
    type: "message",
    id: item.id,
    status: "completed",
    role: "assistant",
    phase,
    content: item.content.map((part) =>
      part.type === "output_text" || part.type === "input_text"
        ? { type: "output_text", text: part.text, annotations: [], logprobs: [] }
        : part,
    ),
  };
}

/**
 * The model's thinking, with summaries as clients show them: a model that exposes its raw
 * reasoning but no summary (Anthropic, open models) gets its reasoning as the summary. Provider
 * data (signatures) stays in Ponder's store.
 */
export function reasoningOutput(item: ReasoningItem): Record<string, unknown> {
  const raw = (item.content ?? []).map((part) => part.text).join("");
  const summary = item.summary.length > 0 || raw === "" ? item.summary : [{ type: "summary_text", text: raw }];
  return { type: "reasoning", id: item.id, summary, ...(item.content ? { content: item.content } : {}) };
}

function functionCallOutput(item: Item & { type: "function_call" }): Record<string, unknown> {
  return { type: "function_call", id: item.id, call_id: item.call_id, name: item.name, arguments: item.arguments, status: "completed" };
}

/** A failed response's error; a conversation too long for the model says so by OpenAI's code, as a 400 would. */
function responseError(record: RunRecord): { code: string; message: string } | null {
  if (record.status !== "failed") return null;
  const overflow = contextOverflowError(record, "input");
  if (overflow) return { code: "context_length_exceeded", message: overflow.message };
  return { code: record.error?.code ?? "internal_error", message: record.error?.message ?? "The run failed." };
}

function textFormat(format: AnswerFormat | undefined): Record<string, unknown> {
  if (!format) return { type: "text" };
  if (format.type === "json_object") return { type: "json_object" };
  return {
    type: "json_schema",
    name: format.name,
    schema: format.schema,
    description: format.description ?? null,
    strict: format.strict ?? false,
  };
}

function toolChoice(choice: ToolChoice | undefined): string | Record<string, unknown> {
  if (choice === undefined) return "auto";
  return typeof choice === "string" ? choice : { type: "function", name: choice.name };
}

export function runPlace(record: RunRecord): RunPlace {
  return { runId: record.id, workspaceId: `workspace_${conversationIdOf(record)}` };
}

export type ResponseOptions = {
  background: boolean | null;
  ponderItems?: boolean;
  /** What the request said, echoed when the run does not record it. */
  store?: boolean;
};

/** A response object with every field the Open Responses specification requires. */
export function responseObject(record: RunRecord, items: Item[], options: ResponseOptions) {
  const usage = record.usage;
  const status = responseStatuses[record.status];
  const finished = record.finishedAt ?? record.updatedAt;
  return {
    id: record.id,
    object: "response",
    created_at: Math.floor(Date.parse(record.createdAt) / 1000),
    completed_at: status === "completed" ? Math.floor(Date.parse(finished) / 1000) : null,
    status,
    background: options.background ?? false,
    model: publicModelName(record.spec.model),
    output: outputItems(items, {
      place: runPlace(record),
      ...(options.ponderItems ? { ponderItems: true } : {}),
      clientTools: clientToolNames(record.spec),
    }),
    error: responseError(record),
    incomplete_details:
      record.status === "awaiting_approval" ? { reason: "awaiting_approval" } : record.status === "paused" ? { reason: "paused" } : null,
    instructions: record.spec.instructions ?? null,
    metadata: record.spec.metadata ?? {},
    parallel_tool_calls: record.spec.parallelToolCalls ?? true,
    previous_response_id: record.previousRunId ?? null,
    reasoning: { effort: record.spec.effort, summary: null },
    // Without the client's own, sampling is the provider's default, which is this.
    temperature: record.spec.sampling?.temperature ?? 1,
    top_p: record.spec.sampling?.topP ?? 1,
    presence_penalty: 0,
    frequency_penalty: 0,
    top_logprobs: 0,
    max_output_tokens: record.spec.budget.maxOutputTokens ?? null,
    max_tool_calls: record.spec.budget.maxToolCalls ?? null,
    // Compaction is what `auto` allows; a run without its own setting compacts as the server is configured.
    truncation: record.spec.context?.compaction === false ? "disabled" : "auto",
    store: options.store ?? true,
    service_tier: "default",
    safety_identifier: null,
    prompt_cache_key: null,
    user: null,
    text: { format: textFormat(record.spec.answerFormat), verbosity: "medium" },
    tool_choice: toolChoice(record.spec.toolChoice),
    // The client's own tools: Ponder's are its own business, like a hosted model's.
    tools: (record.spec.clientTools ?? []).map((tool) => ({
      type: "function",
      name: tool.name,
      description: tool.description ?? null,
      parameters: tool.parameters,
      strict: tool.strict ?? false,
    })),
    usage: {
      input_tokens: usage.inputTokens,
      input_tokens_details: { cached_tokens: usage.cachedInputTokens },
      output_tokens: usage.outputTokens,
      output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
      total_tokens: usage.inputTokens + usage.outputTokens,
    },
  };
}
