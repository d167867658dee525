import { z } from "zod";
import type { Effort } from "../core/effort.js";

/** The effort values OpenAI's APIs accept, plus Ponder's own. */
export const requestEffortSchema = z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]);

/** OpenAI's `none` and `xhigh` have no Ponder level of their own: they map to the nearest one. */
export function ponderEffort(value: z.infer<typeof requestEffortSchema> | undefined | null): Effort | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === "none") return "minimal";
  if (value === "xhigh") return "high";
  return value;
}
