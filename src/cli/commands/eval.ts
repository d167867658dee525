import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ConfigError } from "../../core/errors.js";
import { isEffort, efforts } from "../../core/effort.js";
import { resolveSettings } from "../../config/resolve-settings.js";
import { modelOrOffer } from "../offer-default-model.js";
import { writeBuiltinDataset } from "../../evals/builtin/builtin-dataset.js";
import { checkContamination } from "../../evals/contamination.js";
import { loadDataset } from "../../evals/dataset.js";
import { configGrid, type EvalConfig, type EvalEffort } from "../../evals/eval-config.js";
import { evalDirectory, evalsDirectory, listManifests } from "../../evals/eval-files.js";
import { runEval } from "../../evals/eval-runner.js";
import type { EvalSummary } from "../../evals/metrics/summary.js";
import sharp from "sharp";
import { axisLabels, curveSeries, htmlReport, type ComputeAxis } from "../../evals/report/html-report.js";
import { scalingCurveSvg } from "../../evals/report/svg-plots.js";
import { loadReport } from "../../evals/report/load-report.js";
import { evalSummaryJson } from "../../evals/summary-json.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { style } from "../format.js";
import { withStore } from "../open-store.js";
import { parsePositiveInteger } from "../parse-duration.js";
import type { RunStore } from "../../store/run-store.js";
import { evalHelp } from "../help/eval.js";

export { evalHelp } from "../help/eval.js";

