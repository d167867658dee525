// `ponder research`: plans, reads and writes a cited report, with a line-by-line progress view
// on stderr (the plan as a tree, each sub-question's state, sources read, notes, time, tokens),
// then prints where the report was saved and the report itself on stdout.
import { readFileSync } from "node:fs";
import type { Budget } from "../../core/budget.js";
import { ConfigError } from "../../core/errors.js";
import type { RunEvent } from "../../core/events.js";
import {
  research,
  reportLengths,
  type Plan,
  type ReportLength,
  type ResearchEvent,
  type ResearchResult,
  type ResearchSources,
} from "../../strategies/research/index.js";
import type { StrategyEvent } from "../../strategies/strategy-events.js";
import { commonOptions, parseCommandLine, runOptions } from "../common-options.js";
import { exitCodes } from "../follow-run.js";
import { modelOrOffer } from "../offer-default-model.js";
import { askYesNo, PromptInterruptedError } from "../terminal-prompt.js";
import { formatDuration, formatTokens, oneLine } from "../format.js";
import { parseDuration, parsePositiveInteger, parsePositiveNumber } from "../parse-duration.js";
import { researchHelp } from "../help/research.js";

export { researchHelp } from "../help/research.js";

export async function researchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("research", args, {
    ...commonOptions,
    ...runOptions,
    length: { type: "string" },
    deadline: { type: "string" },
    "budget-tokens": { type: "string" },
    "budget-cost": { type: "string" },
    sources: { type: "string" },
    breadth: { type: "string" },
    depth: { type: "string" },
    concurrency: { type: "string" },
    "no-charts": { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(`${researchHelp}\n`);
    return 0;
  }
  const question = positionals.join(" ").trim() || (process.stdin.isTTY ? "" : readFileSync(0, "utf8").trim());
  if (!question)
    throw new ConfigError("ponder research needs a question.", 'Example: ponder research "How did herring landings change after 1890?"');
  const length = values.length ?? "page";
  if (!(length in reportLengths)) throw new ConfigError(`--length ${length}: unknown.`, "Use brief, page or report.");
  const sources = values.sources ?? "both";
  if (!["web", "local", "both"].includes(sources)) throw new ConfigError(`--sources ${sources}: unknown.`, "Use web, local or both.");
  values.model = await modelOrOffer({ model: values.model, home: values.home, configPath: values.config });
  const totalBudget: Budget = {
    ...(values.deadline ? { timeoutMs: parseDuration(values.deadline, "--deadline") } : {}),
    ...(values["budget-tokens"] ? { maxTotalTokens: parsePositiveInteger(values["budget-tokens"], "--budget-tokens") } : {}),
    ...(values["budget-cost"] ? { maxCostUsd: parsePositiveNumber(values["budget-cost"], "--budget-cost") } : {}),
  };
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true && values.yes !== true && values.json !== true;
  const view = new ResearchProgress((line) => process.stderr.write(`${line}\n`));
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    if (++interrupts > 1) process.exit(exitCodes.cancelled);
    process.stderr.write("\nStopping the research; the report is written from what is known… (Ctrl-C again to quit now)\n");
    controller.abort();
  };
  process.on("SIGINT", onInterrupt);
  try {
    const result = await research(question, {
      model: values.model,
      length: length as ReportLength,
      sources: sources as ResearchSources,
      breadth: values.breadth === undefined ? undefined : parsePositiveInteger(values.breadth, "--breadth"),
      depth: values.depth === undefined ? undefined : parsePositiveInteger(values.depth, "--depth"),
      concurrency: values.concurrency === undefined ? undefined : parsePositiveInteger(values.concurrency, "--concurrency"),
      charts: values["no-charts"] !== true,
      totalBudget,
      configPath: values.config,
      home: values.home,
      unsafeNoSandbox: values["unsafe-no-sandbox"],
      approver: values.yes ? async () => true : undefined,
      reviewPlan: interactive ? (plan) => confirmPlan(plan, controller) : undefined,
      signal: controller.signal,
      onEvent: (event) => view.handle(event),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      view.finish(result);
      process.stdout.write(`Report: ${result.markdownPath}\nHTML:   ${result.htmlPath}\n\n${result.report}`);
    }
    return result.status === "completed" ? exitCodes.answered : result.status === "cancelled" ? exitCodes.cancelled : exitCodes.failed;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

/** Shows the plan and asks to go on; declining stops the research (its report says nothing was read). */
async function confirmPlan(plan: Plan, controller: AbortController): Promise<Plan> {
  try {
    if (!(await askYesNo(`Research these ${plan.sub_questions.length} sub-questions?`, true))) controller.abort();
  } catch (error) {
    if (!(error instanceof PromptInterruptedError)) throw error;
    // Ctrl-C at the prompt is Ctrl-C for the research: its handler stops it.
    process.emit("SIGINT", "SIGINT");
  }
  return plan;
}

/** A plain line view: one line per change, so it reads the same in a terminal and in a log. */
export class ResearchProgress {
  private readonly startedAt = Date.now();
  private readonly tokensByRun = new Map<string, number>();
  private readonly sourcesRead = new Set<string>();
  /** The writer works in several runs (outline, sections, frame); one line says it started. */
  private writing = false;

  constructor(private readonly write: (line: string) => void) {}

  handle(event: RunEvent | StrategyEvent | ResearchEvent): void {
    switch (event.type) {
      case "usage-updated":
        this.tokensByRun.set(event.runId, event.usage.inputTokens + event.usage.outputTokens);
        return;
      case "item-added":
        if (event.item.type === "source" && !this.sourcesRead.has(event.item.source_id)) {
          this.sourcesRead.add(event.item.source_id);
          this.line(`read [${this.sourcesRead.size}] ${oneLine(event.item.title || event.item.url, 60)} (${event.item.source_id})`);
        }
        return;
      case "research-sources":
        this.line(`searching: ${event.searched.join(", ") || "nothing (only the given tools)"}`);
        return;
      case "research-planned":
        this.line(event.round === 0 ? `plan: ${oneLine(event.restatedQuestion, 80)}` : `follow-ups for round ${event.round + 1}:`);
        event.subQuestions.forEach((question, index) =>
          this.write(`  ${index === event.subQuestions.length - 1 ? "└─" : "├─"} ${oneLine(question, 90)}`),
        );
        return;
      case "sub-question-updated":
        this.line(
          `${event.state.padEnd(8)} #${event.index + 1} ${oneLine(event.question, 60)}${event.notes === undefined ? "" : ` (${event.notes} note${event.notes === 1 ? "" : "s"})`}`,
        );
        return;
      case "readers-stopped":
        this.line(`readers stopped: ${event.reason}`);
        return;
      case "notes-checked":
        this.line(
          `citation check: ${event.checked} claims, ${event.verified} verified, ${event.dropped} dropped; ${event.sources} sources read`,
        );
        return;
      case "child-started":
        if (event.role === "writer" && !this.writing) {
          this.writing = true;
          this.line("writing the report…");
        }
        return;
      default:
        return;
    }
  }

  finish(result: ResearchResult): void {
    if (result.failure) this.line(`not completed: ${result.failure}`);
    this.line(
      `done: ${result.status}; ${formatTokens(result.usage.inputTokens + result.usage.outputTokens)} tokens${result.writerFellBack ? "; no writer answered, the report lists the verified notes" : ""}${result.writer.trimmed > 0 ? `; ${result.writer.trimmed} cut-off text(s) trimmed to the last complete sentence` : ""}`,
    );
  }

  private line(text: string): void {
    const tokens = [...this.tokensByRun.values()].reduce((sum, count) => sum + count, 0);
    this.write(`[${formatDuration(Date.now() - this.startedAt).padStart(6)} · ${formatTokens(tokens)} tok] ${text}`);
  }
}
