// Finds the JSON object in a model's answer (a fenced block, or the outermost braces) and
// validates it, so a prose preamble or a ```json fence does not count as bad JSON.
import type { z } from "zod";

export type ParsedBlock<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseJsonBlock<T>(text: string, schema: z.ZodType<T>, after?: string): ParsedBlock<T> {
  const start = after === undefined ? 0 : text.lastIndexOf(after);
  const scope = start < 0 ? text : text.slice(start + (after?.length ?? 0));
  const candidate = fencedBlock(scope) ?? outermostObject(scope);
  if (candidate === undefined) return { ok: false, error: "no JSON object was found in the answer" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(candidate);
  } catch (error) {
    return { ok: false, error: `the JSON does not parse: ${error instanceof Error ? error.message : String(error)}` };
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(top level)"}: ${issue.message}`);
    return { ok: false, error: `the JSON does not have the expected shape (${issues.join("; ")})` };
  }
  return { ok: true, value: result.data };
}

function fencedBlock(text: string): string | undefined {
  const match = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text);
  return match?.[1]?.trim().startsWith("{") ? match[1].trim() : undefined;
}

function outermostObject(text: string): string | undefined {
  const first = text.indexOf("{");
  const last = text.lastIndexOf("}");
  return first >= 0 && last > first ? text.slice(first, last + 1) : undefined;
}
