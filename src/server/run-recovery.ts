import { InlineExecutor } from "../queue/inline-executor.js";
import { recoverRuns } from "../queue/recover-runs.js";
import type { ServerState } from "./server-state.js";
import { logger } from "../logging/logger.js";

const log = logger("server");

/**
 * Hands the runs that should be advancing and are not (queued, or running in a process that
 * died) back to execution when the server starts: to the workers' queue with REDIS_URL, else to
 * an inline executor here, which takes steer and cancel requests through the controls like a
 * worker does. Returns the inline executor, which the server drains at shutdown.
 */
export async function recoverServerRuns(state: ServerState): Promise<InlineExecutor | undefined> {
  if (state.workers) {
    await recoverRuns(state.store, state.workers);
    return undefined;
  }
  // An in-memory store starts empty: there is nothing to recover.
  if (!state.controls) return undefined;
  const onError = (runId: string, error: unknown) => log.error({ err: error, runId }, "a recovered run failed");
  const inline = new InlineExecutor(
    {
      store: state.store,
      controls: state.controls,
      home: state.home,
      env: state.env,
      cwd: state.cwd,
      ...(state.configPath ? { configPath: state.configPath } : {}),
    },
    onError,
  );
  await recoverRuns(state.store, inline);
  return inline;
}
