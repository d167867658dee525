import { z } from "zod";
import type { RunRecord } from "../../core/run.js";
import { contentPartSchema } from "../conversation-input.js";
import { launchTurn, planTurn } from "../conversation-turn.js";
import { chatMessageItems } from "../input-items.js";
import { EventStream } from "../event-stream.js";
import { HttpError, badRequest } from "../http-error.js";
import { sendJson } from "../http-response.js";
import { modelOfRequest, publicModelName } from "../model-names.js";
import { conversationBodyBytes, readJsonBody } from "../request-body.js";
import { chatCompletionSchema } from "../response-body-schemas.js";
import { ponderEffort, requestEffortSchema } from "../request-effort.js";
import type { RequestContext, Route } from "../router.js";
import { queueRun } from "../run-launcher.js";
import { followRun, outcomeText } from "../run-outcome.js";
import { ChatDeltaWriter } from "../chat-completion-stream.js";
import { toolFree } from "../turn-text-hold.js";
import { waitForStoredRun } from "../stored-run-wait.js";
import { ponderFieldsSchema } from "../strategy-request.js";
import { chatClientTools, chatToolCalls, chatToolSchema, clientToolChoice, toolChoiceSchema } from "../client-tools.js";
import {
  answerFormatOfResponseFormat,
  budgetOf,
  commonFields,
  fieldError,
  refuseUnhonoured,
  requestSettings,
  type RequestSettings,
  responseFormatSchema,
  samplingOf,
  verbosityInstruction,
} from "../request-fields.js";
import { cancelRun } from "./run-actions.js";
import { forgetRun } from "../run-deletion.js";
import { contextOverflowError } from "../context-overflow.js";
import type { LiveRun } from "../live-runs.js";
import { logged, logger } from "../../logging/logger.js";

const log = logger("server");

