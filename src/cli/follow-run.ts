import type { RunRecord } from "../core/run.js";
import type { RunHandle } from "../library/run-handle.js";
import { openStore } from "./open-store.js";
import { deliverControls } from "../queue/deliver-controls.js";
import { openRunControls } from "../queue/open-run-controls.js";
import type { RunControls } from "../queue/run-controls.js";
import type { RunStore } from "../store/run-store.js";
import { LiveView } from "./live-view.js";
import { formatUsage, style } from "./format.js";
import { runAsJson } from "./run-json.js";

export const exitCodes = { answered: 0, failed: 1, usage: 2, awaitingApproval: 3, cancelled: 130 } as const;

/**
 * Shows a run live until it stops, then prints the answer (or the run as JSON) on stdout.
 * Ctrl-C cancels the run (its tools stop too); a second Ctrl-C exits at once. `ponder steer`
 * and `ponder cancel` from another terminal reach it through the store's controls.
 */
export async function followRun(
  start: (view: LiveView, store: RunStore) => Promise<RunHandle>,
  options: { json: boolean; home?: string; configPath?: string },
): Promise<number> {
  const view = new LiveView(process.stderr, process.stderr.isTTY === true);
  let handle: RunHandle | undefined;
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts > 1 || !handle) process.exit(exitCodes.cancelled);
    process.stderr.write("\nCancelling… (Ctrl-C again to quit now)\n");
    handle.cancel();
  };
  process.on("SIGINT", onInterrupt);
  const store = openStore(options);
  let controls: RunControls | undefined;
  let delivering: { stop: () => Promise<void> } | undefined;
  try {
    handle = await start(view, store);
    view.setBudget((await store.getRun(handle.id))?.spec.budget);
    controls = openRunControls(store);
    delivering = deliverControls(handle.id, controls, 500, handle);
    const record = await handle.result;
    view.stop();
    if (options.json) process.stdout.write(`${JSON.stringify(await runAsJson(store, record), null, 2)}\n`);
    else printOutcome(record);
    return exitCodeOf(record);
  } finally {
    view.stop();
    process.off("SIGINT", onInterrupt);
    await delivering?.stop();
    await controls?.close();
    await store.close();
  }
}

export function exitCodeOf(record: RunRecord): number {
  if (record.status === "completed") return exitCodes.answered;
  if (record.status === "awaiting_approval") return exitCodes.awaitingApproval;
  if (record.status === "cancelled") return exitCodes.cancelled;
  return exitCodes.failed;
}

function printOutcome(record: RunRecord): void {
  const summary = style.dim(`${record.id} · ${formatUsage(record.usage)}`);
  if (record.status === "completed") {
    if (record.result?.budgetExhausted)
      process.stderr.write(
        style.yellow(`Budget reached (${record.result.budgetExhausted}); this answer is the best from what was found.\n`),
      );
    process.stderr.write(`${summary}\n\n`);
    process.stdout.write(`${record.result?.answer ?? ""}\n`);
  } else if (record.status === "awaiting_approval") {
    process.stderr.write(
      `${summary}\nWaiting for approval. Approve with \`ponder approve ${record.id}\` or deny with \`ponder deny ${record.id}\`.\n`,
    );
  } else if (record.status === "cancelled") {
    process.stderr.write(`${summary}\nCancelled.\n`);
  } else {
    process.stderr.write(
      `${summary}\n${style.red("Failed:")} ${record.error?.message ?? "unknown error"}\nThe run is saved; continue it with \`ponder resume ${record.id}\`.\n`,
    );
  }
}