export async function evalCommand(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (first === "view") return viewCommand(rest);
  if (first === "list") return listCommand(rest);
  const { values, positionals } = parseCommandLine("eval", args, {
    ...commonOptions,
    model: { type: "string", short: "m" },
    effort: { type: "string" },
    samples: { type: "string" },
    epochs: { type: "string" },
    scorer: { type: "string" },
    rubric: { type: "string" },
    concurrency: { type: "string" },
    "max-infra-retries": { type: "string" },
    "no-tools": { type: "boolean" },
    resume: { type: "boolean" },
    report: { type: "string" },
    "unsafe-no-sandbox": { type: "boolean" },
    "check-contamination": { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(`${evalHelp}\n`);
    return 0;
  }
  const settings = resolveSettings({ home: values.home, configPath: values.config }, process.env, process.cwd());
  const named = positionals[0];
  if (!named) throw new ConfigError("ponder eval: no dataset given.", "Usage: ponder eval <dataset.jsonl|csv>; see `ponder eval --help`.");
  const datasetPath = named === "builtin" ? await writeBuiltinDataset(join(evalsDirectory(settings.home), "builtin-dataset")) : named;
  const models = list(values.model) ?? [
    settings.model ?? ((await modelOrOffer({ home: values.home, configPath: values.config })) as string),
  ];
  const effortList = (list(values.effort) ?? [settings.effort]).map((effort): EvalEffort => {
    if (effort !== "auto" && !isEffort(effort))
      throw new ConfigError(`--effort ${effort}: unknown effort.`, `Use one or more of: ${efforts.join(", ")}, auto.`);
    return effort;
  });
  const sampleCounts = (list(values.samples) ?? ["1"]).map((count) => parsePositiveInteger(count, "--samples"));
  if (values["check-contamination"])
    return contaminationCommand(datasetPath, models, { home: settings.home, configPath: values.config }, values.json === true);
  style.enabled = process.stderr.isTTY === true;
  // One store for the samples and the report: the configured one (SQLite, or PostgreSQL when shared).
  return withStore({ home: values.home, configPath: values.config }, async (store) => {
    return await evalAndReport(store, settings.home, datasetPath, values, configGrid(models, effortList, sampleCounts));
  });
}

type EvalValues = {
  config?: string;
  epochs?: string;
  concurrency?: string;
  "max-infra-retries"?: string;
  scorer?: string;
  rubric?: string;
  "no-tools"?: boolean;
  "unsafe-no-sandbox"?: boolean;
  resume?: boolean;
  report?: string;
  json?: boolean;
};

async function evalAndReport(
  store: RunStore,
  home: string,
  datasetPath: string,
  values: EvalValues,
  configs: EvalConfig[],
): Promise<number> {
  const result = await runEval({
    datasetPath,
    configs,
    home,
    configPath: values.config,
    store,
    epochs: values.epochs ? parsePositiveInteger(values.epochs, "--epochs") : 1,
    concurrency: values.concurrency ? parsePositiveInteger(values.concurrency, "--concurrency") : undefined,
    maxInfraRetries: retriesOf(values["max-infra-retries"]),
    ...(values.scorer ? { scorer: values.scorer } : {}),
    ...(values.rubric ? { rubric: values.rubric } : {}),
    ...(values["no-tools"] ? { tools: [] } : {}),
    ...(values["unsafe-no-sandbox"] ? { unsafeNoSandbox: true } : {}),
    resume: values.resume === true,
    signal: interruptSignal(),
    onSample: (sample, done, total) => {
      const mark =
        sample.outcome.status === "pass"
          ? style.green("✓")
          : sample.outcome.status === "fail"
            ? style.red("✗")
            : style.yellow(`! ${sample.outcome.kind}`);
      process.stderr.write(
        `${style.dim(`[${done}/${total}]`)} ${mark} ${sample.itemId} · ${sample.configId} · epoch ${sample.epoch}${sample.retried ? " · retried" : ""}\n`,
      );
    },
  });
  const report = values.report ? resolve(values.report) : join(evalDirectory(home, result.manifest.id), "report.html");
  await writeFile(report, htmlReport(await loadReport(home, result.manifest.id, store)));
  if (values.json)
    process.stdout.write(
      `${JSON.stringify(evalSummaryJson(result.manifest, result.summary, { report, reused: result.reused }), null, 2)}\n`,
    );
  else
    process.stdout.write(
      `${summaryTable(result.manifest.id, result.summary)}\nreport: ${report}\n${result.manifest.finishedAt ? "" : `Interrupted: continue with the same command and --resume.\n`}`,
    );
  return result.manifest.finishedAt ? 0 : 1;
}

async function contaminationCommand(
  datasetPath: string,
  models: string[],
  environment: { home: string; configPath?: string },
  json: boolean,
): Promise<number> {
  const dataset = await loadDataset(datasetPath);
  const reports = [];
  for (const model of models) reports.push(await checkContamination(dataset, model, environment));
  if (json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else {
    for (const report of reports) {
      const leaked = report.items.filter((item) => item.leaked);
      process.stdout.write(
        `${report.model}: ${leaked.length}/${report.items.length} items continued verbatim${leaked.length > 0 ? ` (${leaked.map((item) => item.id).join(", ")})` : ""}${report.canaryLeaked === undefined ? "" : report.canaryLeaked ? "; the canary was completed: the dataset is in its training data" : "; canary not completed"}\n`,
      );
    }
  }
  return reports.some((report) => report.canaryLeaked || report.items.some((item) => item.leaked)) ? 1 : 0;
}

async function viewCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("eval view", args, {
    ...commonOptions,
    report: { type: "string" },
    svg: { type: "string" },
    png: { type: "string" },
    axis: { type: "string" },
  });
  const evalId = positionals[0];
  if (values.help || !evalId) {
    process.stdout.write(`${evalHelp}\n`);
    return values.help ? 0 : 2;
  }
  const settings = resolveSettings({ home: values.home, configPath: values.config }, process.env, process.cwd());
  return withStore({ home: values.home, configPath: values.config }, async (store) => {
    const input = await loadReport(settings.home, evalId, store);
    const report = values.report ? resolve(values.report) : join(evalDirectory(settings.home, input.manifest.id), "report.html");
    await writeFile(report, htmlReport(input));
    const axis = (values.axis ?? "tokens") as ComputeAxis;
    if (!(axis in axisLabels))
      throw new ConfigError(`--axis ${values.axis}: unknown axis.`, `Use one of: ${Object.keys(axisLabels).join(", ")}.`);
    const curve = scalingCurveSvg(curveSeries(input.summary, axis), axisLabels[axis]);
    if (values.svg) await writeFile(values.svg, curve);
    // sharp renders the same SVG to PNG, for slides and issues that do not take SVG.
    if (values.png) await sharp(Buffer.from(curve), { density: 144 }).flatten({ background: "#ffffff" }).png().toFile(values.png);
    if (values.json) process.stdout.write(`${JSON.stringify(evalSummaryJson(input.manifest, input.summary, { report }), null, 2)}\n`);
    else process.stdout.write(`${summaryTable(input.manifest.id, input.summary)}\nreport: ${report}\n`);
    return 0;
  });
}

async function listCommand(args: string[]): Promise<number> {
  const { values } = parseCommandLine("eval list", args, commonOptions);
  const settings = resolveSettings({ home: values.home, configPath: values.config }, process.env, process.cwd());
  const manifests = await listManifests(settings.home);
  if (values.json)
    process.stdout.write(
      `${JSON.stringify(
        manifests.map((manifest) => ({
          id: manifest.id,
          created_at: manifest.createdAt,
          dataset: manifest.datasetPath,
          configs: manifest.configs.map((config) => config.id),
          epochs: manifest.epochs,
          finished: manifest.finishedAt !== undefined,
        })),
        null,
        2,
      )}\n`,
    );
  else
    for (const manifest of manifests)
      process.stdout.write(
        `${manifest.id}  ${manifest.createdAt.replace("T", " ").slice(0, 19)}  ${manifest.finishedAt ? "finished  " : "unfinished"}  ${manifest.datasetPath}  ${manifest.configs.length} configs × ${manifest.epochs} epochs\n`,
      );
  return 0;
}

function summaryTable(evalId: string, summary: EvalSummary): string {
  const percent = (value: number | undefined) =>
    value === undefined || !Number.isFinite(value) ? "   –  " : `${(value * 100).toFixed(1).padStart(5)}%`;
  const lines = summary.configs.map(
    (config) =>
      `${config.id.padEnd(36)} ${percent(config.accuracy)} [${percent(config.interval.lower)}, ${percent(config.interval.upper)}]  ${String(config.passed).padStart(4)}/${String(config.scored).padEnd(4)} errors ${percent(config.errorRate)}  retried ${config.retried}  ${summary.ks.map((k) => `pass@${k} ${percent(config.passAtK[k])}`).join("  ")}  ${Math.round(config.meanTokens)} tok/sample`,
  );
  const comparisons = summary.comparisons.map(
    (pair) =>
      `${pair.a} − ${pair.b}: ${percent(pair.difference)} (95% CI ${percent(pair.interval.lower)} to ${percent(pair.interval.upper)}, p=${pair.pValue.toFixed(3)})`,
  );
  return [`eval ${evalId}`, ...lines, ...comparisons].join("\n");
}

function retriesOf(value: string | undefined): number {
  if (value === undefined) return 2;
  const retries = Number(value);
  if (!Number.isInteger(retries) || retries < 0)
    throw new ConfigError(
      `--max-infra-retries ${value}: not a whole number of retries.`,
      "For example --max-infra-retries 0 (never retry) or 3.",
    );
  return retries;
}

function list(value: string | undefined): string[] | undefined {
  const parts = value
    ?.split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return parts && parts.length > 0 ? parts : undefined;
}

/** Ctrl-C stops launching samples and lets the ones in flight end; a second Ctrl-C exits at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("Stopping: finished samples are saved; continue with --resume.\n");
    controller.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  return controller.signal;
}
