import type { FunctionCallItem } from "../core/items.js";
import { messageText } from "../core/items.js";
import type { RunJournal } from "./run-journal.js";
import { takeModelTurn, type ModelTurnOptions } from "./model-turn.js";

// `reason` is whatever stopped the work: a budget ("step limit (20 steps)", "deadline") or
// something else ("the model returned an empty turn (finish reason: stop)"); every sentence
// below reads right with either.

/** The message that asks for the forced final answer when the work stops. */
export function finalAnswerPrompt(reason: string): string {
  return (
    `[Ponder] The run stops here: ${reason}. Do not call any tools. ` +
    "Give your best final answer now from what you have found so far, and say briefly what is uncertain or unfinished."
  );
}

/**
 * One tool-free turn that turns whatever the run has learned into an answer. If the model
 * fails here (or runs past the hard deadline), the answer falls back to its last words; only
 * when there are none does the failure fail the run.
 */
export async function takeFinalTurn(journal: RunJournal, reason: string, options: Omit<ModelTurnOptions, "toolChoice">): Promise<string> {
  await journal.append([
    { type: "note", kind: "budget", text: `The run stops here: ${reason}. Asking for a final answer without tools.` },
    { type: "message", role: "user", content: [{ type: "input_text", text: finalAnswerPrompt(reason) }] },
  ]);
  let answer = "";
  let failure: unknown;
  try {
    const turn = await takeModelTurn(journal, { ...options, toolChoice: "none" });
    await turn.committed;
    const ignoredCalls = turn.items.filter((item): item is FunctionCallItem => item.type === "function_call");
    if (ignoredCalls.length > 0) {
      // Some models call tools even when told not to; close the calls so the log stays valid.
      await journal.append(
        ignoredCalls.map((call) => ({
          type: "function_call_output" as const,
          call_id: call.call_id,
          output: "Not executed: the run's budget is used up.",
          error_kind: "cancelled" as const,
        })),
      );
    }
    answer = turn.items
      .flatMap((item) => (item.type === "message" ? [messageText(item)] : []))
      .join("\n")
      .trim();
  } catch (error) {
    failure = error;
    await journal.append([
      { type: "note", kind: "budget", text: `The final answer turn failed: ${error instanceof Error ? error.message : String(error)}` },
    ]);
  }
  if (answer) return answer;
  const earlier = [...journal.items]
    .reverse()
    .find((item) => item.type === "message" && item.role === "assistant" && messageText(item).trim() !== "");
  if (earlier?.type === "message") return messageText(earlier).trim();
  // Nothing to answer from and the model is failing: fail the run (it stays resumable).
  if (failure !== undefined) throw failure;
  return `No answer: the run stopped before the model gave one. Reason: ${reason}.`;
}
