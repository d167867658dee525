// The script a scripted model plays: its turn shape, and loading it from a JSON file with errors
// that name the bad field (a typo in a demo script should say where it is).

import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, errorMessage } from "../core/errors.js";
import type { ModelRequest, ModelUsage } from "./model-client.js";

export type ScriptedToolCall = {
  name: string;
  /** A JSON string (possibly malformed on purpose) or an object to serialise. */
  arguments: string | Record<string, unknown>;
  id?: string;
};

export type ScriptedTurn = {
  reasoning?: string;
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /** Fails the turn (after streaming any text and reasoning) like a provider error would. */
  error?: { status: number; message?: string; retryAfterSeconds?: number };
  /** Waits this long before the turn starts; aborts end the wait. */
  delayMs?: number;
  usage?: Partial<ModelUsage>;
};

/** A script written as code: returns the turn for a request, or undefined when it has no more. */
export type ScriptFunction = (request: ModelRequest, turnIndex: number) => ScriptedTurn | undefined | Promise<ScriptedTurn | undefined>;

export type Script = ScriptedTurn[] | ScriptFunction;

const toolCallSchema = z.strictObject({
  name: z.string().min(1),
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
  id: z.string().min(1).optional(),
});

const turnSchema = z.strictObject({
  reasoning: z.string().optional(),
  text: z.string().optional(),
  toolCalls: z.array(toolCallSchema).optional(),
  error: z
    .strictObject({
      status: z.number().int().min(100).max(599),
      message: z.string().optional(),
      retryAfterSeconds: z.number().min(0).optional(),
    })
    .optional(),
  delayMs: z.number().int().min(0).optional(),
  usage: z
    .strictObject({
      inputTokens: z.number().int().min(0).optional(),
      outputTokens: z.number().int().min(0).optional(),
      reasoningTokens: z.number().int().min(0).optional(),
      cachedInputTokens: z.number().int().min(0).optional(),
    })
    .optional(),
});

const turnsSchema = z.array(turnSchema);

const turnShape =
  'A script is a JSON list of turns (or { "turns": [...] }); each turn is { reasoning?, text?, ' +
  "toolCalls?: [{ name, arguments, id? }], error?: { status, message?, retryAfterSeconds? }, delayMs?, usage? }.";

/** Validates parsed JSON as a script; `source` names it in errors. */
export function parseScript(value: unknown, source: string): ScriptedTurn[] {
  const isWrapped = typeof value === "object" && value !== null && !Array.isArray(value);
  if (isWrapped) {
    const extraKeys = Object.keys(value).filter((key) => key !== "turns");
    if (extraKeys.length > 0 || !("turns" in value)) {
      throw new ConfigError(`Invalid script ${source}: expected a list of turns or an object with only "turns".`, turnShape);
    }
  }
  const turns = isWrapped ? (value as { turns: unknown }).turns : value;
  const parsed = turnsSchema.safeParse(turns);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`);
    throw new ConfigError(`Invalid script ${source}: ${problems.join("; ")}`, turnShape);
  }
  return parsed.data;
}

export function loadScriptFile(path: string): ScriptedTurn[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read the script file ${path}: ${errorMessage(error)}`, "Check the path after `scripted:`.");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`The script file ${path} is not valid JSON: ${errorMessage(error)}`, turnShape);
  }
  return parseScript(json, path);
}

/** `[2, "toolCalls", 0, "name"]` → `turns[2].toolCalls[0].name`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : `${text}.${String(key)}`), "turns");
}
