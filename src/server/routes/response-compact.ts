// `POST /v1/responses/compact`, as OpenAI has it: a conversation in, a shorter window out (the
// user's own messages verbatim, then one compaction item) to send as `input` of the next
// response. Unlike OpenAI's opaque blob, Ponder's compaction item is readable: its `text` is the
// summary the run's own summariser wrote (docs/long-runs.md), also given as `encrypted_content`
// so clients typed for OpenAI's item send it back unchanged.
import { z } from "zod";
import type { CompactionItem, Item } from "../../core/items.js";
import { newId } from "../../core/ids.js";
import { modelFromSettings } from "../../config/model-from-settings.js";
import { conversationTurns } from "../../library/conversation-turns.js";
import { truncationCompactionText, summaryCompactionText } from "../../loop/context/compaction-text.js";
import { contextView, isUsersOwnMessage } from "../../loop/context/context-view.js";
import { SummaryError, summariseItems } from "../../loop/context/summarise.js";
import { itemTokenEstimate } from "../../loop/context/token-estimate.js";
import { contextWindowOf, usableInputTokens } from "../../models/context-window.js";
import { badRequest } from "../http-error.js";
import { sendJson } from "../http-response.js";
import { responsesInputItems } from "../input-items.js";
import { referencedItems } from "../item-references.js";
import { modelOfRequest, publicModelName } from "../model-names.js";
import { conversationBodyBytes, readJsonBody } from "../request-body.js";
import type { RequestContext, Route } from "../router.js";
import { visibleRun } from "../run-access.js";

const compactRequestSchema = z.strictObject({
  model: z.string(),
  input: z.union([z.string().min(1), z.array(z.looseObject({ type: z.string().optional(), role: z.string().optional() }))]).nullish(),
  /** The conversation so far (every turn through its latest), before `input`. */
  previous_response_id: z.string().min(1).nullish(),
  /** Guidance for the summariser, added to its own instructions' task. */
  instructions: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
});

const compactedItemSchema = z.looseObject({ type: z.string(), id: z.string() });

export const compactedResponseSchema = z.looseObject({
  id: z.string(),
  object: z.literal("response.compaction"),
  created_at: z.number().int(),
  model: z.string(),
  output: z.array(compactedItemSchema),
  usage: z.looseObject({ input_tokens: z.number().int(), output_tokens: z.number().int(), total_tokens: z.number().int() }),
});

// As the loop's own compaction sizes them (context-manager.ts): a summary of at most a tenth of the window.
const summaryShare = 0.1;
const largestSummaryTokens = 4_000;

async function compactResponse({ request, response, state, caller }: RequestContext): Promise<void> {
  const body = await readJsonBody(request, compactRequestSchema, conversationBodyBytes);
  const modelId = modelOfRequest(body.model, state);
  const earlier: Item[] = [];
  if (body.previous_response_id) {
    // Another tenant's response answers exactly like a missing one (a 404).
    await visibleRun(state, caller, body.previous_response_id);
    for (const turn of await conversationTurns(state.store, body.previous_response_id))
      earlier.push(...(await state.store.listItems(turn.id)).map((stored) => stored.item));
  }
  const entries = typeof body.input === "string" ? [{ role: "user", content: body.input }] : (body.input ?? []);
  const items = [...earlier, ...responsesInputItems(entries, await referencedItems(state, caller, entries))];
  // What the model reads now: an earlier compaction already stands for what it replaced.
  const view = contextView(items).filter((item) => item.type !== "note");
  if (view.length === 0)
    throw badRequest("Nothing to compact: send `input` items, or a `previous_response_id` whose conversation has some.", "input");

  const settings = state.runSettings.resolve({ home: state.home, ...(state.configPath ? { configPath: state.configPath } : {}) });
  const model = await modelFromSettings(modelId, settings);
  const usable = usableInputTokens(contextWindowOf(model, settings.context?.models?.[model.id]));
  const summaryTokens = Math.max(256, Math.min(largestSummaryTokens, Math.floor(usable * summaryShare)));
  const pieceTokens = Math.max(256, Math.floor(usable * 0.6) - 2 * summaryTokens);
  const aborted = new AbortController();
  response.on("close", () => aborted.abort());
  const guidance = body.instructions ? [userNote(`Instructions for this summary: ${body.instructions}`)] : [];
  let compaction: Pick<CompactionItem, "tier" | "text">;
  let usage = { inputTokens: 0, outputTokens: 0 };
  try {
    const summary = await summariseItems({ model, items: [...guidance, ...view], pieceTokens, summaryTokens, signal: aborted.signal });
    usage = summary.usage;
    compaction = { tier: "summary", text: summaryCompactionText(summary.text, view, items) };
  } catch (error) {
    if (!(error instanceof SummaryError)) throw error;
    // As the loop does: the conversation is cut, and the item says so, rather than the request failing.
    compaction = { tier: "truncation", text: truncationCompactionText(error.message, undefined, view, items) };
  }
  const kept = view.filter(isUsersOwnMessage);
  const tokensBefore = view.reduce((total, item) => total + itemTokenEstimate(item), 0);
  const item: CompactionItem = {
    type: "compaction",
    id: newId("cmp"),
    ...compaction,
    tokens_before: tokensBefore,
    tokens_after: 0,
  };
  item.tokens_after = [...kept, item].reduce((total, each) => total + itemTokenEstimate(each), 0);
  sendJson(response, 200, {
    id: newId("resp"),
    object: "response.compaction",
    created_at: Math.floor(Date.now() / 1000),
    model: publicModelName(model.id),
    output: [...kept, { ...item, encrypted_content: item.text }],
    usage: {
      input_tokens: usage.inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: usage.outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: usage.inputTokens + usage.outputTokens,
    },
  });
}

function userNote(text: string): Item {
  return { type: "message", id: newId("msg"), role: "user", content: [{ type: "input_text", text }] };
}

export const responseCompactRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/responses/compact",
    handle: compactResponse,
    doc: {
      summary:
        "Compacts a conversation: the user's own messages, then one readable compaction item (the summary), to send as the next response's input",
      body: compactRequestSchema,
      responses: { 200: { description: "The compacted conversation", json: compactedResponseSchema } },
    },
  },
];
