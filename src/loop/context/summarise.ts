// Tier 2: older turns summarised by the run's own model, in pieces small enough that no
// summarising request can overflow the window: each call reads the summary so far and the next
// piece of the log, and writes the new summary.

import type { Item } from "../../core/items.js";
import { messageText, outputText } from "../../core/items.js";
import { addModelUsage, zeroUsage } from "./model-usage.js";
import type { ModelClient, ModelUsage } from "../../models/model-client.js";
import { streamWithRetry } from "../../models/retry.js";

export const summariserInstructions = `You compact the working log of an agent so it can keep working with less context.
Write the new summary of everything so far: the summary so far, updated with the next part of the log.
Keep, under these headings:
Task: what the user asked, with every constraint and detail they gave.
Decisions: what was decided and why.
Findings: every fact found that the task may need, exactly (numbers, names, codes, quotes), each with its source id or call id.
Files: files produced or read, with their names.
Open questions: what is still unknown or unfinished.
Plan: what to do next.
Drop chatter and repeated output. Write plain text, no preamble.`;

export class SummaryError extends Error {}

export type SummaryOptions = {
  model: ModelClient;
  previousSummary?: string;
  items: readonly Item[];
  /** The most log text (in tokens) one call reads besides the summary so far. */
  pieceTokens: number;
  /** The most a summary may take; a longer one is refused as garbage. */
  summaryTokens: number;
  signal: AbortSignal;
  retryDeadline?: number;
};

export type Summary = { text: string; usage: ModelUsage; calls: number };

/** Summarises `items` onto the previous summary; throws SummaryError when the model fails or writes garbage. */
export async function summariseItems(options: SummaryOptions): Promise<Summary> {
  let summary = options.previousSummary ?? "";
  let usage = zeroUsage();
  const pieces = logPieces(options.items, options.pieceTokens * 4);
  for (const piece of pieces) {
    const request = {
      instructions: summariserInstructions,
      items: [
        {
          type: "message" as const,
          id: "summary_request",
          role: "user" as const,
          content: [
            { type: "input_text" as const, text: `Summary so far:\n${summary || "(none yet)"}\n\nNext part of the log:\n${piece}` },
          ],
        },
      ],
      tools: [],
      toolChoice: "none" as const,
      maxOutputTokens: options.summaryTokens,
      stream: false,
      signal: options.signal,
    };
    let text = "";
    try {
      for await (const part of streamWithRetry(options.model, request, { deadline: options.retryDeadline })) {
        if (part.type !== "finish") continue;
        usage = addModelUsage(usage, part.usage);
        text = part.items.flatMap((item) => (item.type === "message" ? [messageText({ ...item, id: "" })] : [])).join("\n");
      }
    } catch (error) {
      if (options.signal.aborted) throw error;
      throw new SummaryError(`the summarising call failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    summary = checkedSummary(text, options.summaryTokens);
  }
  return { text: summary, usage, calls: pieces.length };
}

/** Refuses what cannot be a summary: nothing, or far more than asked (a model echoing its input). */
function checkedSummary(text: string, summaryTokens: number): string {
  const trimmed = text.trim();
  if (trimmed === "") throw new SummaryError("the summarising call returned no text");
  if (trimmed.length / 4 > summaryTokens * 1.5)
    throw new SummaryError(`the summarising call returned ${trimmed.length} characters, far over the ${summaryTokens * 4} asked for`);
  return trimmed;
}

/** The log as text lines, cut into pieces of at most `pieceCharacters`. */
export function logPieces(items: readonly Item[], pieceCharacters: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const line of items.flatMap(logLine)) {
    for (let offset = 0; offset < line.length; offset += pieceCharacters) {
      const chunk = line.slice(offset, offset + pieceCharacters);
      if (current.length + chunk.length + 1 > pieceCharacters && current !== "") {
        pieces.push(current);
        current = "";
      }
      current += `${chunk}\n`;
    }
  }
  if (current !== "") pieces.push(current);
  return pieces;
}

function logLine(item: Item): string[] {
  switch (item.type) {
    case "message":
      return [`${item.role.toUpperCase()}: ${messageText(item)}`];
    case "reasoning": {
      const text = [...item.summary, ...(item.content ?? [])].map((part) => part.text).join(" ");
      return text.trim() === "" ? [] : [`THINKING: ${text}`];
    }
    case "function_call":
      return [`CALL ${item.call_id} ${item.name}(${item.arguments})`];
    case "function_call_output":
      return [`OUTPUT of ${item.call_id}${item.error_kind ? ` (${item.error_kind})` : ""}: ${outputText(item.output)}`];
    case "source":
      return [`SOURCE ${item.source_id}: ${item.title} <${item.url}>`];
    case "artifact":
      return [`FILE produced: ${item.name}`];
    default:
      return [];
  }
}
