import { ConfigError } from "../../core/errors.js";
import { runStatuses, type RunStatus } from "../../core/run.js";
import type { RunStore } from "../../store/run-store.js";
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
    all: { type: "boolean" },
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
  const limit = values.limit ? parsePositiveInteger(values.limit, "--limit") : 50;
  return withStore({ home: values.home, configPath: values.config }, async (store) => {
    await mustExist(store, "--parent", values.parent);
    await mustExist(store, "--after", values.after);
    // Like the web UI and `GET /v1/runs?top_level=true`: a strategy's children (best-of samples,
    // research readers) are listed by --parent or --all, not among the questions asked.
    const topLevel = !values.all && !values.parent;
    // One more than shown: whether an older page follows, without counting the history.
    const listed = await store.listRuns({
      ...(values.status ? { status: values.status as RunStatus } : {}),
      ...(values.parent ? { parentId: values.parent } : {}),
      ...(topLevel ? { topLevel: true } : {}),
      ...(values.after ? { after: values.after } : {}),
      limit: limit + 1,
    });
    const runs = listed.slice(0, limit).map(runSummaryJson);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return 0;
    }
    if (runs.length === 0) {
      const filtered = values.status || values.parent || values.after;
      process.stdout.write(filtered ? "No runs match.\n" : 'No runs yet. Start one with: ponder ask "<question>"\n');
      return 0;
    }
    style.enabled = process.stdout.isTTY === true;
    for (const run of runs) {
      const status = run.interrupted ? style.yellow("interrupted") : run.status === "failed" ? style.red(run.status) : run.status;
      const when = run.created_at.replace("T", " ").slice(0, 19);
      const strategy = run.strategy ? `${style.dim(`[${run.strategy.name}]`)} ` : "";
      process.stdout.write(
        `${run.id}  ${status.padEnd(17)}  ${style.dim(when)}  ${style.dim(run.model)}  ${strategy}${oneLine(run.input, 60)}\n`,
      );
    }
    const last = runs.at(-1);
    if (listed.length > limit && last) process.stderr.write(`Older runs: add --after ${last.id}\n`);
    return 0;
  });
}

/** A run named by a flag that is not stored would list nothing, silently: say so instead. */
async function mustExist(store: RunStore, flag: string, runId: string | undefined): Promise<void> {
  if (runId !== undefined && !(await store.getRun(runId))) {
    throw new ConfigError(`${flag} ${runId}: no run with that id.`, "List runs with `ponder runs`.");
  }
}
