// A report (or a section) cut off mid-sentence, by the output limit (finish reason `length`) or
// a model that simply stopped, is continued once; if it is still cut off, it is trimmed to its
// last complete sentence and says so, so no report ends halfway through a claim.
import type { ModelClient } from "../../models/model-client.js";
import type { RunStore } from "../../store/run-store.js";
import type { AnyTool } from "../../tools/tool.js";
import type { ChildRun, StrategyRuns } from "../strategy-runs.js";
import { continuePrompt } from "./writer-prompts.js";

export type Completion = { text: string; continued: boolean; trimmed: boolean; runIds: string[] };

export type CompletionRequest = {
  runs: StrategyRuns;
  store: RunStore;
  model: ModelClient;
  child: ChildRun;
  /** The input and instructions of the run that was cut off, for the continuation. */
  input: string;
  instructions: string;
  tools: AnyTool[];
  index: number;
};

export const trimmedNotice = "*(The writer's text was cut off mid-sentence; it has been trimmed to its last complete sentence.)*";

/** Markdown may end a complete text with a sentence, a citation, emphasis, a table row, a fence or an image. */
const completeEnding = /(?:[.!?:;…|`*_)\]"'\u2019\u201d]|-{3,})\s*$/;

export function looksCutOff(text: string): boolean {
  return text.trim().length > 0 && !completeEnding.test(text);
}

export async function completeText(request: CompletionRequest, text: string): Promise<Completion> {
  const { runs, store, model, child, input, instructions, tools, index } = request;
  const steps = await store.listSteps(child.runId);
  const hitLimit = steps.at(-1)?.finishReason === "length";
  if (!hitLimit && !looksCutOff(text)) return { text, continued: false, trimmed: false, runIds: [] };
  if (runs.mayStart()) {
    const next = await runs.run({ role: "writer", index, input: continuePrompt(input, text), model, tools, instructions });
    const continuation = next.record.result?.answer.trim() ?? "";
    const joined = continuation ? `${text}${/^[.,;:!?]/.test(continuation) ? "" : " "}${continuation}` : text;
    const nextSteps = await store.listSteps(next.runId);
    if (continuation && nextSteps.at(-1)?.finishReason !== "length" && !looksCutOff(joined))
      return { text: joined, continued: true, trimmed: false, runIds: [next.runId] };
    return { text: trimToSentence(joined), continued: true, trimmed: true, runIds: [next.runId] };
  }
  return { text: trimToSentence(text), continued: false, trimmed: true, runIds: [] };
}

/** The text up to its last complete sentence (closing quotes and brackets kept), with a notice. */
export function trimToSentence(text: string): string {
  let end = -1;
  for (const match of text.matchAll(/[.!?…]["')\]\u2019\u201d]*(?=\s|$)/g)) end = match.index + match[0].length;
  const kept = end > 0 ? text.slice(0, end).trimEnd() : "";
  return `${kept}${kept ? "\n\n" : ""}${trimmedNotice}`;
}
