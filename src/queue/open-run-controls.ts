import { ConfigError } from "../core/errors.js";
import { PostgresRunStore } from "../store/postgres-run-store.js";
import type { RunStore } from "../store/run-store.js";
import { SqliteRunStore } from "../store/sqlite-run-store.js";
import { PostgresRunControls } from "./postgres-run-controls.js";
import type { RunControls } from "./run-controls.js";
import { SqliteRunControls } from "./sqlite-run-controls.js";

/** The controls kept in the same database as the store's runs. */
export function openRunControls(store: RunStore): RunControls {
  if (store instanceof PostgresRunStore) return new PostgresRunControls(store.connection);
  if (store instanceof SqliteRunStore && store.path !== ":memory:") return new SqliteRunControls(store.path);
  throw new ConfigError("Steering and cancelling from another process need a file or PostgreSQL store.");
}
