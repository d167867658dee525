import { z } from "zod";
import { efforts } from "../../core/effort.js";
import { runStatuses } from "../../core/run.js";
import { issuePath } from "../../core/schema-issues.js";
import { messageContent } from "../conversation-input.js";
import { badRequest } from "../http-error.js";
import { sendJson } from "../http-response.js";
import { modelOfRequest } from "../model-names.js";
import { conversationBodyBytes, readJsonBody } from "../request-body.js";
import { runListSchema, runSchema, runWithItemsSchema } from "../response-body-schemas.js";
import type { RequestContext, Route } from "../router.js";
import { canSee, visibleRun } from "../run-access.js";
import { launchRun, queueRun } from "../run-launcher.js";
import { runJson, stepUsageJson, storedItemJson } from "../run-view.js";
import { strategySchema } from "../strategy-request.js";
import { uploadedFileSchema, withUploadedFiles } from "../uploaded-files.js";
import { checkToolNames } from "./tools.js";
import { conversationTurns } from "../../library/conversation-turns.js";

const positive = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

// Ponder's own API: strict bodies, so a misspelt field is an error rather than silently ignored.
const createRunSchema = z.strictObject({
  input: z.string().trim().min(1).max(500_000),
  model: z.string().min(1).optional(),
  effort: z.enum(efforts).optional(),
  instructions: z.string().min(1).max(100_000).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  budget: z
    .strictObject({
      maxSteps: positive.optional(),
      maxToolCalls: positive.optional(),
      maxInputTokens: positive.optional(),
      maxOutputTokens: positive.optional(),
      maxTotalTokens: positive.optional(),
      maxCostUsd: z.number().positive().max(1e9).optional(),
      timeoutMs: positive.optional(),
    })
    .optional(),
  strategy: strategySchema.optional(),
  /** Images for the model: data URLs (saved into the run's workspace too) or http(s) URLs. */
  images: z.array(z.string()).max(16).optional(),
  /** A follow-up: any turn of the conversation to continue (from its latest turn), which must have finished. */
  continue_from: z.string().min(1).optional(),
  /** Built-in tool names the run may use (default: the server's tool list); `[]` for none. */
  tools: z.array(z.string().min(1)).max(100).optional(),
  /** Files for the tools, copied into the run's workspace under attachments/. */
  files: z.array(uploadedFileSchema).max(20).optional(),
});

const listQuerySchema = z.strictObject({
  status: z.enum(runStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  parent_id: z.string().min(1).optional(),
  top_level: z.enum(["true", "false"]).optional(),
  /** The next page: runs older than this one (the `last_id` of the page before). */
  after: z.string().min(1).optional(),
});

/**
 * `POST /v1/runs`: starts a run in this server (or queues it for workers with REDIS_URL) and
 * answers at once; follow it with `/events`. A strategy (best-of-N, research) is stored as its
 * parent run and advanced like a queued run, here or by the workers.
 */
async function createRun({ request, response, state, caller }: RequestContext): Promise<void> {
  const body = await readJsonBody(request, createRunSchema, conversationBodyBytes);
  const model = modelOfRequest(body.model ?? "ponder", state);
  const { images: imageUrls, continue_from: continueFrom, files = [], ...rest } = body;
  const images = imageUrls
    ? messageContent(
        imageUrls.map((url) => ({ type: "input_image", image_url: url })),
        "images",
      ).images
    : [];
  if (continueFrom !== undefined) {
    // Another tenant's run answers exactly like a missing one.
    await visibleRun(state, caller, continueFrom);
    if (body.strategy) throw badRequest("A strategy starts a conversation of its own; leave out continue_from.", "strategy");
  }
  // A follow-up keeps the conversation's model unless the request names one.
  const runRequest = {
    ...rest,
    images,
    model: body.model === undefined && continueFrom ? undefined : model,
    stream: true,
    ...(continueFrom ? { continueFrom } : {}),
  };
  // Follow-ups advance here: the workers' queue takes first turns.
  const queued = (state.workers && !continueFrom) || body.strategy;
  if (queued && (files.length > 0 || body.tools))
    throw badRequest(
      "Files and a tool choice go with single runs this server advances; leave them out.",
      files.length > 0 ? "files" : "tools",
    );
  if (body.tools) checkToolNames(state, body.tools);
  // A queued run is answered with the record just stored: reading it back is a round trip per submission.
  const record = queued
    ? await queueRun(state, caller, { ...runRequest, model })
    : await visibleRun(
        state,
        caller,
        (await withUploadedFiles(files, (paths) => launchRun(state, caller, { ...runRequest, files: paths }))).id,
      );
  sendJson(response, 201, runJson(record));
}

async function listRuns({ response, state, caller, url }: RequestContext): Promise<void> {
  const parsed = listQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue ? issuePath(issue.path) : "";
    throw badRequest(`Query parameter ${param}: ${issue?.message ?? "invalid"}`, param);
  }
  const { parent_id: parentId, top_level: topLevel, after, ...filter } = parsed.data;
  // Another tenant's run is as unknown here as anywhere.
  if (after !== undefined) {
    const anchor = await state.store.getRun(after);
    if (!anchor || !canSee(caller, anchor)) throw badRequest(`Query parameter after: no run with id ${after}.`, "after");
  }
  const limit = filter.limit ?? 100;
  // One more than asked: whether another page follows, without counting the history.
  const runs = await state.store.listRuns({
    ...filter,
    limit: limit + 1,
    ...(parentId ? { parentId } : {}),
    ...(topLevel === "true" ? { topLevel: true } : {}),
    ...(caller.tenant !== undefined ? { tenant: caller.tenant } : {}),
    ...(after !== undefined ? { after } : {}),
  });
  const page = runs.slice(0, limit);
  sendJson(response, 200, {
    object: "list",
    data: page.map(runJson),
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
    has_more: runs.length > limit,
  });
}

async function getRun({ response, state, caller, params }: RequestContext): Promise<void> {
  const record = await visibleRun(state, caller, params.id as string);
  const [items, turns, steps] = await Promise.all([
    state.store.listItems(record.id),
    conversationTurns(state.store, record.id),
    state.store.listSteps(record.id),
  ]);
  sendJson(response, 200, {
    ...runJson(record),
    live: state.live.get(record.id) !== undefined,
    items: items.map(storedItemJson),
    turns: turns.map(runJson),
    steps: steps.map(stepUsageJson),
  });
}

export const runRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/runs",
    handle: createRun,
    doc: {
      summary: "Starts a run (or a strategy's parent run) and answers at once",
      body: createRunSchema,
      responses: { 201: { description: "The run", json: runSchema } },
    },
  },
  {
    method: "GET",
    path: "/v1/runs",
    handle: listRuns,
    doc: {
      summary: "The caller's runs, newest first",
      query: listQuerySchema,
      responses: { 200: { description: "The runs", json: runListSchema } },
    },
  },
  {
    method: "GET",
    path: "/v1/runs/:id",
    handle: getRun,
    doc: { summary: "A run and its stored items", responses: { 200: { description: "The run with its items", json: runWithItemsSchema } } },
  },
];
