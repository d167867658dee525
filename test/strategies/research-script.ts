// Scripts the fake model for research tests: tells planner, reader and writer requests apart by
// the markers research writes into its instructions, and counts a reader's tool results so far
// to know which of its steps is being asked for.
import type { FakeTurn } from "../support/fake-openai-server.js";
import type { RequestBody } from "../support/fake-openai-server.js";

export type ResearchRequest =
  | { kind: "planner"; followUp: boolean; repair: boolean }
  | { kind: "reader"; subQuestion: string; step: number; final: boolean }
  | { kind: "writer"; text: string }
  | { kind: "outline"; repair: boolean }
  | { kind: "section"; text: string }
  | { kind: "frame"; text: string }
  | { kind: "continue"; text: string }
  | { kind: "other" };

export function classify(body: RequestBody): ResearchRequest {
  const text = JSON.stringify(body);
  const final = body.tool_choice === "none" || !Array.isArray(body.tools) || body.tools.length === 0;
  if (text.includes("[Ponder research: continue]")) return { kind: "continue", text };
  if (text.includes("[Ponder research: outline]")) return { kind: "outline", repair: text.includes("supposed to be one JSON object") };
  if (text.includes("[Ponder research: section]")) return { kind: "section", text };
  if (text.includes("[Ponder research: frame]")) return { kind: "frame", text };
  if (text.includes("[Ponder research: plan]"))
    return { kind: "planner", followUp: text.includes("Readers suggested"), repair: text.includes("supposed to be one JSON object") };
  if (text.includes("[Ponder research: writer]")) return { kind: "writer", text };
  if (text.includes("[Ponder research: reader]")) {
    const subQuestion = /Your sub-question: (.*?)(?:\\n|")/.exec(text)?.[1] ?? "";
    const step = (text.match(/"function_call_output"|"role":"tool"/g) ?? []).length;
    return { kind: "reader", subQuestion, step, final };
  }
  return { kind: "other" };
}

export function call(name: string, args: Record<string, unknown>): NonNullable<FakeTurn["toolCalls"]>[number] {
  return { name, arguments: JSON.stringify(args) };
}

export function notesTurn(notes: { claim: string; source_id: string; quote: string }[], followUp: string[] = [], missing = ""): FakeTurn {
  return { text: `I read the sources.\n\nNOTES:\n${JSON.stringify({ notes, follow_up: followUp, missing })}` };
}

export function planTurn(subQuestions: string[]): FakeTurn {
  return {
    text: JSON.stringify({
      restated_question: "What is the history of the harbour?",
      sub_questions: subQuestions.map((question) => ({ question, look_for: "local history pages" })),
    }),
  };
}
