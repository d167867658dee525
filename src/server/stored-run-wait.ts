import type { RunRecord } from "../core/run.js";
import { isAdvancingElsewhere } from "./advancing-elsewhere.js";
import { HttpError } from "./http-error.js";
import type { ServerState } from "./server-state.js";

/** Often enough for an answer to feel prompt; each look is one indexed read. */
const pollIntervalMs = 250;

/**
 * Waits until a run that an executor advances (a strategy, a queued run) stops: answered,
 * failed, cancelled, waiting for approval, or left by a process that died. `stillWanted` false
 * (the client left) stops waiting and returns undefined.
 */
export async function waitForStoredRun(state: ServerState, runId: string, stillWanted: () => boolean): Promise<RunRecord | undefined> {
  for (;;) {
    const record = await state.store.getRun(runId);
    if (!record) throw new HttpError(500, "The run disappeared from the store.", "server_error");
    if (!isAdvancingElsewhere(record)) return record;
    if (!stillWanted() || state.closing) return undefined;
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}
