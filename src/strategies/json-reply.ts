// Small runs (planners, readers, classifiers, critics) answer in JSON; models like to wrap it in
// prose or a ```json fence. The JSON object is taken from the fence, or else from the first `{`
// to the last `}`, and validated against a zod schema, so neither counts as bad JSON.
import type { z } from "zod";
import { describeIssues } from "../core/schema-issues.js";

export type JsonReply<T> = { ok: true; value: T } | { ok: false; problem: string };

/** `after`: the object is looked for only after the last occurrence of this marker (`NOTES:`). */
export function parseJsonReply<Schema extends z.ZodType>(text: string, schema: Schema, after?: string): JsonReply<z.infer<Schema>> {
  const start = after === undefined ? -1 : text.lastIndexOf(after);
  const scope = start < 0 ? text : text.slice(start + (after?.length ?? 0));
  const candidate = fencedObject(scope) ?? outermostObject(scope);
  if (candidate === undefined) return { ok: false, problem: "no JSON object in the reply" };
  let value: unknown;
  try {
    value = JSON.parse(candidate);
  } catch (error) {
    return { ok: false, problem: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    return { ok: false, problem: `not the expected shape: ${describeIssues(parsed.error.issues.slice(0, 5), "reply").join("; ")}` };
  return { ok: true, value: parsed.data };
}

function fencedObject(text: string): string | undefined {
  const match = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text);
  const inside = match?.[1]?.trim();
  return inside?.startsWith("{") ? inside : undefined;
}

function outermostObject(text: string): string | undefined {
  const first = text.indexOf("{");
  const last = text.lastIndexOf("}");
  return first >= 0 && last > first ? text.slice(first, last + 1) : undefined;
}
