import { emptyUsage } from "../core/budget.js";
import { newId } from "../core/ids.js";
import { messageText, type FunctionCallOutputItem, type ImagePart, type Item, type MessageItem } from "../core/items.js";
import { runSchemaVersion, type ClientToolOutput, type RunRecord } from "../core/run.js";
import { conversationIdOf, turnToContinue } from "../library/conversation-turns.js";
import { defaultInstructions } from "../loop/default-instructions.js";
import { TenantRunStore } from "../store/tenant-run-store.js";
import { badRequest } from "./http-error.js";
import type { LiveRun } from "./live-runs.js";
import { deleteRunTree } from "./run-deletion.js";
import { launchRun, type RunRequest } from "./run-launcher.js";
import type { Caller, ServerState } from "./server-state.js";

/**
 * A request's conversation, split the way a run takes it: the client's leading system and
 * developer messages become instructions, the last user message is the new turn's question, and
 * everything between is history: earlier turns the client sends back.
 */
export type TurnPlan = {
  instructions?: string;
  history: Item[];
  /** The question; empty when the turn only brings client tool outputs. */
  question: { text: string; images: ImagePart[] };
  /** Outputs of the client tool calls the conversation's latest turn ended with: the new turn starts from them. */
  toolOutputs: ClientToolOutput[];
};

/** Marks a run that holds a conversation's earlier turns as a client sent them (recorded, never advanced). */
export const historyMarker = { key: "ponder.turn", value: "client_history" } as const;

export function planTurn(
  requestItems: Item[],
  clientInstructions: string | undefined,
  param: string,
  options: { continuing?: boolean } = {},
): TurnPlan {
  // Continuing a stored turn: outputs for calls not in the request answer that turn's client calls.
  const sentCalls = new Set(requestItems.flatMap((item) => (item.type === "function_call" ? [item.call_id] : [])));
  const forStoredCalls = (item: Item) =>
    options.continuing === true && item.type === "function_call_output" && !sentCalls.has(item.call_id);
  const items = requestItems.filter((item) => !forStoredCalls(item));
  const leading = items.findIndex((item) => !(item.type === "message" && (item.role === "system" || item.role === "developer")));
  const system = (leading === -1 ? items : items.slice(0, leading)) as MessageItem[];
  // Outputs at the end answer the calls just before them: the turn goes on from there, with no new question.
  let trailing = items.length;
  while (trailing > system.length && items[trailing - 1]?.type === "function_call_output") trailing--;
  const endsWithOutputs = trailing < items.length || (items.length === system.length && requestItems.length > items.length);
  const answering = items.slice(trailing).map(toolOutputOf);
  const toolOutputs = [...requestItems.filter(forStoredCalls).map(toolOutputOf), ...answering];
  const last = endsWithOutputs ? -1 : items.findLastIndex((item) => item.type === "message" && item.role === "user");
  const question = items[last] as MessageItem | undefined;
  const images = question?.content.filter((part): part is ImagePart => part.type === "input_image") ?? [];
  if (!endsWithOutputs && (!question || (messageText(question).trim() === "" && images.length === 0)))
    throw badRequest("The request needs a user message with text or an image.", param, "missing_user_message");
  if (!endsWithOutputs && last !== items.length - 1)
    throw badRequest(
      "The conversation must end with a user message (the new turn's question) or with the outputs of your tool calls.",
      param,
      "unsupported_input_item",
    );
  const history = items.slice(system.length, endsWithOutputs ? trailing : last);
  checkCalls(history, answering, param);
  const client = [clientInstructions ?? "", ...system.map(messageText)].filter((text) => text.trim() !== "").join("\n\n");
  return {
    // Ponder's own instructions (how to think and use tools) stay; the client's come after them.
    ...(client !== "" ? { instructions: `${defaultInstructions}\n\nInstructions from the client:\n${client}` } : {}),
    history,
    question: question
      ? { text: messageText(question).trim() === "" ? "Look at the attached image." : messageText(question), images }
      : { text: "", images: [] },
    toolOutputs,
  };
}

