// Small classification and verdict runs answer in JSON; models like to wrap it in prose or
// fences, so the first `{` to the last `}` is taken and validated against a zod schema.
import type { z } from "zod";

export type JsonReply<T> = { ok: true; value: T } | { ok: false; problem: string };

export function parseJsonReply<Schema extends z.ZodType>(text: string, schema: Schema): JsonReply<z.infer<Schema>> {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return { ok: false, problem: "no JSON object in the reply" };
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch (error) {
    return { ok: false, problem: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((issue) => `${issue.path.join(".") || "reply"}: ${issue.message}`).join("; ") };
  return { ok: true, value: parsed.data };
}
