import { rm } from "node:fs/promises";
import { join } from "node:path";
import { finishedStatuses, type RunRecord } from "../core/run.js";
import { conflict } from "./http-error.js";
import { conversationIdOf } from "../library/conversation-turns.js";
import type { LiveRun } from "./live-runs.js";
import type { ServerState } from "./server-state.js";

/**
 * Deletes a finished or stopped run for good: its record, items, usage and control requests, and
 * its folder under PONDER_HOME (workspace, kept artifacts, read sources), with every child run
 * (a strategy's samples, a research run's planner, readers and writer). A run that is still
 * queued or advancing is refused (409): it would go on writing what was just deleted.
 */
export async function deleteRunTree(state: ServerState, record: RunRecord): Promise<void> {
  const runs = await runTree(state, record);
  const busy = runs.find(
    (run) =>
      !finishedStatuses.includes(run.status) &&
      (state.live.get(run.id) !== undefined || run.status === "queued" || run.status === "running"),
  );
  if (busy) throw conflict(`Run ${busy.id} is ${busy.status}; cancel it before deleting it.`);
  // A later turn reads this one's items (and works in the workspace of the conversation's first turn).
  const follower = (await state.store.listRuns({ conversationId: conversationIdOf(record) })).find(
    (run) => run.previousRunId === record.id,
  );
  if (follower)
    throw conflict(
      `Run ${follower.id} continues the conversation from this one; delete the later turns first, newest first.`,
      "conversation_continued",
    );
  // Children first: a failure halfway leaves the parent, which can be deleted again.
  for (const run of runs.reverse()) {
    await state.store.deleteRun(run.id);
    await state.responseEvents?.remove(run.id);
    await rm(join(state.home, "runs", run.id), { recursive: true, force: true });
  }
}

/** The run and its descendants, parents before children. */
async function runTree(state: ServerState, record: RunRecord): Promise<RunRecord[]> {
  const runs = [record];
  for (let index = 0; index < runs.length; index++) {
    runs.push(...(await state.store.listRuns({ parentId: (runs[index] as RunRecord).id })));
  }
  return runs;
}

/**
 * `store: false`: once the response has been answered (or its client left), the run stops and
 * is deleted with everything it wrote, so nothing of it outlives the request.
 */
export async function forgetRun(state: ServerState, live: LiveRun, history?: RunRecord): Promise<void> {
  live.handle.cancel();
  await live.finished;
  const record = await state.store.getRun(live.id);
  if (record) await deleteRunTree(state, record);
  // The earlier turns the client sent, recorded for this response alone.
  if (history) await deleteRunTree(state, history);
}
