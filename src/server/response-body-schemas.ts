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

export const runListSchema = z.strictObject({
  object: z.literal("list"),
  data: z.array(runSchema),
  first_id: z.string().nullable(),
  /** Pass as `after` for the next page. */
  last_id: z.string().nullable(),
  has_more: z.boolean(),
});

export const runWithItemsSchema = runSchema.extend({
  live: z.boolean(),
  items: z.array(storedItemSchema),
  /** The run's conversation, every turn oldest first (the run itself among them). */
  turns: z.array(runSchema),
  /** Each model turn's usage and time, in step order. */
  steps: z.array(
    z.looseObject({
      step: count,
      input_tokens: count,
      output_tokens: count,
      reasoning_tokens: count,
      cost_usd: z.number(),
      duration_ms: z.number(),
    }),
  ),
});

export const decidedRunSchema = runSchema.extend({ decided: z.array(z.string()) });

export const steerAcceptedSchema = z.strictObject({ id: z.string(), object: z.literal("run.steer"), accepted: z.literal(true) });

export const modelSchema = z.strictObject({ id: z.string(), object: z.literal("model"), created: count, owned_by: z.string() });

export const modelListSchema = z.strictObject({ object: z.literal("list"), data: z.array(modelSchema) });

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

const outputTextSchema = z.looseObject({
  type: z.literal("output_text"),
  text: z.string(),
  annotations: z.array(z.looseObject({})),
  logprobs: z.array(z.looseObject({})),
});
const summaryTextSchema = z.looseObject({ type: z.literal("summary_text"), text: z.string() });

/** The output items a response lists (response-object.ts, hosted-tool-items.ts), with the fields strict clients require. */
export const outputItemSchema = z.union([
  z.looseObject({
    type: z.literal("message"),
    id: z.string(),
    status: z.enum(["in_progress", "completed", "incomplete"]),
    role: z.literal("assistant"),
    phase: z.enum(["commentary", "final_answer"]).optional(),
    content: z.array(outputTextSchema),
  }),
  z.looseObject({
    type: z.literal("reasoning"),
    id: z.string(),
    summary: z.array(summaryTextSchema),
    content: z.array(z.looseObject({ type: z.literal("reasoning_text"), text: z.string() })).optional(),
  }),
  z.looseObject({
    type: z.literal("function_call"),
    id: z.string(),
    call_id: z.string(),
    name: z.string(),
    arguments: z.string(),
    status: z.enum(["in_progress", "completed", "incomplete"]),
  }),
  z.looseObject({
    type: z.literal("code_interpreter_call"),
    id: z.string(),
    status: z.enum(["in_progress", "completed", "incomplete", "interpreting", "failed"]),
    code: z.string().nullable(),
    container_id: z.string(),
    outputs: z
      .array(
        z.union([
          z.strictObject({ type: z.literal("logs"), logs: z.string() }),
          z.strictObject({ type: z.literal("image"), url: z.string() }),
        ]),
      )
      .nullable(),
  }),
  z.looseObject({
    type: z.literal("web_search_call"),
    id: z.string(),
    status: z.enum(["in_progress", "searching", "completed", "failed"]),
    action: z.union([
      z.looseObject({ type: z.literal("search"), query: z.string() }),
      z.looseObject({ type: z.literal("open_page"), url: z.string() }),
      z.looseObject({ type: z.literal("find_in_page"), url: z.string(), pattern: z.string() }),
    ]),
  }),
  z.looseObject({
    type: z.literal("mcp_call"),
    id: z.string(),
    status: z.enum(["in_progress", "completed", "incomplete", "calling", "failed"]),
    server_label: z.string(),
    name: z.string(),
    arguments: z.string(),
    output: z.string().nullable(),
    error: z.string().nullable(),
  }),
  /** Ponder's own items, only with `include: ["ponder.items"]`. */
  z.looseObject({ type: z.enum(["note", "artifact", "source", "approval_request", "approval_response", "compaction"]), id: z.string() }),
]);

/** A Responses API response object: every field the Open Responses specification requires, with its type. */
export const responseSchema = z.looseObject({
  id: z.string(),
  object: z.literal("response"),
  created_at: count,
  completed_at: count.nullable(),
  status: z.enum(["queued", "in_progress", "completed", "incomplete", "failed", "cancelled"]),
  background: z.boolean(),
  model: z.string(),
  output: z.array(outputItemSchema),
  error: runErrorSchema.nullable(),
  incomplete_details: z.looseObject({ reason: z.string() }).nullable(),
  instructions: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  parallel_tool_calls: z.boolean(),
  previous_response_id: z.string().nullable(),
  reasoning: z.looseObject({ effort: z.string().nullable(), summary: z.string().nullable() }),
  temperature: z.number(),
  top_p: z.number(),
  presence_penalty: z.number(),
  frequency_penalty: z.number(),
  top_logprobs: count,
  max_output_tokens: count.nullable(),
  max_tool_calls: count.nullable(),
  truncation: z.enum(["auto", "disabled"]),
  store: z.boolean(),
  service_tier: z.string(),
  safety_identifier: z.string().nullable(),
  prompt_cache_key: z.string().nullable(),
  text: z.looseObject({ format: z.looseObject({ type: z.string() }) }),
  tool_choice: z.union([z.enum(["none", "auto", "required"]), z.looseObject({ type: z.string() })]),
  tools: z.array(z.looseObject({ type: z.string() })),
  usage: z.looseObject({
    input_tokens: count,
    input_tokens_details: z.looseObject({ cached_tokens: count }),
    output_tokens: count,
    output_tokens_details: z.looseObject({ reasoning_tokens: count }),
    total_tokens: count,
  }),
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