// Strict: a field this server does not know is a 400 naming it, never silently dropped (docs/server.md, "Request fields").
const chatRequestSchema = z.strictObject({
  model: z.string(),
  messages: z
    .array(
      z.looseObject({
        role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
        content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
      }),
    )
    .min(1),
  stream: z.boolean().nullish(),
  stream_options: z.strictObject({ include_usage: z.boolean().nullish(), include_obfuscation: z.boolean().nullish() }).nullish(),
  reasoning_effort: requestEffortSchema.nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  /** false: nothing of the completion is kept once it has been answered. */
  store: z.boolean().nullish(),
  /** Function tools of the client's: offered to the model, handed back as `tool_calls`, never run by Ponder. */
  tools: z.array(chatToolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  response_format: responseFormatSchema,
  /** n > 1: n independent runs, one choice each. */
  n: z.number().int().min(1).max(8).nullish(),
  /** The whole completion's output tokens (every model turn together). */
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  ...commonFields,
  // Refused by name when they ask for something (request-fields.ts), so they are known here.
  ...Object.fromEntries(
    [
      "frequency_penalty",
      "presence_penalty",
      "logprobs",
      "top_logprobs",
      "seed",
      "stop",
      "logit_bias",
      "modalities",
      "audio",
      "prediction",
      "web_search_options",
      "functions",
      "function_call",
    ].map((field) => [field, z.unknown().optional()]),
  ),
  ponder: ponderFieldsSchema,
});

type ChatRequest = z.infer<typeof chatRequestSchema>;

/** Run option paths (see UnsupportedOptionError) as this endpoint's fields. */
const chatFields = {
  clientTools: "tools",
  toolChoice: "tool_choice",
  parallelToolCalls: "parallel_tool_calls",
  "sampling.temperature": "temperature",
  "sampling.topP": "top_p",
  answerFormat: "response_format",
  clientToolOutputs: "messages",
};

/** The client's tools and settings as a run takes them. */
function clientSettingsOf(body: ChatRequest): RequestSettings {
  refuseUnhonoured(body);
  return requestSettings({
    clientTools: chatClientTools(body.tools),
    toolChoice: clientToolChoice(body.tool_choice),
    parallelToolCalls: body.parallel_tool_calls,
    answerFormat: answerFormatOfResponseFormat(body.response_format),
    sampling: samplingOf(body),
    budget: budgetOf(body.max_completion_tokens ?? body.max_tokens, undefined),
    builtinTools: body.ponder?.builtin_tools,
  });
}

/** `POST /v1/chat/completions`: the conversation becomes a run; its answer is the assistant message. */
async function createChatCompletion(context: RequestContext): Promise<void> {
  const { request, state, caller } = context;
  const body = await readJsonBody(request, chatRequestSchema, conversationBodyBytes);
  const model = modelOfRequest(body.model, state);
  const plan = planTurn(chatMessageItems(body.messages), verbosityInstruction(body.verbosity), "messages");
  const settings = clientSettingsOf(body);
  const samples = body.n ?? 1;
  const created = Math.floor(Date.now() / 1000);
  const runRequest = {
    input: plan.question.text,
    images: plan.question.images,
    model,
    effort: ponderEffort(body.reasoning_effort),
    metadata: body.metadata ?? undefined,
    stream: body.stream === true,
    ...(plan.instructions ? { instructions: plan.instructions } : {}),
    ...settings,
  };
  const strategy = body.ponder?.strategy;
  const plain = settings.budget === undefined && settings.builtinTools === undefined && Object.keys(settings.client).length === 0;
  if (strategy && (!plain || samples > 1))
    throw badRequest(
      "A strategy runs Ponder's own tools with its own settings: send it without tools, sampling settings or n.",
      "ponder.strategy",
    );
  if (samples > 1) {
    if (body.stream === true) throw badRequest("n > 1 is answered as one body: send it without `stream`.", "n", "unsupported_parameter");
    await completeSamples(context, samples, () => launchTurn(state, caller, plan, runRequest), body, created);
    return;
  }
  if (strategy && body.store === false)
    throw badRequest("A strategy's runs are kept for the runs API: leave `store` out, or send no strategy.", "store");
  if (strategy && plan.history.length > 0) throw badRequest("A strategy takes one question: send it without earlier turns.", "messages");
  if (strategy) {
    await completeWhenStored(context, await queueRun(state, caller, { ...runRequest, strategy }), body, created);
    return;
  }
  const { live, history } = await launchTurn(state, caller, plan, runRequest).catch((error: unknown) => {
    throw fieldError(error, chatFields);
  });
  try {
    await completeLive(context, live, body, { created, model });
  } finally {
    if (body.store === false) await forgetRun(state, live, history);
  }
}

/** The completion of a run this server advances: one body when it ends, or its chunks as it goes. */
async function completeLive(
  { response, state }: RequestContext,
  live: LiveRun,
  body: ChatRequest,
  { created, model }: { created: number; model: string },
): Promise<void> {
  if (body.stream !== true) {
    // Nobody reads the answer of a request whose client left: stop spending on it.
    response.on("close", () => {
      if (!response.writableFinished) live.handle.cancel();
    });
    const record = (await followRun(live)) ?? (await state.store.getRun(live.id));
    if (!record) throw new HttpError(500, "The run disappeared from the store.", "server_error");
    if (record.status === "failed") throw contextOverflowError(record, "messages") ?? runFailure(record);
    sendJson(response, 200, completionJson(record, body, created));
    return;
  }
  const events = new EventStream(response);
  events.onClientGone(() => live.handle.cancel());
  const chunk = chunkMaker(live.id, created, model);
  events.send(chunk({ role: "assistant", content: "" }));
  const started = await state.store.getRun(live.id);
  const writer = new ChatDeltaWriter(started !== undefined && toolFree(started.spec), started?.spec.answerFormat !== undefined);
  const record = await followRun(live, (event) => {
    for (const delta of writer.take(event)) events.send(chunk(delta));
  });
  for (const delta of writer.finish()) events.send(chunk(delta));
  const final = record ?? (await state.store.getRun(live.id));
  // The answer came as deltas; only a run waiting for approval still has something to say.
  endStream(events, chunk, final, body, final?.status === "awaiting_approval" ? outcomeText(final) : undefined);
}

type Chunk = (delta: Record<string, unknown>, finishReason?: string | null) => Record<string, unknown>;

function chunkMaker(id: string, created: number, model: string): Chunk {
  return (delta, finishReason = null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: publicModelName(model),
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });
}

/** The end of a streamed completion: `content` (if any), stop and usage, or the run's failure; then [DONE]. */
function endStream(events: EventStream, chunk: Chunk, final: RunRecord | undefined, body: ChatRequest, content: string | undefined): void {
  if (!final || final.status === "failed") {
    const failure = contextOverflowError(final, "messages") ?? runFailure(final);
    events.send({ error: { message: failure.message, type: failure.type, code: failure.details.code ?? null, param: null } });
  } else {
    if (content !== undefined) events.send(chunk({ content }));
    // The client's tool calls end the completion, as OpenAI sends them: one chunk, then finish_reason tool_calls.
    const toolCalls = chatToolCalls(final);
    if (toolCalls) events.send(chunk({ tool_calls: toolCalls.map((call, index) => ({ index, ...call })) }));
    events.send(chunk({}, toolCalls ? "tool_calls" : "stop"));
    if (body.stream_options?.include_usage) events.send({ ...chunk({}), choices: [], usage: usageJson(final) });
  }
  events.send("[DONE]");
  events.end();
}

