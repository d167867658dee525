import { readFileSync } from "node:fs";
import type { Budget } from "../../core/budget.js";
import { ConfigError } from "../../core/errors.js";
import { isEffort, type Effort } from "../../core/effort.js";
import { startRun } from "../../library/start-run.js";
import { commonOptions, parseCommandLine, runOptions } from "../common-options.js";
import { followRun } from "../follow-run.js";
import { parseDuration, parsePositiveInteger, parsePositiveNumber } from "../parse-duration.js";
import { ttyApprover } from "../tty-approver.js";
import { followStrategy, verifierWorkspaceRoot } from "../follow-strategy.js";
import { resolveSettings } from "../../config/resolve-settings.js";
import { pythonTestsVerifier } from "../../strategies/python-tests-verifier.js";
import type { Selection } from "../../strategies/best-of.js";

export const askHelp = `Usage: ponder ask "<question>" [options]

Asks a question; the model thinks, uses tools (Python in a sandbox) and answers.
The answer goes to stdout; the live view of its steps goes to stderr.

Options:
  -m, --model <provider:model>   openai:gpt-5-mini, anthropic:claude-sonnet-4-5, ollama:qwen3:8b, compat:<name>
  --effort <level>               minimal | low | medium | high (default medium; sets default budgets)
  --deadline <duration>          wall-clock budget, e.g. 30s, 5m; the answer comes before it
  --max-steps <n>                model turns at most
  --max-tool-calls <n>           tool calls at most
  --budget-tokens <n>            input + output tokens at most
  --budget-cost <usd>            cost at most, in US dollars
  --image <file>                 attach an image the model sees (repeatable)
  --file <file>                  attach a file (CSV, JSON, text, PDF) for the tools (repeatable)
  --tools <a,b>                  tools the run may use (default: all built-in)
  -y, --yes                      approve every tool call the policy would ask about
  --unsafe-no-sandbox            run code without bubblewrap (only if you accept the risk)
  --json                         print the whole run as JSON (with --samples: the result and every child run's id)

Test-time scaling (the answer is chosen from many runs of the question; see docs/strategies.md):
  --samples <n>                  run the question n times, each a child run with its own tools and budget
  --select <how>                 vote | judge | synthesize | verify (default vote; verify with --verify)
  --until-confident <p>          sample in rounds until the leading answer is this sure (e.g. 0.9)
  --max-samples <n>              the most samples --until-confident takes (default 64)
  --judge-model <provider:model> the model that judges, checks equivalence and synthesises (default: --model)
  --verify <tests.py>            Python tests run in the sandbox against each answer; passing answers win
  --concurrency <n>              samples running at once (default 8)
  With --samples or --until-confident, --budget-tokens, --budget-cost and --deadline are the
  total over every run; --max-steps and --max-tool-calls hold for each sample.
  --config <file>                config file (default ./ponder.config.json)
  --home <dir>                   Ponder's data directory (default ~/.ponder)

Exit codes: 0 answered, 1 failed, 2 bad usage or configuration, 3 waiting for approval, 130 cancelled.`;

