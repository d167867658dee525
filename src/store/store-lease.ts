import { openRunStore, type StoreSettings } from "./open-run-store.js";
import type { RunStore } from "./run-store.js";

/**
 * A store that is either lent by the caller (who closes it) or opened here for this work
 * (closed by `release`). Every exit, error or not, calls `release`; only an opened store closes.
 */
export type StoreLease = { readonly store: RunStore; release(): Promise<void> };

export function leaseStore(lent: RunStore | undefined, settings: StoreSettings): StoreLease {
  if (lent) return { store: lent, release: async () => undefined };
  const store = openRunStore(settings);
  return { store, release: () => store.close() };
}
