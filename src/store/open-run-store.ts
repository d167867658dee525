import type { RunStore } from "./run-store.js";
import { PostgresRunStore } from "./postgres-run-store.js";
import { SqliteRunStore } from "./sqlite-run-store.js";
import { storeFailure } from "./store-unavailable.js";

/** Where runs live: `store.url` (config) or DATABASE_URL selects PostgreSQL, else the SQLite file. */
export type StoreSettings = {
  databasePath: string;
  store?: { url?: string; schema?: string };
};

/**
 * Opens the configured store. The embedded SQLite file is the default; a PostgreSQL URL makes
 * the runs shared by every server, worker and CLI pointed at it.
 */
export function openRunStore(settings: StoreSettings): RunStore {
  const { url, schema } = settings.store ?? {};
  if (url) return new PostgresRunStore({ url, ...(schema ? { schema } : {}) });
  try {
    return new SqliteRunStore(settings.databasePath);
  } catch (error) {
    // A damaged file, an unwritable home, a full disk: said plainly, with the file and what to do.
    throw storeFailure(error, settings.databasePath) ?? error;
  }
}
