import { z } from "zod";
import { clientToolNames, type RunRecord } from "../../core/run.js";
import { planTurn, launchTurn } from "../conversation-turn.js";
import { responsesInputItems } from "../input-items.js";
import { referencedItems } from "../item-references.js";
import { EventStream } from "../event-stream.js";
import { badRequest, HttpError } from "../http-error.js";
import { sendJson } from "../http-response.js";
import { modelOfRequest } from "../model-names.js";
import { conversationBodyBytes, readJsonBody } from "../request-body.js";
import { ponderEffort, requestEffortSchema } from "../request-effort.js";
import { responseDeletedSchema, responseEventSchema, responseSchema } from "../response-body-schemas.js";
import { responseObject, runPlace, type ResponseOptions } from "../response-object.js";
import { includeSchema, includesPonderItems, queryIncludes } from "../response-include.js";
import { ResponseEventWriter, type ResponseEvent } from "../response-stream-events.js";
import { recordBackground, streamLiveResponse } from "../response-stream-live.js";
import { endEventType, resumeResponseStream } from "../response-stream-resume.js";
import type { RequestContext, Route } from "../router.js";
import { visibleRun } from "../run-access.js";
import { queueRun } from "../run-launcher.js";
import { followRun } from "../run-outcome.js";
import type { ServerState } from "../server-state.js";
import { waitForStoredRun } from "../stored-run-wait.js";
import { ponderFieldsSchema } from "../strategy-request.js";
import { clientToolChoice, responsesClientTools, responsesToolSchema, toolChoiceSchema } from "../client-tools.js";
import {
  answerFormatOfText,
  budgetOf,
  commonFields,
  fieldError,
  refuseUnhonoured,
  requestSettings,
  type RequestSettings,
  samplingOf,
  textFieldSchema,
  verbosityInstruction,
} from "../request-fields.js";
import { cancelRun } from "./run-actions.js";
import { contextManagementSchema, runContextOf } from "../context-management-fields.js";
import { contextOverflowError } from "../context-overflow.js";
import { responseInputItemRoutes } from "./response-input-items.js";
import { deleteRunTree, forgetRun } from "../run-deletion.js";
import type { LiveRun } from "../live-runs.js";
import { logged, logger } from "../../logging/logger.js";

const log = logger("server");

// Each item is checked by its type (input-items.ts), so an error names the item and its field.
const inputItemSchema = z.looseObject({ type: z.string().optional(), role: z.string().optional() });

