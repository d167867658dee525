import { createInterface } from "node:readline/promises";
import type { FunctionCallItem } from "../core/items.js";
import type { Approver } from "../loop/tool-batch.js";
import { oneLine } from "./format.js";

/** Asks y/n on the terminal before a tool call the policy marks `ask`. */
export function ttyApprover(beforePrompt: () => void): Approver {
  return async (call: FunctionCallItem) => {
    beforePrompt();
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await prompt.question(`Allow ${call.name}(${oneLine(call.arguments, 200)})? [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      prompt.close();
    }
  };
}
