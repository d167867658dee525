import type { Item } from "../core/items.js";
import { hostedInputTypes } from "./hosted-input-items.js";
import type { RequestEntry } from "./input-items.js";
import type { Caller, ServerState } from "./server-state.js";

/** How many of the caller's latest runs an `item_reference` is looked up in. */
const searchedRuns = 50;

/**
 * The stored items that a request's `item_reference` entries name, by id, and the stored calls
 * behind hosted-tool items sent back (a Ponder call is listed under its function_call's id). A
 * call stands for itself and its output. Clients send them for items of a previous response (the
 * AI SDK does, with `store`), so they are looked up in the caller's latest runs only: never
 * another tenant's, and at a bounded cost.
 */
export async function referencedItems(state: ServerState, caller: Caller, input: RequestEntry[]): Promise<Map<string, Item[]>> {
  const wanted = new Set(
    input.flatMap((entry) =>
      (entry.type === "item_reference" || hostedInputTypes.has(String(entry.type))) && typeof entry.id === "string" ? [entry.id] : [],
    ),
  );
  const found = new Map<string, Item[]>();
  if (wanted.size === 0) return found;
  const runs = await state.store.listRuns({ limit: searchedRuns, ...(caller.tenant !== undefined ? { tenant: caller.tenant } : {}) });
  for (const run of runs) {
    const items = (await state.store.listItems(run.id)).map((stored) => stored.item);
    for (const item of items) {
      if (!wanted.has(item.id) || found.has(item.id)) continue;
      const output =
        item.type === "function_call"
          ? items.find((other) => other.type === "function_call_output" && other.call_id === item.call_id)
          : undefined;
      found.set(item.id, output ? [item, output] : [item]);
    }
    if (found.size === wanted.size) break;
  }
  return found;
}
