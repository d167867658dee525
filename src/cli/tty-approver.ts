import type { FunctionCallItem } from "../core/items.js";
import type { Approver } from "../loop/tool-batch.js";
import { oneLine } from "./format.js";
import { askYesNo, PromptInterruptedError } from "./terminal-prompt.js";

/**
 * Asks y/N on the terminal before a tool call the policy marks `ask`. Ctrl-C at the prompt is
 * Ctrl-C for the run: the command's SIGINT handler cancels it, and the run is recorded cancelled.
 */
export function ttyApprover(beforePrompt: () => void): Approver {
  return async (call: FunctionCallItem) => {
    beforePrompt();
    try {
      return await askYesNo(`Allow ${call.name}(${oneLine(call.arguments, 200)})?`);
    } catch (error) {
      if (!(error instanceof PromptInterruptedError)) throw error;
      process.emit("SIGINT", "SIGINT");
      throw new DOMException(error.message, "AbortError");
    }
  };
}
