import { existsSync, readFileSync, statSync } from "node:fs";
import type { Budget } from "../../core/budget.js";
import { ConfigError, RunNotFoundError } from "../../core/errors.js";
import { isEffort, type Effort } from "../../core/effort.js";
import { startRun } from "../../library/start-run.js";
import { commonOptions, parseCommandLine, runOptions } from "../common-options.js";
import { followRun } from "../follow-run.js";
import { modelOrOffer } from "../offer-default-model.js";
import { budgetFromFlags, budgetHelp, budgetOptions, toolsFromFlag } from "../budget-flags.js";
import { parsePositiveInteger, parsePositiveNumber } from "../parse-duration.js";
import { ttyApprover } from "../tty-approver.js";
import { followStrategy, verifierWorkspaceRoot } from "../follow-strategy.js";
import { resolveSettings } from "../../config/resolve-settings.js";
import { pythonTestsVerifier } from "../../strategies/python-tests-verifier.js";
import type { Selection } from "../../strategies/best-of.js";
import { effortIsAuto, noteDecisionWhenDone, routeForAsk, type AutoRouting } from "../effort-auto.js";
import { followTeam } from "../follow-team.js";
import type { RunStore } from "../../store/run-store.js";
import { withStore } from "../open-store.js";
import { decisionMetadata } from "../../strategies/router/route-request.js";

export const askHelp = `Usage: ponder ask "<question>" [options]
       ponder ask --continue <run-or-conversation-id> "<follow-up>" [options]

Asks a question; the model thinks, uses tools (Python in a sandbox) and answers.
The answer goes to stdout; the live view of its steps goes to stderr.

Options:
  --continue <id>                ask a follow-up: the next turn of the conversation that run (any of its turns,
                                 or the conversation's id) belongs to; it sees the earlier turns and their
                                 workspace (see ponder chat for an interactive conversation)
  -m, --model <provider:model>   openai:gpt-5-mini, anthropic:claude-sonnet-4-5, ollama:qwen3:8b, compat:<name>
  --effort <level>               minimal | low | medium | high (sets default budgets; default medium), or
                                 auto: a first pass classifies the question (trivial / needs tools / hard;
                                 one more model request, its runs the answering run's children) and picks
                                 the effort, and for hard questions 3 samples and a vote; flags you give win
${budgetHelp}
  --image <file>                 attach an image the model sees (repeatable)
  --file <file>                  attach a file (CSV, JSON, text, PDF) for the tools (repeatable)
  -y, --yes                      approve every tool call the policy would ask about
  --unsafe-no-sandbox            run code without bubblewrap (only if you accept the risk)
  --json                         print the whole run as JSON (with --samples: the result and every child run's id)

Test-time scaling (the answer is chosen from many runs of the question; see docs/strategies.md):
  --samples <n>                  run the question n times, each a child run with its own tools and budget
  --select <how>                 vote | judge | synthesize | verify (default vote; verify with --verify)
  --until-confident <p>          sample in rounds until the leading answer is this sure (e.g. 0.9)
  --max-samples <n>              the most samples --until-confident takes (default 64)
  --judge-model <provider:model> the model that judges, checks equivalence and synthesises (default: --model)
  --rubric <file.md or text>     with --select judge (implied): score each answer against the rubric's bullet
                                 lines instead of a pairwise tournament
  --verify <tests.py>            Python tests run in the sandbox against each answer; passing answers win
  --concurrency <n>              samples running at once (default: all; a 429 slows them)
  With --samples or --until-confident, --budget-tokens, --budget-cost and --deadline are the
  total over every run; --max-steps and --max-tool-calls hold for each sample.
  --config <file>                config file (default ./ponder.config.json)
  --home <dir>                   Ponder's data directory (default ~/.ponder)

Team (a solver and a critic as cooperating runs; see docs/router-and-team.md):
  --team                         the critic reviews each answer and its tool evidence; the solver revises
                                 until the critic approves or the budget ends (then the latest answer, marked)
  --critic-model <provider:model> the critic's model (default: --model)
  --planner                      a planner run writes a plan for the solver first
  --max-rounds <n>               solver answers at most (default 3)
  With --team, --budget-tokens, --budget-cost and --deadline are the total over every run.

Exit codes: 0 answered, 1 failed, 2 bad usage or configuration, 3 waiting for approval, 130 cancelled.`;

