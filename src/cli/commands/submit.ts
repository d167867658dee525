import { spawn } from "node:child_process";
import { mkdirSync, openSync, closeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isEffort, type Effort } from "../../core/effort.js";
import { ConfigError } from "../../core/errors.js";
import { ensureRedisReachable } from "../../queue/bullmq-connection.js";
import { BullmqExecutor } from "../../queue/bullmq-executor.js";
import { createQueuedRun } from "../../queue/create-queued-run.js";
import { openQueueEnvironment } from "../../queue/queue-environment.js";
import type { StrategyRequest } from "../../strategies/stored-strategy.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { parsePositiveInteger, parsePositiveNumber } from "../parse-duration.js";
import { modelOrOffer } from "../offer-default-model.js";
import { budgetFromFlags, budgetOptions, toolsFromFlag } from "../budget-flags.js";
import { submitHelp } from "../help/submit.js";

export { submitHelp } from "../help/submit.js";

export async function submitCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("submit", args, {
    ...commonOptions,
    ...budgetOptions,
    model: { type: "string", short: "m" },
    effort: { type: "string" },
    samples: { type: "string" },
    select: { type: "string" },
    "until-confident": { type: "string" },
    "max-samples": { type: "string" },
    research: { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(`${submitHelp}\n`);
    return 0;
  }
  const task = positionals.join(" ").trim();
  if (!task) throw new ConfigError("ponder submit needs a task.", 'Example: ponder submit "Summarise the CSV files in ./data".');
  if (values.effort !== undefined && !isEffort(values.effort))
    throw new ConfigError(`--effort ${values.effort}: unknown level.`, "Use minimal, low, medium or high.");
  values.model = await modelOrOffer({ model: values.model, home: values.home, configPath: values.config });
  const budget = budgetFromFlags(values);
  const environment = openQueueEnvironment(
    { home: values.home, configPath: values.config, model: values.model, tools: toolsFromFlag(values.tools) },
    process.env,
    process.cwd(),
  );
  try {
    const strategy = strategyOf(values);
    if (strategy && (budget.maxSteps !== undefined || budget.maxToolCalls !== undefined))
      throw new ConfigError(
        "--max-steps and --max-tool-calls limit one run; a strategy's budget is its total over every run.",
        "Give the strategy --deadline, --budget-tokens or --budget-cost instead.",
      );
    // Before the run is stored: a run queued where no worker can see it would wait for nothing.
    if (environment.queue) await ensureRedisReachable(environment.queue.redisUrl);
    const record = await createQueuedRun(environment.store, environment.settings, task, {
      ...(values.model ? { model: values.model } : {}),
      ...(values.effort ? { effort: values.effort as Effort } : {}),
      ...(Object.keys(budget).length > 0 ? { budget } : {}),
      ...(strategy ? { strategy } : {}),
    });
    let executor: "queue" | "background";
    if (environment.queue) {
      const queue = new BullmqExecutor(environment.queue);
      try {
        await queue.submit(record.id);
      } finally {
        await queue.close();
      }
      executor = "queue";
    } else {
      startBackgroundProcess(record.id, environment.settings.home, values.config);
      executor = "background";
    }
    if (values.json) process.stdout.write(`${JSON.stringify({ id: record.id, status: record.status, executor })}\n`);
    else {
      process.stdout.write(`${record.id}\n`);
      process.stderr.write(
        `Queued (${executor === "queue" ? "for workers" : "in a background process"}). Follow it with \`ponder watch ${record.id}\`.\n`,
      );
    }
    return 0;
  } finally {
    await environment.close();
  }
}

type StrategyFlags = { samples?: string; select?: string; "until-confident"?: string; "max-samples"?: string; research?: boolean };

function strategyOf(values: StrategyFlags): StrategyRequest | undefined {
  const sampling = values.samples !== undefined || values["until-confident"] !== undefined;
  if (values.research) {
    if (sampling)
      throw new ConfigError("--research and --samples / --until-confident are two different strategies.", "Choose one of them.");
    return { type: "research" };
  }
  if (!sampling) {
    if (values.select !== undefined || values["max-samples"] !== undefined)
      throw new ConfigError(
        "--select and --max-samples need --samples or --until-confident.",
        'Example: ponder submit "..." --samples 8 --select judge.',
      );
    return undefined;
  }
  const select = values.select ?? "vote";
  if (select !== "vote" && select !== "judge" && select !== "synthesize")
    throw new ConfigError(`--select ${select}: unknown here.`, "Use vote, judge or synthesize (verifying and rubrics need `ponder ask`).");
  if (values["until-confident"] !== undefined) {
    const untilConfident = parsePositiveNumber(values["until-confident"], "--until-confident");
    if (untilConfident >= 1)
      throw new ConfigError(`--until-confident ${untilConfident} is not a probability between 0 and 1.`, "For example 0.8 or 0.9.");
    return {
      type: "best_of_n",
      select,
      untilConfident,
      ...(values["max-samples"] !== undefined ? { maxSamples: parsePositiveInteger(values["max-samples"], "--max-samples") } : {}),
    };
  }
  return { type: "best_of_n", select, samples: parsePositiveInteger(values.samples as string, "--samples") };
}

/**
 * Without Redis, the run is advanced by `ponder worker --run <id>` in a process of its own
 * session (detached), so closing the terminal (SIGHUP to its process group) does not stop it.
 */
function startBackgroundProcess(runId: string, home: string, configPath: string | undefined): void {
  const directory = join(home, "runs", runId);
  mkdirSync(directory, { recursive: true });
  const log = openSync(join(directory, "worker.log"), "a");
  try {
    const worker = fileURLToPath(new URL("worker.js", import.meta.url));
    const child = spawn(process.execPath, [worker, "--run", runId, "--home", home, ...(configPath ? ["--config", configPath] : [])], {
      detached: true,
      stdio: ["ignore", log, log],
      env: process.env,
    });
    child.unref();
  } finally {
    closeSync(log);
  }
}