// Strict: a field this server does not know is a 400 naming it, never silently dropped (docs/server.md, "Request fields").
const responseRequestSchema = z.strictObject({
  model: z.string(),
  input: z.union([z.string().min(1), z.array(inputItemSchema).min(1)]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  background: z.boolean().nullish(),
  stream_options: z.strictObject({ include_obfuscation: z.boolean().nullish() }).nullish(),
  reasoning: z
    .strictObject({
      effort: requestEffortSchema.nullish(),
      summary: z.enum(["auto", "concise", "detailed"]).nullish(),
      generate_summary: z.enum(["auto", "concise", "detailed"]).nullish(),
    })
    .nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  /** Continues that response's conversation (from its latest turn), with its items, workspace, model and instructions. */
  previous_response_id: z.string().min(1).nullish(),
  /** `auto`: older context may be compacted to fit; `disabled`: sent whole (context-management-fields.ts). */
  truncation: z.enum(["auto", "disabled"]).nullish(),
  context_management: contextManagementSchema,
  /** false: nothing of the response is kept once it has been answered (see forgetRun). */
  store: z.boolean().nullish(),
  /** `ponder.items` adds Ponder's own items to `output` (see response-include.ts). */
  include: includeSchema,
  /** Function tools of the client's: offered to the model, handed back as `function_call` items, never run by Ponder. */
  tools: z.array(responsesToolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  text: textFieldSchema,
  /** The whole response's output tokens (every model turn together). */
  max_output_tokens: z.number().int().min(1).nullish(),
  /** Calls of Ponder's own tools in the whole response. */
  max_tool_calls: z.number().int().min(0).nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  ...commonFields,
  // Refused by name below, so they are known here.
  conversation: z.unknown().optional(),
  prompt: z.unknown().optional(),
  ponder: ponderFieldsSchema,
});

type ResponseRequest = z.infer<typeof responseRequestSchema>;

/** Run option paths (see UnsupportedOptionError) as this endpoint's fields. */
const responseFields = {
  clientTools: "tools",
  toolChoice: "tool_choice",
  parallelToolCalls: "parallel_tool_calls",
  "sampling.temperature": "temperature",
  "sampling.topP": "top_p",
  answerFormat: "text.format",
  clientToolOutputs: "input",
};

/** The client's tools and settings as a run takes them. */
function clientSettingsOf(body: ResponseRequest): RequestSettings {
  refuseUnhonoured(body);
  return requestSettings({
    toolChoice: clientToolChoice(body.tool_choice),
    clientTools: responsesClientTools(body.tools),
    parallelToolCalls: body.parallel_tool_calls,
    answerFormat: answerFormatOfText(body.text),
    sampling: samplingOf(body),
    context: runContextOf(body.truncation, body.context_management),
    budget: budgetOf(body.max_output_tokens, body.max_tool_calls),
    builtinTools: body.ponder?.builtin_tools,
  });
}

/**
 * `POST /v1/responses`. The response id is the run's id. `background: true` answers at once
 * and the run goes on without the client; otherwise a client that leaves cancels the run.
 */
async function createResponse(context: RequestContext): Promise<void> {
  const { request, response, state, caller } = context;
  const body = await readJsonBody(request, responseRequestSchema, conversationBodyBytes);
  const model = modelOfRequest(body.model, state);
  refuseConversationFields(body);
  const entries = typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input;
  const items = responsesInputItems(entries, await referencedItems(state, caller, entries));
  const verbosity = verbosityInstruction(body.text?.verbosity ?? body.verbosity);
  const clientInstructions = [body.instructions ?? "", verbosity ?? ""].filter((text) => text !== "").join("\n\n");
  const plan = planTurn(items, clientInstructions || undefined, "input", { continuing: body.previous_response_id != null });
  const settings = clientSettingsOf(body);
  const background = body.background === true;
  const stream = body.stream === true;
  const strategy = body.ponder?.strategy;
  const keep = body.store !== false;
  const shape: ResponseShape = {
    background,
    stream,
    ponderItems: includesPonderItems(body.include),
    store: keep,
  };
  if (!keep && background)
    throw badRequest(
      "A background response is kept until it is deleted: send `store: true` (or leave `store` out) with `background: true`.",
      "store",
    );
  if (!keep && strategy)
    throw badRequest("A strategy's runs are kept for the runs API: leave `store` out, or delete the response when done.", "store");
  const continueFrom = body.previous_response_id ?? undefined;
  if (continueFrom !== undefined) {
    // Another tenant's response answers exactly like a missing one.
    await visibleRun(state, caller, continueFrom);
    if (strategy)
      throw badRequest(
        "A strategy starts a conversation of its own; send the earlier turns as input instead of previous_response_id.",
        "ponder.strategy",
      );
    // Every turn of a conversation writes into its one workspace, which a forgotten turn would leave behind.
    if (!keep)
      throw badRequest(
        "A turn of a stored conversation is kept with it: leave `store` out, or send the whole conversation as input with `store: false`.",
        "store",
      );
  }
  if (strategy && plan.history.length > 0) throw badRequest("A strategy takes one question: send it without earlier turns.", "input");
  const runRequest = {
    input: plan.question.text,
    images: plan.question.images,
    model,
    effort: ponderEffort(body.reasoning?.effort),
    metadata: body.metadata ?? undefined,
    stream,
    ...(plan.instructions ? { instructions: plan.instructions } : {}),
    ...(strategy ? { strategy } : {}),
    ...(continueFrom ? { continueFrom } : {}),
    ...settings,
  };
  const plain = settings.budget === undefined && settings.builtinTools === undefined && Object.keys(settings.client).length === 0;
  if (strategy && !plain)
    throw badRequest(
      "A strategy runs Ponder's own tools with its own settings: send it without tools or sampling settings.",
      "ponder.strategy",
    );
  // A background response nobody streams goes to the workers when there are some; the others need this server's live events.
  if ((background && !stream && state.workers && !continueFrom && plan.history.length === 0 && plain) || strategy) {
    const record = await queueRun(state, caller, runRequest);
    if (background && !stream) {
      const queued = await visibleRun(state, caller, record.id);
      await recordBackground(state, queued, shape);
      sendJson(response, 200, responseObject(queued, [], shape));
      return;
    }
    await respondWhenStored(context, record, shape);
    return;
  }
  const { live, history } = await launchTurn(state, caller, plan, runRequest).catch((error: unknown) => {
    throw fieldError(error, responseFields);
  });
  try {
    await respondLive(context, live, shape);
  } finally {
    if (!keep) await forgetRun(state, live, history);
  }
}

/**
 * Conversation fields Ponder cannot honour are refused by name rather than ignored: the
 * Conversations API (a conversation here is a chain of responses) and stored prompts.
 */
function refuseConversationFields(body: Record<string, unknown>): void {
  if (body.conversation !== undefined && body.conversation !== null)
    throw badRequest(
      "Conversation objects are not supported by this server: continue a conversation with previous_response_id.",
      "conversation",
      "unsupported_parameter",
    );
  if (body.prompt !== undefined && body.prompt !== null)
    throw badRequest(
      "Stored prompts are not supported by this server: send the instructions and input themselves.",
      "prompt",
      "unsupported_parameter",
    );
}

/** The response of a run this server advances: at once (background), when it ends, or streamed as it goes. */
async function respondLive({ response, state, caller }: RequestContext, live: LiveRun, shape: ResponseShape): Promise<void> {
  const { background, stream } = shape;
  if (background && !stream) {
    const record = await visibleRun(state, caller, live.id);
    await recordBackground(state, record, shape);
    sendJson(response, 200, responseObject(record, [], shape));
    return;
  }
  if (!stream) {
    response.on("close", () => {
      if (!response.writableFinished) live.handle.cancel();
    });
    const final = await followRun(live);
    // A request that can never succeed as sent is the client's to change: a 400, as OpenAI answers it.
    const overflow = contextOverflowError(final, "input");
    if (overflow) throw overflow;
    sendJson(response, 200, await currentResponse(state, live.id, shape));
    return;
  }
  await streamLiveResponse(state, response, live, await visibleRun(state, caller, live.id), shape);
}

/**
 * The response of a run an executor advances (a strategy): the whole answer once the run stops,
 * as one JSON body or, streamed, as the Responses events of its final output.
 */
async function respondWhenStored({ response, state, caller }: RequestContext, record: RunRecord, shape: ResponseShape): Promise<void> {
  const { background, stream } = shape;
  let clientGone = false;
  response.on("close", () => {
    if (response.writableFinished) return;
    clientGone = true;
    if (!background)
      void cancelRun(state, caller, record.id).catch(
        logged(log.child({ runId: record.id }), "warn", "could not cancel the run of a client that went away"),
      );
  });
  if (!stream) {
    await waitForStoredRun(state, record.id, () => !clientGone);
    if (!clientGone) sendJson(response, 200, await currentResponse(state, record.id, shape));
    return;
  }
  const events = new EventStream(response);
  let sequence = 0;
  const emit = (event: ResponseEvent) => events.send({ ...event, sequence_number: sequence++ }, { event: event.type });
  emit({ type: "response.created", response: { ...responseObject(record, [], shape), status: "in_progress" } });
  emit({ type: "response.in_progress", response: { ...responseObject(record, [], shape), status: "in_progress" } });
  if (!(await waitForStoredRun(state, record.id, () => !clientGone))) return;
  const items = (await state.store.listItems(record.id)).map((stored) => stored.item);
  new ResponseEventWriter(emit, runPlace(record), { ...shape, clientTools: clientToolNames(record.spec) }).replay(items);
  const final = await currentResponse(state, record.id, shape);
  emit({ type: endEventType(final.status), response: final });
  events.end();
}

/** How a response is given: what the request asked for, echoed in the response object. */
type ResponseShape = ResponseOptions & { stream?: boolean };

async function currentResponse(state: ServerState, runId: string, shape: ResponseOptions) {
  const record = await state.store.getRun(runId);
  if (!record) throw new HttpError(500, "The run disappeared from the store.", "server_error");
  return responseObject(
    record,
    (await state.store.listItems(runId)).map((stored) => stored.item),
    shape,
  );
}

const retrieveQuerySchema = z.looseObject({
  stream: z.enum(["true", "false"]).optional(),
  starting_after: z.coerce.number().int().min(0).optional(),
});

/**
 * `GET /v1/responses/{id}`: the response as it is now, or with `stream=true` its events after
 * `starting_after` (see response-stream-resume.ts). A background response is one whose stream was
 * recorded.
 */
async function retrieveResponse({ response, state, caller, params, url }: RequestContext): Promise<void> {
  const ponderItems = includesPonderItems(queryIncludes(url));
  const query = retrieveQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    const param = String(query.error.issues[0]?.path[0] ?? "stream");
    throw badRequest(`Query parameter ${param}: ${query.error.issues[0]?.message ?? "invalid"}.`, param);
  }
  const record = await visibleRun(state, caller, params.id as string);
  const shape = { background: await backgroundResponse(state, record.id), ponderItems };
  if (query.data.stream === "true") {
    await resumeResponseStream(state, response, record.id, query.data.starting_after ?? -1, shape);
    return;
  }
  sendJson(response, 200, await currentResponse(state, record.id, shape));
}

async function backgroundResponse(state: ServerState, runId: string): Promise<boolean> {
  return (await state.responseEvents?.recorded(runId)) ?? false;
}

/** `DELETE /v1/responses/{id}`: the run and everything it kept; a response still running is refused (409). */
async function deleteResponse({ response, state, caller, params }: RequestContext): Promise<void> {
  const record = await visibleRun(state, caller, params.id as string);
  await deleteRunTree(state, record);
  sendJson(response, 200, { id: record.id, object: "response", deleted: true });
}

async function cancelResponse(context: RequestContext): Promise<void> {
  const record = await cancelRun(context.state, context.caller, context.params.id as string);
  const background = await backgroundResponse(context.state, record.id);
  sendJson(context.response, 200, await currentResponse(context.state, record.id, { background }));
}

export const responseRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/responses",
    handle: createResponse,
    doc: {
      summary: "A response: a run whose items are the output; `background: true` answers at once",
      body: responseRequestSchema,
      responses: {
        200: {
          description: "The response, or with `stream: true` its events as server-sent events",
          json: responseSchema,
          eventStream: { json: responseEventSchema },
        },
      },
    },
  },
  {
    method: "GET",
    path: "/v1/responses/:id",
    handle: retrieveResponse,
    doc: {
      summary: "A response's current state, or with stream=true its events after starting_after (a background response's as recorded)",
      responses: {
        200: {
          description: "The response, or with `stream=true` its events as server-sent events",
          json: responseSchema,
          eventStream: { json: responseEventSchema },
        },
      },
    },
  },
  {
    method: "DELETE",
    path: "/v1/responses/:id",
    handle: deleteResponse,
    doc: {
      summary: "Deletes a response that is not running, with everything its run kept",
      responses: { 200: { description: "The response is deleted", json: responseDeletedSchema } },
    },
  },
  ...responseInputItemRoutes,
  {
    method: "POST",
    path: "/v1/responses/:id/cancel",
    handle: cancelResponse,
    doc: { summary: "Cancels a response", responses: { 200: { description: "The cancelled response", json: responseSchema } } },
  },
];