function parseAskCommandLine(args: string[]) {
  return parseCommandLine("ask", args, {
    ...commonOptions,
    ...runOptions,
    ...budgetOptions,
    effort: { type: "string" },
    image: { type: "string", multiple: true },
    file: { type: "string", multiple: true },
    samples: { type: "string" },
    select: { type: "string" },
    "until-confident": { type: "string" },
    "max-samples": { type: "string" },
    "judge-model": { type: "string" },
    rubric: { type: "string" },
    verify: { type: "string" },
    concurrency: { type: "string" },
    team: { type: "boolean" },
    "critic-model": { type: "string" },
    planner: { type: "boolean" },
    "max-rounds": { type: "string" },
    continue: { type: "string" },
  });
}

export async function askCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseAskCommandLine(args);
  if (values.help) {
    process.stdout.write(`${askHelp}\n`);
    return 0;
  }
  const question = positionals.join(" ").trim() || (process.stdin.isTTY ? "" : readFileSync(0, "utf8").trim());
  if (!question) throw new ConfigError("ponder ask needs a question.", 'Example: ponder ask "What is the 100th prime?"');
  if (values.effort !== undefined && values.effort !== "auto" && !isEffort(values.effort)) {
    throw new ConfigError(`--effort ${values.effort}: unknown level.`, "Use auto, minimal, low, medium or high.");
  }
  const budget = budgetFromFlags(values);
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const tools = toolsFromFlag(values.tools);
  const chosenEffort = values.effort === "auto" ? undefined : (values.effort as Effort | undefined);
  if (values.continue !== undefined && (values.team || values.samples !== undefined || values["until-confident"] !== undefined)) {
    throw new ConfigError(
      "--continue asks one follow-up turn; --team, --samples and --until-confident are strategies of many runs.",
      "Ask the follow-up without them.",
    );
  }
  const samplingFlags = ["select", "judge-model", "rubric", "verify", "max-samples", "concurrency"] as const;
  const strayFlag = samplingFlags.find((flag) => values[flag] !== undefined);
  // Effort auto may sample: its flags say how, should it.
  const sampled =
    values.samples !== undefined || values["until-confident"] !== undefined || (values.effort ?? process.env.PONDER_EFFORT) === "auto";
  if (strayFlag !== undefined && !sampled && !values.team)
    throw new ConfigError(
      `--${strayFlag} chooses among samples, but this question is asked once.`,
      "Add --samples <n> (or --until-confident <p>), or leave it out.",
    );
  // A follow-up keeps its conversation's model unless one is named.
  if (values.continue === undefined)
    values.model = await modelOrOffer({ model: values.model, home: values.home, configPath: values.config });
  if (values.team) {
    if (values.samples !== undefined || values["until-confident"] !== undefined)
      throw new ConfigError("--team and --samples / --until-confident are two different strategies.", "Choose one of them.");
    const { timeoutMs, maxTotalTokens, maxCostUsd, ...perRun } = budget;
    return followTeam(
      question,
      {
        model: values.model,
        criticModel: values["critic-model"],
        planner: values.planner === true,
        maxRounds: values["max-rounds"] === undefined ? undefined : parsePositiveInteger(values["max-rounds"], "--max-rounds"),
        // The team spends its compute on rounds of review; it runs at the effort given, not a routed one.
        effort: chosenEffort,
        budget: perRun,
        totalBudget: {
          ...(timeoutMs ? { timeoutMs } : {}),
          ...(maxTotalTokens ? { maxTotalTokens } : {}),
          ...(maxCostUsd ? { maxCostUsd } : {}),
        },
        images: values.image,
        files: values.file,
        tools,
        configPath: values.config,
        home: values.home,
        unsafeNoSandbox: values["unsafe-no-sandbox"],
        approver: values.yes ? async () => true : undefined,
      },
      { json: values.json === true },
    );
  }
  return withStore({ home: values.home, configPath: values.config }, async (store) => {
    // A follow-up is not routed: out of its conversation's context the question cannot be classified.
    const auto =
      values.continue === undefined &&
      effortIsAuto({
        flag: values.effort,
        home: values.home,
        configPath: values.config,
        env: process.env,
        cwd: process.cwd(),
        samplingChosen: values.samples !== undefined || values["until-confident"] !== undefined,
      })
        ? await routeForAsk(question, {
            model: values.model,
            home: values.home,
            configPath: values.config,
            store,
            attachments: (values.image?.length ?? 0) + (values.file?.length ?? 0),
            explicit: {
              budget,
              samples: values.samples === undefined ? undefined : parsePositiveInteger(values.samples, "--samples"),
              untilConfident:
                values["until-confident"] === undefined ? undefined : parsePositiveNumber(values["until-confident"], "--until-confident"),
              select: values.select as Selection | undefined,
            },
          })
        : undefined;
    return await askWith(question, values, { budget, interactive, tools, effort: auto?.decision.effort ?? chosenEffort, auto, store });
  });
}