function toolOutputOf(item: Item): ClientToolOutput {
  const output = item as FunctionCallOutputItem;
  return { call_id: output.call_id, output: output.output };
}

/**
 * Every call in the history needs its output, and every output its call: a run would otherwise
 * run a client's call itself, or a provider refuse the context.
 */
function checkCalls(history: Item[], toolOutputs: ClientToolOutput[], param: string): void {
  const called = new Set<string>();
  const answered = new Set<string>();
  for (const item of [...history, ...toolOutputs.map((output) => ({ ...output, type: "function_call_output" as const }))]) {
    if (item.type === "function_call") called.add(item.call_id);
    if (item.type !== "function_call_output") continue;
    if (!called.has(item.call_id))
      throw badRequest(`The output for call ${item.call_id} comes without that call before it.`, param, "unknown_call_id");
    answered.add(item.call_id);
  }
  const open = [...called].find((callId) => !answered.has(callId));
  if (open !== undefined)
    throw badRequest(
      `The call ${open} has no output: send its function_call_output (or tool message) after it.`,
      param,
      "missing_call_output",
    );
}

/**
 * Starts the turn a request asks for: with history, the history is first recorded as a turn of
 * its own (completed, never advanced) and the new run follows it, so the model reads every item
 * and the conversation can be continued like any other. A failure to start leaves nothing behind.
 */
export async function launchTurn(
  state: ServerState,
  caller: Caller,
  plan: TurnPlan,
  request: RunRequest,
): Promise<{ live: LiveRun; history?: RunRecord }> {
  const history = plan.history.length > 0 ? await recordHistory(state, caller, plan.history, request) : undefined;
  try {
    const live = await launchRun(state, caller, {
      ...request,
      input: plan.question.text,
      images: plan.question.images,
      ...(plan.toolOutputs.length > 0 ? { client: { ...request.client, clientToolOutputs: plan.toolOutputs } } : {}),
      ...(plan.instructions ? { instructions: plan.instructions } : {}),
      ...(history ? { continueFrom: history.id } : {}),
    });
    return { live, ...(history ? { history } : {}) };
  } catch (error) {
    if (history) await deleteRunTree(state, history);
    throw error;
  }
}

async function recordHistory(state: ServerState, caller: Caller, items: Item[], request: RunRequest): Promise<RunRecord> {
  const store = new TenantRunStore(state.store, caller.tenant);
  const previous = request.continueFrom === undefined ? undefined : await turnToContinue(store, request.continueFrom);
  const firstQuestion = items.find((item): item is MessageItem => item.type === "message" && item.role === "user");
  const lastAnswer = items.findLast((item): item is MessageItem => item.type === "message" && item.role === "assistant");
  // Calls the client answers in this very request: the new turn starts from their outputs.
  const answered = new Set(items.flatMap((item) => (item.type === "function_call_output" ? [item.call_id] : [])));
  const openCalls = items.flatMap((item) =>
    item.type === "function_call" && !answered.has(item.call_id)
      ? [{ call_id: item.call_id, name: item.name, arguments: item.arguments }]
      : [],
  );
  const now = new Date().toISOString();
  const record: RunRecord = {
    schemaVersion: runSchemaVersion,
    id: newId("run"),
    ...(previous ? { conversationId: conversationIdOf(previous), previousRunId: previous.id } : {}),
    status: "completed",
    spec: {
      model: request.model ?? previous?.spec.model ?? "",
      input: firstQuestion ? messageText(firstQuestion) : "",
      effort: request.effort ?? "medium",
      budget: {},
      tools: [],
      metadata: { ...request.metadata, [historyMarker.key]: historyMarker.value },
    },
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    finishedAt: now,
    usage: emptyUsage(),
    result:
      openCalls.length > 0
        ? { answer: "", stopReason: "client_tool_calls", clientToolCalls: openCalls }
        : { answer: lastAnswer ? messageText(lastAnswer) : "", stopReason: "answered" },
  };
  await store.createRun(record);
  await store.appendItems(record.id, 0, items, record);
  return record;
}
