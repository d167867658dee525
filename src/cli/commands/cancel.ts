import { ConfigError, RunNotFoundError } from "../../core/errors.js";
import { finishedStatuses } from "../../core/run.js";
import { isInterrupted } from "../../library/run-liveness.js";
import { openQueueEnvironment } from "../../queue/queue-environment.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { cancelHelp } from "../help/cancel.js";

export { cancelHelp } from "../help/cancel.js";

export async function cancelCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("cancel", args, commonOptions);
  if (values.help) {
    process.stdout.write(`${cancelHelp}\n`);
    return 0;
  }
  const runId = positionals[0];
  if (!runId) throw new ConfigError("ponder cancel needs a run id.", "List runs with `ponder runs`.");
  const environment = openQueueEnvironment({ home: values.home, configPath: values.config }, process.env, process.cwd());
  try {
    const record = await environment.store.getRun(runId);
    if (!record) throw new RunNotFoundError(runId);
    let outcome: "already finished" | "cancelled" | "requested";
    if (finishedStatuses.includes(record.status)) outcome = "already finished";
    else {
      // Always recorded: a worker taking the run at this very moment still sees the request.
      await environment.controls.cancel(runId);
      if (record.status !== "running" || isInterrupted(record)) {
        await environment.store.updateRun(runId, { status: "cancelled", finishedAt: new Date().toISOString() });
        outcome = "cancelled";
      } else outcome = "requested";
    }
    if (values.json) process.stdout.write(`${JSON.stringify({ id: runId, outcome })}\n`);
    else
      process.stderr.write(
        outcome === "requested" ? `Cancel requested; ${runId} stops at once where it runs.\n` : `${runId}: ${outcome}.\n`,
      );
    return 0;
  } finally {
    await environment.close();
  }
}
