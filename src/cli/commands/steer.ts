import { ConfigError, InvalidRunStateError, RunNotFoundError } from "../../core/errors.js";
import { finishedStatuses } from "../../core/run.js";
import { openQueueEnvironment } from "../../queue/queue-environment.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { steerHelp } from "../help/steer.js";

export { steerHelp } from "../help/steer.js";

export async function steerCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("steer", args, { ...commonOptions, interrupt: { type: "boolean" } });
  if (values.help) {
    process.stdout.write(`${steerHelp}\n`);
    return 0;
  }
  const [runId, ...words] = positionals;
  const message = words.join(" ").trim();
  if (!runId || !message)
    throw new ConfigError(
      "ponder steer needs a run id and a message.",
      'Example: ponder steer run_abc "Skip the literature review; focus on 2024 data."',
    );
  const environment = openQueueEnvironment({ home: values.home, configPath: values.config }, process.env, process.cwd());
  try {
    const record = await environment.store.getRun(runId);
    if (!record) throw new RunNotFoundError(runId);
    if (finishedStatuses.includes(record.status))
      throw new InvalidRunStateError(
        `Run ${runId} is ${record.status}; it reads no more messages.`,
        `See it with \`ponder show ${runId}\`.`,
      );
    if (record.spec.strategy) {
      throw new InvalidRunStateError(
        `Run ${runId} is a ${record.spec.strategy.name} strategy; its child runs are the ones that think.`,
        `Steer one of them: \`ponder runs --json\` lists them with parent_id ${runId}.`,
      );
    }
    await environment.controls.steer(runId, message, { interrupt: values.interrupt === true });
    if (values.json) process.stdout.write(`${JSON.stringify({ id: runId, steered: true, status: record.status })}\n`);
    else process.stderr.write(`Sent to ${runId} (${record.status}); the model reads it at its next step.\n`);
    return 0;
  } finally {
    await environment.close();
  }
}
