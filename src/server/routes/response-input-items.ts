import { z } from "zod";
import type { Item } from "../../core/items.js";
import type { RunRecord } from "../../core/run.js";
import { historyMarker } from "../conversation-turn.js";
import type { ServerState } from "../server-state.js";
import { issuePath } from "../../core/schema-issues.js";
import { badRequest } from "../http-error.js";
import { sendJson } from "../http-response.js";
import { inputItemListSchema } from "../response-body-schemas.js";
import type { RequestContext, Route } from "../router.js";
import { visibleRun } from "../run-access.js";

// OpenAI's cursor page: `after` is the id of the last item the client has.
const inputItemsQuerySchema = z.strictObject({
  after: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  order: z.enum(["asc", "desc"]).optional(),
});

/**
 * The items a response was given as input: the earlier turns the client sent (recorded as the
 * turn before it), then the messages its run starts with, before anything the run produced.
 */
async function responseInputItems(state: ServerState, record: RunRecord): Promise<Item[]> {
  const own = leadingInput((await state.store.listItems(record.id)).map((stored) => stored.item));
  const previous = record.previousRunId ? await state.store.getRun(record.previousRunId) : undefined;
  if (previous?.spec.metadata?.[historyMarker.key] !== historyMarker.value) return own;
  return [...(await state.store.listItems(previous.id)).map((stored) => stored.item), ...own];
}

/**
 * A run's own input is what it starts with: the outputs of the client's tool calls it continues
 * from, then its question; what the loop adds after them (notices, steering) is not.
 */
function leadingInput(items: Item[]): Item[] {
  const outputs = items.findIndex((item) => item.type !== "function_call_output");
  const end = outputs === -1 ? items.length : outputs;
  const next = items[end];
  return items.slice(0, next?.type === "message" && next.role === "user" ? end + 1 : end);
}

/** `GET /v1/responses/{id}/input_items`: newest first unless `order=asc`, `limit` at a time. */
async function listInputItems({ response, state, caller, params, url }: RequestContext): Promise<void> {
  const parsed = inputItemsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue ? issuePath(issue.path) : "";
    throw badRequest(`Query parameter ${param}: ${issue?.message ?? "invalid"}`, param);
  }
  const { after, limit = 20, order = "desc" } = parsed.data;
  const record = await visibleRun(state, caller, params.id as string);
  const items = (await responseInputItems(state, record)).map((item) => ({ ...item, status: "completed" }));
  const ordered = order === "asc" ? items : items.reverse();
  const start = after === undefined ? 0 : ordered.findIndex((item) => item.id === after) + 1;
  if (start === 0 && after !== undefined) throw badRequest(`No input item with id ${after} in this response.`, "after");
  const page = ordered.slice(start, start + limit);
  sendJson(response, 200, {
    object: "list",
    data: page,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
    has_more: start + limit < ordered.length,
  });
}

export const responseInputItemRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/responses/:id/input_items",
    handle: listInputItems,
    doc: {
      summary: "The items a response was given as input",
      query: inputItemsQuerySchema,
      responses: { 200: { description: "A page of input items", json: inputItemListSchema } },
    },
  },
];
