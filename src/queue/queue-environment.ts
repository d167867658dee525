import { resolveSettings, type Environment, type ResolvedSettings } from "../config/resolve-settings.js";
import { openRunStore } from "../store/open-run-store.js";
import type { RunStore } from "../store/run-store.js";
import { defaultQueueName, type QueueSettings } from "./bullmq-connection.js";
import { openRunControls } from "./open-run-controls.js";
import type { RunControls } from "./run-controls.js";

export type QueueEnvironment = {
  settings: ResolvedSettings;
  store: RunStore;
  controls: RunControls;
  /** Set when REDIS_URL is: runs go to workers through BullMQ. */
  queue?: QueueSettings;
  close: () => Promise<void>;
};

/**
 * The shared store, its controls and the queue, as the environment names them: DATABASE_URL
 * (PostgreSQL, else the SQLite file in the home), REDIS_URL and PONDER_QUEUE.
 */
export function openQueueEnvironment(
  direct: { home?: string; configPath?: string; model?: string; tools?: string[] },
  env: Environment,
  cwd: string,
): QueueEnvironment {
  const settings = resolveSettings(direct, env, cwd);
  const store = openRunStore(settings);
  const controls = openRunControls(store);
  return {
    settings,
    store,
    controls,
    ...(env.REDIS_URL ? { queue: { redisUrl: env.REDIS_URL, queueName: env.PONDER_QUEUE ?? defaultQueueName } } : {}),
    close: async () => {
      await controls.close();
      await store.close();
    },
  };
}