type AskValues = Awaited<ReturnType<typeof parseAskCommandLine>>["values"];
type AskPlan = { budget: Budget; interactive: boolean; tools?: string[]; effort?: Effort; auto?: AutoRouting; store: RunStore };

async function askWith(question: string, values: AskValues, { budget, interactive, tools, effort, auto, store }: AskPlan): Promise<number> {
  const sampling = auto?.decision.sampling;
  if (values.samples !== undefined || values["until-confident"] !== undefined || sampling) {
    const select =
      values.select ?? (values.rubric === undefined ? undefined : "judge") ?? sampling?.select ?? (values.verify ? "verify" : "vote");
    if (!["vote", "judge", "synthesize", "verify"].includes(select))
      throw new ConfigError(`--select ${select}: unknown.`, "Use vote, judge, synthesize or verify.");
    const untilConfident =
      values["until-confident"] === undefined
        ? sampling?.untilConfident
        : parsePositiveNumber(values["until-confident"], "--until-confident");
    const { timeoutMs, maxTotalTokens, maxCostUsd, ...perSample } = budget;
    const settings = resolveSettings(
      { home: values.home, configPath: values.config, unsafeNoSandbox: values["unsafe-no-sandbox"] },
      process.env,
      process.cwd(),
    );
    return followStrategy(
      question,
      {
        model: auto?.model ?? values.model,
        judgeModel: values["judge-model"],
        rubric: values.rubric === undefined ? undefined : rubricText(values.rubric),
        samples: values.samples === undefined ? sampling?.samples : parsePositiveInteger(values.samples, "--samples"),
        select: select as Selection,
        untilConfident,
        maxSamples: values["max-samples"] === undefined ? undefined : parsePositiveInteger(values["max-samples"], "--max-samples"),
        concurrency: values.concurrency === undefined ? undefined : parsePositiveInteger(values.concurrency, "--concurrency"),
        verify: values.verify
          ? pythonTestsVerifier({
              tests: readFileSync(values.verify, "utf8"),
              workspaceRoot: verifierWorkspaceRoot({ home: values.home, configPath: values.config }),
              sandbox: settings.sandbox,
            })
          : undefined,
        effort,
        ...(auto ? { id: auto.servedRunId } : {}),
        budget: perSample,
        totalBudget: {
          ...(timeoutMs ? { timeoutMs } : {}),
          ...(maxTotalTokens ? { maxTotalTokens } : {}),
          ...(maxCostUsd ? { maxCostUsd } : {}),
        },
        images: values.image,
        files: values.file,
        tools,
        store,
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
    async (view) => {
      const handle = await startRun(question, {
        continueFrom: values.continue,
        model: auto?.model ?? values.model,
        effort,
        budget,
        images: values.image,
        files: values.file,
        tools,
        store,
        ...(auto ? { id: auto.servedRunId, metadata: decisionMetadata(auto.decision) } : {}),
        configPath: values.config,
        home: values.home,
        unsafeNoSandbox: values["unsafe-no-sandbox"],
        approver: values.yes ? async () => true : interactive ? ttyApprover(() => view.suspend()) : undefined,
        onEvent: (event) => view.handle(event),
      }).catch(unknownConversation(values.continue));
      return auto ? noteDecisionWhenDone(handle, store, auto.decision) : handle;
    },
    { json: values.json === true, home: values.home, configPath: values.config },
  );
}

/** With --continue, an unknown id is a mistake in the command line: it exits 2, as a bad flag does. */
export function unknownConversation(continueFrom: string | undefined) {
  return (error: unknown): never => {
    if (continueFrom !== undefined && error instanceof RunNotFoundError)
      throw new ConfigError(`--continue ${continueFrom}: there is no run or conversation with that id.`, "List runs with `ponder runs`.");
    throw error;
  };
}

/** --rubric names a file when one exists at that path; otherwise it is the rubric itself. */
function rubricText(value: string): string {
  return existsSync(value) && statSync(value).isFile() ? readFileSync(value, "utf8") : value;
}
