import type { ApprovalRequestItem, ApprovalResponseItem, FunctionCallItem, FunctionCallOutputItem, Item } from "../core/items.js";

/**
 * What the loop needs to know to take the next step, derived from the item log alone. Because
 * it is derived, a run resumed after a crash continues exactly where its log ends.
 */
export type RunState = {
  /** Calls of the last model turn that have no output yet. */
  pendingCalls: FunctionCallItem[];
  /** Approval requests without a response, by call id. */
  openApprovals: Map<string, ApprovalRequestItem>;
  /** Approval decisions, by call id. */
  approvals: Map<string, ApprovalResponseItem>;
  /** Model turns in a row whose every tool call was invalid (bad JSON, unknown tool, bad args). */
  invalidTurnsInARow: number;
  /** The last assistant message text, if any. */
  lastAssistantText?: string;
  /** Whether the log ends with a model turn that made no tool calls: the run has its answer. */
  answered: boolean;
};

const invalidKinds = new Set(["invalid_arguments", "unknown_tool"]);

export function deriveRunState(items: readonly Item[]): RunState {
  const outputs = new Map<string, FunctionCallOutputItem>();
  const openApprovals = new Map<string, ApprovalRequestItem>();
  const approvals = new Map<string, ApprovalResponseItem>();
  for (const item of items) {
    if (item.type === "function_call_output") outputs.set(item.call_id, item);
    if (item.type === "approval_request") openApprovals.set(item.call_id, item);
    if (item.type === "approval_response") {
      approvals.set(item.call_id, item);
      openApprovals.delete(item.call_id);
    }
  }

  // Walk model turns: a turn is a run of assistant-side items between user/tool items.
  let turnCalls: FunctionCallItem[] = [];
  let turnHasContent = false;
  let inTurn = false;
  let invalidTurnsInARow = 0;
  let lastAssistantText: string | undefined;
  const closeTurn = () => {
    if (!inTurn) return;
    const calls = turnCalls;
    if (calls.length > 0) {
      const allInvalid = calls.every((call) => invalidKinds.has(outputs.get(call.call_id)?.error_kind ?? ""));
      invalidTurnsInARow = allInvalid ? invalidTurnsInARow + 1 : 0;
    }
    inTurn = false;
  };
  for (const item of items) {
    const assistantSide =
      item.type === "reasoning" || item.type === "function_call" || (item.type === "message" && item.role === "assistant");
    if (assistantSide) {
      if (!inTurn) {
        inTurn = true;
        turnCalls = [];
        turnHasContent = false;
      }
      if (item.type === "function_call") turnCalls.push(item);
      if (item.type === "message") {
        turnHasContent = true;
        lastAssistantText = item.content.map((part) => ("text" in part ? part.text : "")).join("");
      }
    } else if (item.type === "function_call_output" || (item.type === "message" && item.role === "user")) {
      closeTurn();
    }
  }
  closeTurn();

  const last = [...items].reverse().find((item) => item.type !== "note" && item.type !== "artifact");
  const lastTurnCalls = turnCalls;
  const pendingCalls = lastTurnCalls.filter((call) => !outputs.has(call.call_id));
  const lastIsAssistant =
    last !== undefined &&
    (last.type === "reasoning" || last.type === "function_call" || (last.type === "message" && last.role === "assistant"));
  const answered = lastIsAssistant && turnHasContent && lastTurnCalls.length === 0;
  return { pendingCalls, openApprovals, approvals, invalidTurnsInARow, lastAssistantText, answered };
}
