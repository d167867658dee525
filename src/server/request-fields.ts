// Request fields of the OpenAI endpoints that shape a run beyond its conversation: sampling, output
// caps, the answer's format, and the fields Ponder cannot honour. Every field a client may send is
// either honoured or refused with a 400 naming it (docs/server.md, "Request fields"); none is
// silently dropped.

import { z } from "zod";
import { UnsupportedOptionError } from "../core/errors.js";
import type { AnswerFormat, ClientTool, RunSpec, SamplingSettings } from "../core/run.js";
import type { ClientSettings } from "../library/client-settings.js";
import type { Budget } from "../core/budget.js";
import { badRequest, HttpError } from "./http-error.js";

const jsonSchemaFormat = {
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, underscores or dashes"),
  schema: z.record(z.string(), z.unknown()),
  description: z.string().nullish(),
  strict: z.boolean().nullish(),
};

/** The Responses API's `text`: the answer's format and verbosity. */
export const textFieldSchema = z
  .strictObject({
    format: z
      .discriminatedUnion("type", [
        z.strictObject({ type: z.literal("text") }),
        z.strictObject({ type: z.literal("json_object") }),
        z.strictObject({ type: z.literal("json_schema"), ...jsonSchemaFormat }),
      ])
      .nullish(),
    verbosity: z.enum(["low", "medium", "high"]).nullish(),
  })
  .nullish();

/** Chat Completions' `response_format`. */
export const responseFormatSchema = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("text") }),
    z.strictObject({ type: z.literal("json_object") }),
    z.strictObject({
      type: z.literal("json_schema"),
      json_schema: z.strictObject({ ...jsonSchemaFormat, schema: jsonSchemaFormat.schema.optional() }),
    }),
  ])
  .nullish();

/** Fields both endpoints take. */
export const commonFields = {
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  /** An end-user id for the provider's abuse monitoring: accepted; Ponder keeps no per-user state. */
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  /** Ponder keys prompt caches per conversation itself; a client's key is accepted and not needed. */
  prompt_cache_key: z.string().nullish(),
  service_tier: z.enum(["auto", "default"]).nullish(),
  verbosity: z.enum(["low", "medium", "high"]).nullish(),
};

export type ResponsesText = z.infer<typeof textFieldSchema>;
export type ChatResponseFormat = z.infer<typeof responseFormatSchema>;

export function answerFormatOfText(text: ResponsesText): AnswerFormat | undefined {
  const format = text?.format;
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  return jsonSchemaAnswer(format);
}

export function answerFormatOfResponseFormat(format: ChatResponseFormat): AnswerFormat | undefined {
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object" || format.json_schema.schema === undefined) return { type: "json_object" };
  return jsonSchemaAnswer({ ...format.json_schema, schema: format.json_schema.schema });
}

function jsonSchemaAnswer(format: { name: string; schema: Record<string, unknown>; description?: string | null; strict?: boolean | null }) {
  return {
    type: "json_schema" as const,
    name: format.name,
    schema: format.schema,
    ...(format.description ? { description: format.description } : {}),
    ...(format.strict !== undefined && format.strict !== null ? { strict: format.strict } : {}),
  };
}

export function samplingOf(body: { temperature?: number | null; top_p?: number | null }): SamplingSettings | undefined {
  const sampling = {
    ...(body.temperature !== undefined && body.temperature !== null ? { temperature: body.temperature } : {}),
    ...(body.top_p !== undefined && body.top_p !== null ? { topP: body.top_p } : {}),
  };
  return Object.keys(sampling).length > 0 ? sampling : undefined;
}

/** Output and tool-call caps as the run's budget: they hold for the whole response, every model turn together. */
export function budgetOf(maxOutputTokens: number | null | undefined, maxToolCalls: number | null | undefined): Budget | undefined {
  const budget: Budget = {
    ...(maxOutputTokens !== undefined && maxOutputTokens !== null ? { maxOutputTokens } : {}),
    ...(maxToolCalls !== undefined && maxToolCalls !== null ? { maxToolCalls } : {}),
  };
  return Object.keys(budget).length > 0 ? budget : undefined;
}

/** What a request asked of its run: the client's settings, the response's caps, and whether Ponder's own tools are offered. */
export type RequestSettings = { client: ClientSettings; budget?: Budget; builtinTools?: boolean };