/**
 * The completion of a run an executor advances (a strategy): the whole answer once the run
 * stops, as one body or, streamed, as one content chunk. A client that leaves cancels the run.
 */
async function completeWhenStored(
  { response, state, caller }: RequestContext,
  record: RunRecord,
  body: ChatRequest,
  created: number,
): Promise<void> {
  let clientGone = false;
  response.on("close", () => {
    if (response.writableFinished) return;
    clientGone = true;
    void cancelRun(state, caller, record.id).catch(
      logged(log.child({ runId: record.id }), "warn", "could not cancel the run of a client that went away"),
    );
  });
  const events = body.stream === true ? new EventStream(response) : undefined;
  const chunk = chunkMaker(record.id, created, record.spec.model);
  events?.send(chunk({ role: "assistant", content: "" }));
  const final = await waitForStoredRun(state, record.id, () => !clientGone);
  if (!final) return;
  if (!events) {
    if (final.status === "failed") throw runFailure(final);
    sendJson(response, 200, completionJson(final, body, created));
    return;
  }
  endStream(events, chunk, final, body, outcomeText(final));
}

function completionJson(record: RunRecord, body: ChatRequest, created: number) {
  return {
    id: record.id,
    object: "chat.completion",
    created,
    model: publicModelName(record.spec.model),
    choices: [choiceOf(record, 0)],
    usage: usageJson(record),
    // Ponder's own field: the run behind the answer, for the runs API.
    ponder: { run_id: record.id, status: record.status, ...(body.metadata ? { metadata: body.metadata } : {}) },
  };
}

/** A run's answer as a choice; a run that ended with client tool calls gives them as `tool_calls`. */
function choiceOf(record: RunRecord, index: number) {
  const toolCalls = chatToolCalls(record);
  return {
    index,
    message: toolCalls
      ? { role: "assistant", content: null, tool_calls: toolCalls, refusal: null }
      : { role: "assistant", content: outcomeText(record), refusal: null },
    finish_reason: toolCalls ? "tool_calls" : "stop",
    logprobs: null,
  };
}

/**
 * n > 1: n runs of the same conversation side by side (Ponder's parallel sampling), one choice
 * each; their usage is added up. A client that leaves cancels them all.
 */
async function completeSamples(
  { response, state }: RequestContext,
  samples: number,
  launch: () => ReturnType<typeof launchTurn>,
  body: ChatRequest,
  created: number,
): Promise<void> {
  const launched = await Promise.all(
    Array.from({ length: samples }, () =>
      launch().catch((error: unknown) => {
        throw fieldError(error, chatFields);
      }),
    ),
  );
  try {
    response.on("close", () => {
      if (!response.writableFinished) for (const { live } of launched) live.handle.cancel();
    });
    const records = await Promise.all(launched.map(async ({ live }) => (await followRun(live)) ?? (await state.store.getRun(live.id))));
    const failed = records.find((record) => !record || record.status === "failed");
    if (failed !== undefined || records.length === 0) throw runFailure(failed);
    const done = records as RunRecord[];
    const [first] = done;
    const usage = done.map(usageJson).reduce((total, each) => ({
      ...total,
      prompt_tokens: total.prompt_tokens + each.prompt_tokens,
      completion_tokens: total.completion_tokens + each.completion_tokens,
      total_tokens: total.total_tokens + each.total_tokens,
    }));
    sendJson(response, 200, {
      ...completionJson(first as RunRecord, body, created),
      choices: done.map((record, index) => choiceOf(record, index)),
      usage,
      ponder: { run_ids: done.map((record) => record.id) },
    });
  } finally {
    if (body.store === false) for (const { live, history } of launched) await forgetRun(state, live, history);
  }
}

function usageJson(record: RunRecord) {
  const usage = record.usage;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

/**
 * A run that failed is the model provider's failure, reported as such (502); one that could not
 * start with this server's configuration (research with nothing to search) is a 400 saying so,
 * as a request naming an unconfigured model is.
 */
function runFailure(record: RunRecord | undefined): HttpError {
  const error = record?.error ?? { code: "internal_error", message: "The run ended without a result." };
  const message = `The run ${record?.id ?? ""} failed: ${error.message}`;
  if (error.code === "config_error" || error.code === "model_not_configured") return badRequest(message, undefined, error.code);
  return new HttpError(502, message, "upstream_error", { code: error.code });
}

export const chatCompletionRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/chat/completions",
    handle: createChatCompletion,
    doc: {
      summary: "The conversation as a run; its answer is the assistant message",
      body: chatRequestSchema,
      responses: {
        200: {
          description: "The completion, or with `stream: true` its chunks as server-sent events",
          json: chatCompletionSchema,
          eventStream: {},
        },
      },
    },
  },
];
