import { existsSync, readFileSync, statSync } from "node:fs";
import type { Budget } from "../../core/budget.js";
import { ConfigError, RunNotFoundError } from "../../core/errors.js";
import { isEffort, type Effort } from "../../core/effort.js";
import { startRun } from "../../library/start-run.js";
import { commonOptions, parseCommandLine, runOptions } from "../common-options.js";
import { followRun } from "../follow-run.js";
import { modelOrOffer } from "../offer-default-model.js";
import { budgetFromFlags, budgetOptions, toolsFromFlag } from "../budget-flags.js";
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
import { askHelp } from "../help/ask.js";

export { askHelp } from "../help/ask.js";

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
