import type { Item } from "../core/items.js";
import type { RequestEntry } from "./input-items.js";
import type { Caller, ServerState } from "./server-state.js";

/** How many of the caller's latest runs an `item_reference` is looked up in. */
const searchedRuns = 50;

/**
 * The stored items that a request's `item_reference` entries name, by id. Clients send them for
 * items of a previous response (the AI SDK does, with `store`), so they are looked up in the
 * caller's latest runs only: never another tenant's, and at a bounded cost.
 */
export async function referencedItems(state: ServerState, caller: Caller, input: RequestEntry[]): Promise<Map<string, Item>> {
  const wanted = new Set(input.flatMap((entry) => (entry.type === "item_reference" && typeof entry.id === "string" ? [entry.id] : [])));
  const found = new Map<string, Item>();
  if (wanted.size === 0) return found;
  const runs = await state.store.listRuns({ limit: searchedRuns, ...(caller.tenant !== undefined ? { tenant: caller.tenant } : {}) });
  for (const run of runs) {
    for (const { item } of await state.store.listItems(run.id)) if (wanted.has(item.id) && !found.has(item.id)) found.set(item.id, item);
    if (found.size === wanted.size) break;
  }
  return found;
}