export async function askCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("ask", args, {
    ...commonOptions,
    ...runOptions,
    effort: { type: "string" },
    deadline: { type: "string" },
    "max-steps": { type: "string" },
    "max-tool-calls": { type: "string" },
    "budget-tokens": { type: "string" },
    "budget-cost": { type: "string" },
    image: { type: "string", multiple: true },
    file: { type: "string", multiple: true },
    tools: { type: "string" },
    samples: { type: "string" },
    select: { type: "string" },
    "until-confident": { type: "string" },
    "max-samples": { type: "string" },
    "judge-model": { type: "string" },
    verify: { type: "string" },
    concurrency: { type: "string" },
  });
  if (values.help) {
    process.stdout.write(`${askHelp}\n`);
    return 0;
  }
  const question = positionals.join(" ").trim() || (process.stdin.isTTY ? "" : readFileSync(0, "utf8").trim());
  if (!question) throw new ConfigError("ponder ask needs a question.", 'Example: ponder ask "What is the 100th prime?"');
  if (values.effort !== undefined && !isEffort(values.effort)) {
    throw new ConfigError(`--effort ${values.effort}: unknown level.`, "Use minimal, low, medium or high.");
  }
  const budget: Budget = {
    ...(values.deadline ? { timeoutMs: parseDuration(values.deadline, "--deadline") } : {}),
    ...(values["max-steps"] ? { maxSteps: parsePositiveInteger(values["max-steps"], "--max-steps") } : {}),
    ...(values["max-tool-calls"] ? { maxToolCalls: parsePositiveInteger(values["max-tool-calls"], "--max-tool-calls") } : {}),
    ...(values["budget-tokens"] ? { maxTotalTokens: parsePositiveInteger(values["budget-tokens"], "--budget-tokens") } : {}),
    ...(values["budget-cost"] ? { maxCostUsd: parsePositiveNumber(values["budget-cost"], "--budget-cost") } : {}),
  };
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  if (values.samples !== undefined || values["until-confident"] !== undefined) {
    const select = values.select ?? (values.verify ? "verify" : "vote");
    if (!["vote", "judge", "synthesize", "verify"].includes(select)) throw new ConfigError(`--select ${select}: unknown.`, "Use vote, judge, synthesize or verify.");
    const untilConfident = values["until-confident"] === undefined ? undefined : parsePositiveNumber(values["until-confident"], "--until-confident");
    const { timeoutMs, maxTotalTokens, maxCostUsd, ...perSample } = budget;
    const settings = resolveSettings({ home: values.home, configPath: values.config, unsafeNoSandbox: values["unsafe-no-sandbox"] }, process.env, process.cwd());
    return followStrategy(
      question,
      {
        model: values.model,
        judgeModel: values["judge-model"],
        samples: values.samples === undefined ? undefined : parsePositiveInteger(values.samples, "--samples"),
        select: select as Selection,
        untilConfident,
        maxSamples: values["max-samples"] === undefined ? undefined : parsePositiveInteger(values["max-samples"], "--max-samples"),
        concurrency: values.concurrency === undefined ? undefined : parsePositiveInteger(values.concurrency, "--concurrency"),
        verify: values.verify ? pythonTestsVerifier({ tests: readFileSync(values.verify, "utf8"), workspaceRoot: verifierWorkspaceRoot({ home: values.home, configPath: values.config }), sandbox: settings.sandbox }) : undefined,
        effort: values.effort as Effort | undefined,
        budget: perSample,
        totalBudget: { ...(timeoutMs ? { timeoutMs } : {}), ...(maxTotalTokens ? { maxTotalTokens } : {}), ...(maxCostUsd ? { maxCostUsd } : {}) },
        images: values.image,
        files: values.file,
        tools: values.tools?.split(",").map((name) => name.trim()).filter(Boolean),
        configPath: values.config,
        home: values.home,
        unsafeNoSandbox: values["unsafe-no-sandbox"],
        // Many runs cannot share one terminal prompt: without --yes, calls that need approval wait.
        approver: values.yes ? async () => true : undefined,
      },
      { json: values.json === true },
    );
  }
  return followRun(
    (view) =>
      startRun(question, {
        model: values.model,
        effort: values.effort as Effort | undefined,
        budget,
        images: values.image,
        files: values.file,
        tools: values.tools?.split(",").map((name) => name.trim()).filter(Boolean),
        configPath: values.config,
        home: values.home,
        unsafeNoSandbox: values["unsafe-no-sandbox"],
        approver: values.yes ? async () => true : interactive ? ttyApprover(() => view.suspend()) : undefined,
        onEvent: (event) => view.handle(event),
      }),
    { json: values.json === true, home: values.home, configPath: values.config },
  );
}
