import type { RunRecord } from "../core/run.js";
import { notFound } from "./http-error.js";
import type { Caller, ServerState } from "./server-state.js";

/**
 * A run the caller may see. Another tenant's run answers exactly like a missing one (404), so
 * run ids never reveal that a run exists.
 */
export async function visibleRun(state: ServerState, caller: Caller, runId: string): Promise<RunRecord> {
  const record = await state.store.getRun(runId);
  if (!record || !canSee(caller, record)) throw notFound(`No run with id ${runId}.`, "run_not_found");
  return record;
}

export function canSee(caller: Caller, record: Pick<RunRecord, "tenant">): boolean {
  return caller.tenant === undefined || record.tenant === caller.tenant;
}
