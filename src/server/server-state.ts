import type { Environment, ResolvedSettings } from "../config/resolve-settings.js";
import type { SettingsCache } from "../config/settings-cache.js";
import type { Executor } from "../queue/executor.js";
import type { InlineExecutor } from "../queue/inline-executor.js";
import type { RunControls } from "../queue/run-controls.js";
import type { RunStore } from "../store/run-store.js";
import type { ApiKeyStore } from "./api-keys.js";
import type { LiveRuns } from "./live-runs.js";
import type { ResponseEventLog } from "./response-event-log.js";

/** What every request handler shares: the store, the keys, the live runs, and how runs are configured. */
export type ServerState = {
  store: RunStore;
  /** Steer and cancel requests for runs other processes advance; undefined for an in-memory store. */
  controls: RunControls | undefined;
  keys: ApiKeyStore;
  /** Set with REDIS_URL: runs created here are queued for `ponder worker` processes instead of advancing here. */
  workers: Executor | undefined;
  /** Without REDIS_URL: advances stored runs here (recovered runs, strategies) like a worker would; undefined for an in-memory store. */
  inline?: InlineExecutor;
  /** The settings the server started with, for runs stored as `queued`. */
  settings: ResolvedSettings;
  /** Settings of the runs started here, re-read from env and config at most once a second. */
  runSettings: SettingsCache;
  live: LiveRuns;
  home: string;
  env: Environment;
  cwd: string;
  configPath?: string;
  /** The model used when a request names `ponder` or `ponder/default`; undefined when none is configured. */
  defaultModel?: string;
  /** Every model id `GET /v1/models` lists (the default first). */
  models: string[];
  /** The recorded streams of background responses, for resuming them; undefined for an in-memory store. */
  responseEvents?: ResponseEventLog;
  /** Set once shutdown starts: new runs are refused. */
  closing: boolean;
};

/** Who is calling: the tenant of their key, or undefined on a server without keys (everything is visible). */
export type Caller = { tenant?: string };
