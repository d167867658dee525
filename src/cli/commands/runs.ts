import { ConfigError } from "../../core/errors.js";
import { runStatuses, type RunStatus } from "../../core/run.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { oneLine, style } from "../format.js";
import { withStore } from "../open-store.js";
import { runSummaryJson } from "../../library/run-summary.js";
import { parsePositiveInteger } from "../parse-duration.js";
import { runsHelp } from "../help/runs.js";

export { runsHelp } from "../help/runs.js";

export async function runsCommand(args: string[]): Promise<number> {
  const { values } = parseCommandLine("runs", args, {
    ...commonOptions,
    status: { type: "string" },
    parent: { type: "string" },
    after: { type: "string" },
    limit: { type: "string" },
  });
  if (values.help) {
    process.stdout.write(`${runsHelp}\n`);
    return 0;
  }
  if (values.status && !(runStatuses as readonly string[]).includes(values.status)) {
    throw new ConfigError(`--status ${values.status}: unknown status.`, `Use one of: ${runStatuses.join(", ")}.`);
  }
  return withStore({ home: values.home, configPath: values.config }, async (store) => {
    const limit = values.limit ? parsePositiveInteger(values.limit, "--limit") : 50;
    const runs = (
      await store.listRuns({
        status: values.status as RunStatus | undefined,
        ...(values.parent ? { parentId: values.parent } : {}),
        ...(values.after ? { after: values.after } : {}),
        limit,
      })
    ).map(runSummaryJson);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return 0;
    }
    if (runs.length === 0) {
      process.stdout.write('No runs yet. Start one with: ponder ask "<question>"\n');
      return 0;
    }
    style.enabled = process.stdout.isTTY === true;
    for (const run of runs) {
      const status = run.interrupted ? style.yellow("interrupted") : run.status === "failed" ? style.red(run.status) : run.status;
      const when = run.created_at.replace("T", " ").slice(0, 19);
      process.stdout.write(`${run.id}  ${status.padEnd(17)}  ${style.dim(when)}  ${style.dim(run.model)}  ${oneLine(run.input, 60)}\n`);
    }
    return 0;
  });
}
