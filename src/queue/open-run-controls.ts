import { ConfigError } from "../core/errors.js";
import { PostgresRunStore } from "../store/postgres-run-store.js";
import type { RunStore } from "../store/run-store.js";
import { SqliteRunStore } from "../store/sqlite-run-store.js";
import { PostgresRunControls } from "./postgres-run-controls.js";
import type { RunControls } from "./run-controls.js";
import { SqliteRunControls } from "./sqlite-run-controls.js";

/** The controls kept in the same database as the store's runs. */
export function openRunControls(store: RunStore): RunControls {
  const controls = sharedRunControls(store);
  if (!controls) throw new ConfigError("Steering and cancelling from another process need a file or PostgreSQL store.");
  return controls;
}

/**
 * The store's controls, or undefined for an in-memory store: no other process could see its
 * runs anyway, so there is nobody to take requests from.
 */
export function sharedRunControls(store: RunStore): RunControls | undefined {
  if (store instanceof PostgresRunStore) return new PostgresRunControls(store.connection);
  if (store instanceof SqliteRunStore && store.path !== ":memory:") return new SqliteRunControls(store.path);
  return undefined;
}
