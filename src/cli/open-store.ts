import { resolveSettings } from "../config/resolve-settings.js";
import { openRunStore } from "../store/open-run-store.js";
import type { RunStore } from "../store/run-store.js";

/** The store the CLI reads and writes, from --home / PONDER_HOME / PONDER_DB. */
export function openStore(options: { home?: string; configPath?: string }): RunStore {
  const settings = resolveSettings({ home: options.home, configPath: options.configPath }, process.env, process.cwd());
  return openRunStore(settings);
}

/** Runs `work` with the CLI's store, and closes the store whatever happens. */
export async function withStore<T>(options: { home?: string; configPath?: string }, work: (store: RunStore) => Promise<T>): Promise<T> {
  const store = openStore(options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
