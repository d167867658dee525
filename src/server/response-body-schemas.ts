import { z } from "zod";
import { efforts } from "../core/effort.js";
import { runStatuses } from "../core/run.js";

// The JSON bodies the server answers with, for the OpenAPI document (GET /openapi.json), where
// schemathesis checks every answer against them. Objects are loose where clients must expect more
// fields over time (OpenAI's shapes grow); the fields named are the ones promised.

const count = z.number().int().min(0);

/** Every error: OpenAI's shape. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
});

const runErrorSchema = z.looseObject({ code: z.string(), message: z.string() });

/** Ponder's items (the Responses API's shapes, plus its own): each has a type and an id. */
const itemSchema = z.looseObject({ type: z.string(), id: z.string() });

/** An item with its place in the run's log. */
const storedItemSchema = z.strictObject({ seq: count, step: count, created_at: z.string(), item: itemSchema });

export const runSchema = z.looseObject({
  object: z.literal("run"),
  id: z.string(),
  status: z.enum(runStatuses),
  interrupted: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
  parent_id: z.string().nullable(),
  conversation_id: z.string(),
  previous_run_id: z.string().nullable(),
  model: z.string(),
  effort: z.enum(efforts),
  metadata: z.record(z.string(), z.string()),
  input: z.string(),
  answer: z.string().nullable(),
  stop_reason: z.string().nullable(),
  budget_exhausted: z.string().nullable(),
  error: runErrorSchema.nullable(),
  usage: z.looseObject({
    steps: count,
    toolCalls: count,
    inputTokens: count,
    outputTokens: count,
    reasoningTokens: count,
    cachedInputTokens: count,
    costUsd: z.number().min(0),
    costKnown: z.boolean(),
  }),
  cached_input_share: z.number().min(0).max(1).nullable(),
  budget: z.record(z.string(), z.number()),
  strategy: z.looseObject({ name: z.string(), settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }).nullable(),
  distribution: z.array(z.looseObject({ answer: z.string(), count, share: z.number(), run_ids: z.array(z.string()) })).nullable(),
  confidence: z.number().nullable(),
  calls_in_flight: z.array(z.string()),
});

export const runListSchema = z.strictObject({ object: z.literal("list"), data: z.array(runSchema) });

export const runWithItemsSchema = runSchema.extend({
  live: z.boolean(),
  items: z.array(storedItemSchema),
  /** The run's conversation, every turn oldest first (the run itself among them). */
  turns: z.array(runSchema),
});

export const decidedRunSchema = runSchema.extend({ decided: z.array(z.string()) });

export const steerAcceptedSchema = z.strictObject({ id: z.string(), object: z.literal("run.steer"), accepted: z.literal(true) });

export const modelListSchema = z.strictObject({
  object: z.literal("list"),
  data: z.array(z.strictObject({ id: z.string(), object: z.literal("model"), created: count, owned_by: z.string() })),
});

export const chatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: count,
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: count,
      message: z.looseObject({ role: z.literal("assistant"), content: z.string().nullable(), refusal: z.string().nullable() }),
      finish_reason: z.string(),
      logprobs: z.null(),
    }),
  ),
  usage: z.looseObject({ prompt_tokens: count, completion_tokens: count, total_tokens: count }),
});

/** A Responses API response object; `output` holds items as Ponder lists them (see response-object.ts). */
export const responseSchema = z.looseObject({
  id: z.string(),
  object: z.literal("response"),
  created_at: count,
  status: z.enum(["queued", "in_progress", "completed", "incomplete", "failed", "cancelled"]),
  background: z.boolean().nullable(),
  model: z.string(),
  output: z.array(z.looseObject({ type: z.string() })),
  error: runErrorSchema.nullable(),
  incomplete_details: z.looseObject({ reason: z.string() }).nullable(),
  metadata: z.record(z.string(), z.string()),
  usage: z.looseObject({ input_tokens: count, output_tokens: count, total_tokens: count }),
});

/** A page of a response's input items, as OpenAI's cursor pages are. */
export const inputItemListSchema = z.strictObject({
  object: z.literal("list"),
  data: z.array(itemSchema),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
  has_more: z.boolean(),
});

/** What deleting a response answers, as OpenAI does. */
export const responseDeletedSchema = z.strictObject({ id: z.string(), object: z.literal("response"), deleted: z.literal(true) });

/** An event of a streamed response: its type and place in the sequence, then the event's own fields. */
export const responseEventSchema = z.looseObject({ type: z.string().startsWith("response."), sequence_number: count });

/** An event of a run's stream: a stored item (with its seq), a live event (with its type), or the final status. */
export const runEventSchema = z.union([
  storedItemSchema,
  z.looseObject({ type: z.string() }),
  z.strictObject({ status: z.enum(runStatuses) }),
]);

/** The OpenAPI document itself, loosely: it is described by the OpenAPI specification. */
export const openApiDocumentSchema = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) });
