// `recall`: brings back a tool output that context compaction cleared (or that was too large
// and went to a workspace file), a page at a time. The run's log keeps every output whole, so
// clearing one from the context loses nothing.

import { z } from "zod";
import { ToolError } from "../../core/errors.js";
import { defineTool, type Tool } from "../tool.js";
import { readOffloadedOutput } from "./offloaded-outputs.js";

export type RecallArguments = { call_id: string; offset?: number | undefined };

/** The stored output of a call of this run (or of an earlier turn of its conversation). */
export type RecalledOutput = { name: string; text: string };

const parameters = z.object({
  call_id: z.string().min(1).describe("The call_id of the tool call whose output to read again."),
  offset: z.number().int().nonnegative().optional().describe("Character offset to start at, for outputs longer than one page."),
});

const largestOffloadedOutputBytes = 64 * 1024 * 1024;

/** `find` looks a call up in the run's log; `pageCharacters` bounds one answer so recalling never floods the context. */
export function createRecallTool(find: (callId: string) => RecalledOutput | undefined, pageCharacters: number): Tool<RecallArguments> {
  return defineTool({
    name: "recall",
    description:
      "Read again the output of an earlier tool call that was cleared from the context to save room (its place says so), " +
      "or the whole of an output that was too large and was shortened. Give its call_id; long outputs come a page at a time (use offset).",
    parameters,
    effects: "read",
    async run({ call_id: callId, offset = 0 }, context) {
      const stored = find(callId);
      if (!stored) throw new ToolError(`There is no tool call with call_id "${callId}" in this run. Use the call_id shown with the call.`);
      const whole = (await readOffloadedOutput(context.workspace, callId, largestOffloadedOutputBytes, context.signal)) ?? stored.text;
      if (offset >= whole.length && whole.length > 0)
        throw new ToolError(`The output of "${callId}" has ${whole.length} characters; offset ${offset} is past its end.`);
      const end = Math.min(whole.length, offset + pageCharacters);
      const more = end < whole.length ? ` More follows: call recall again with offset ${end}.` : "";
      return {
        content: `Output of ${stored.name} call ${callId} (characters ${offset}–${end} of ${whole.length}).${more}\n${whole.slice(offset, end)}`,
      };
    },
  });
}
