import { z } from "zod";

/** A strategy as requests name it: the runs API's `strategy`, and `ponder.strategy` on the OpenAI-compatible endpoints. */
export const strategySchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("best_of_n"),
    samples: z.number().int().min(1).max(1000).optional(),
    select: z.enum(["vote", "judge", "synthesize"]).optional(),
    untilConfident: z.number().gt(0).lt(1).optional(),
    maxSamples: z.number().int().min(1).max(1000).optional(),
    concurrency: z.number().int().min(1).max(256).optional(),
  }),
  z.strictObject({
    type: z.literal("research"),
    breadth: z.number().int().min(1).max(16).optional(),
    depth: z.number().int().min(1).max(4).optional(),
  }),
]);

/** Ponder's own field in an OpenAI request body: `"ponder": { "strategy": ... }`. */
export const ponderFieldsSchema = z
  .strictObject({
    strategy: strategySchema.optional(),
    /** false: Ponder's own tools (Python, web, ...) are not offered; a client's tools still are. */
    builtin_tools: z.boolean().optional(),
  })
  .nullish();