/** Both endpoints' parsed fields as a run takes them; parts the request left out stay out. */
export function requestSettings(parts: {
  clientTools: ClientTool[];
  toolChoice: RunSpec["toolChoice"];
  parallelToolCalls: boolean | null | undefined;
  answerFormat: AnswerFormat | undefined;
  sampling: SamplingSettings | undefined;
  context?: RunSpec["context"];
  budget: Budget | undefined;
  builtinTools: boolean | null | undefined;
}): RequestSettings {
  const { clientTools, toolChoice, parallelToolCalls, answerFormat, sampling, context, budget, builtinTools } = parts;
  return {
    client: {
      ...(clientTools.length > 0 ? { clientTools } : {}),
      ...(toolChoice !== undefined ? { toolChoice } : {}),
      ...(parallelToolCalls !== undefined && parallelToolCalls !== null ? { parallelToolCalls } : {}),
      ...(answerFormat ? { answerFormat } : {}),
      ...(sampling ? { sampling } : {}),
      ...(context ? { context } : {}),
    },
    ...(budget ? { budget } : {}),
    ...(builtinTools === false ? { builtinTools: false } : {}),
  };
}

/** How the answer should read, from `verbosity`: said to the model as a client instruction. */
export function verbosityInstruction(verbosity: "low" | "medium" | "high" | null | undefined): string | undefined {
  if (verbosity === "low") return "Keep the final answer short: the essentials only.";
  if (verbosity === "high") return "Give a thorough, detailed final answer.";
  return undefined;
}

/**
 * Fields Ponder cannot honour, refused by name when they ask for something (their neutral values,
 * which clients send by default, are fine).
 */
export function refuseUnhonoured(body: Record<string, unknown>): void {
  const refuse = (field: string, why: string) => {
    throw badRequest(`${field} is not supported by this server: ${why}`, field, "unsupported_parameter");
  };
  const set = (field: string) => body[field] !== undefined && body[field] !== null;
  if (set("logprobs") && body.logprobs !== false) refuse("logprobs", "a Ponder answer comes from several model calls; leave it out.");
  if (set("top_logprobs") && body.top_logprobs !== 0)
    refuse("top_logprobs", "a Ponder answer comes from several model calls; leave it out.");
  if (set("frequency_penalty") && body.frequency_penalty !== 0) refuse("frequency_penalty", "leave it out (or 0).");
  if (set("presence_penalty") && body.presence_penalty !== 0) refuse("presence_penalty", "leave it out (or 0).");
  if (set("seed")) refuse("seed", "a run's several model calls cannot be made reproducible; leave it out.");
  if (set("stop") && !(Array.isArray(body.stop) && body.stop.length === 0))
    refuse("stop", "stop sequences would cut Ponder's own tool calls; leave it out.");
  if (set("logit_bias") && Object.keys(body.logit_bias as object).length > 0) refuse("logit_bias", "leave it out.");
  if (set("modalities") && JSON.stringify(body.modalities) !== '["text"]')
    refuse("modalities", 'Ponder answers in text only: send ["text"] or leave it out.');
  for (const field of ["audio", "prediction", "web_search_options", "functions", "function_call"])
    if (set(field))
      refuse(
        field,
        field.startsWith("function")
          ? "send `tools` and `tool_choice` instead."
          : field === "web_search_options"
            ? "Ponder searches the web with its own tools when it is configured to; leave it out."
            : "leave it out.",
      );
}

/**
 * A run option the library refused, as a 400 naming the request field it came from: `fields` maps
 * option paths (`sampling.temperature`) to fields (`temperature`); a client tool keeps its index.
 */
export function fieldError(error: unknown, fields: Record<string, string>): unknown {
  if (!(error instanceof UnsupportedOptionError)) return error;
  const option = error.option;
  const key = Object.keys(fields)
    .filter((name) => option === name || option.startsWith(`${name}.`))
    .sort((a, b) => b.length - a.length)[0];
  const param = key === undefined ? option : `${fields[key]}${key === "clientTools" ? option.slice(key.length) : ""}`;
  const message = error.hint ? `${error.message} ${error.hint}` : error.message;
  return new HttpError(400, message, "invalid_request_error", { param, code: error.code });
}
