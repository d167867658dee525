// The Responses API's context fields, honoured by Ponder's context management (docs/long-runs.md):
// `truncation: "auto"` lets older context be compacted to fit (the log keeps every item), while
// `"disabled"` sends the whole conversation and a conversation too long for the model is a 400;
// `context_management: [{ type: "compaction", compact_threshold }]` compacts once a request would
// pass that many tokens. Compaction items are readable text, not an opaque blob.
import { z } from "zod";
import type { RunSpec } from "../core/run.js";
import { badRequest } from "./http-error.js";

export const contextManagementSchema = z
  .array(z.strictObject({ type: z.literal("compaction"), compact_threshold: z.number().int().min(1_000).nullish() }))
  .max(1)
  .nullish();

export function runContextOf(
  truncation: "auto" | "disabled" | null | undefined,
  management: z.infer<typeof contextManagementSchema>,
): RunSpec["context"] | undefined {
  const compaction = management?.[0];
  if (compaction && truncation === "disabled")
    throw badRequest(
      "context_management asks for compaction, which truncation `disabled` forbids: leave truncation out (or `auto`).",
      "truncation",
      "conflicting_parameters",
    );
  if (compaction)
    return { compaction: true, ...(compaction.compact_threshold != null && { compactThreshold: compaction.compact_threshold }) };
  if (truncation === "auto") return { compaction: true };
  if (truncation === "disabled") return { compaction: false };
  return undefined;
}
