import type { RunEvent } from "../core/events.js";
import { emptyUsage, type Budget, type Usage } from "../core/budget.js";
import { outputText, type FunctionCallItem, type Item } from "../core/items.js";
import { formatPlan, parsePlan, planProgress, planToolName } from "../tools/plan/index.js";
import { outcomeMark } from "./call-outcome.js";
import { formatCost, formatDuration, formatTokens, oneLine, style } from "./format.js";

const spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * The live terminal view of a run: finished lines (steps, tool calls with their arguments and
 * a short result, reasoning summaries) scroll by, and one status line at the bottom shows a
 * spinner, elapsed time, steps, tokens and cost, each with what its budget leaves. Without a TTY
 * it prints the same lines, plain.
 */
export class LiveView {
  private readonly started = Date.now();
  private usage: Usage = emptyUsage();
  private activity = "starting";
  private partialText = "";
  private pendingText = "";
  private frame = 0;
  private timer?: NodeJS.Timeout;
  private statusShown = false;
  private suspended = false;
  private budget: Budget = {};
  private readonly width: number;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly interactive: boolean,
  ) {
    this.width = Math.max(40, (stream.columns ?? 100) - 2);
    style.enabled = interactive;
    if (interactive) {
      this.timer = setInterval(() => this.drawStatus(), 100);
      this.timer.unref();
    }
  }

  /** The run's limits, once its record is known: the status line then shows what remains of each. */
  setBudget(budget: Budget | undefined): void {
    this.budget = budget ?? {};
  }

  handle(event: RunEvent): void {
    this.suspended = false;
    switch (event.type) {
      case "run-started":
        this.line(style.dim(`${event.resumed ? "resuming" : "run"} ${event.runId} · ${event.model}`));
        break;
      case "step-started":
        this.activity = event.final ? "writing the final answer" : "thinking";
        this.partialText = "";
        this.pendingText = "";
        if (event.final) this.line(style.yellow("● budget reached: final answer without tools"));
        break;
      case "text-delta":
        this.activity = "writing";
        this.partialText += event.delta;
        break;
      case "reasoning-delta":
        this.activity = "reasoning";
        break;
      case "retry-scheduled":
        this.partialText = "";
        this.line(
          style.yellow(`  ↻ retry ${event.attempt} in ${formatDuration(event.delayMs)}: ${oneLine(event.reason, this.width - 30)}`),
        );
        break;
      case "item-added":
        this.item(event.item);
        break;
      case "tool-call-started":
        this.activity = `running ${event.call.name}`;
        break;
      case "tool-call-finished": {
        const text = outputText(event.output.output);
        const mark = outcomeMark(event.output.error_kind, text);
        const time = event.output.duration_ms === undefined ? "" : ` ${formatDuration(event.output.duration_ms)}`;
        this.line(`    ${mark}${style.dim(time)} ${style.dim(oneLine(text, this.width - 20))}`);
        this.activity = "thinking";
        break;
      }
      case "approval-requested":
        this.line(style.yellow(`  ? ${event.call.name} needs approval (call ${event.call.call_id})`));
        break;
      case "usage-updated":
        this.usage = event.usage;
        break;
      case "run-finished":
        this.stop();
        break;
      default:
        break;
    }
    this.drawStatus();
  }

  /** Hides the status line until the next event (while a prompt owns the terminal). */
  suspend(): void {
    this.clearStatus();
    this.suspended = true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clearStatus();
  }

  private item(item: Item): void {
    if (item.type === "reasoning") {
      const text = [...item.summary.map((part) => part.text), ...(item.content ?? []).map((part) => part.text)].join(" ");
      if (text.trim()) this.line(style.dim(`  ∴ ${oneLine(text, this.width - 4)}`));
    } else if (item.type === "function_call") {
      // Text before a tool call is the model thinking aloud; text without one is the answer,
      // which is printed once, at the end.
      if (this.pendingText.trim()) this.line(style.dim(`  “${oneLine(this.pendingText, this.width - 6)}”`));
      this.pendingText = "";
      const plan = item.name === planToolName ? parsePlan(item.arguments) : undefined;
      if (plan) this.line(`  ${style.cyan("☰")} plan, ${planProgress(plan)}\n${formatPlan(plan).replace(/^/gm, "    ")}`);
      else this.line(`  ${style.cyan("▸")} ${this.callSummary(item)}`);
    } else if (item.type === "message" && item.role === "assistant") {
      this.pendingText = item.content.map((part) => ("text" in part ? part.text : "")).join("");
    } else if (item.type === "artifact") {
      this.line(`    ${style.cyan("▣")} ${item.name} ${style.dim(item.path)}`);
    } else if (item.type === "note") {
      this.line(style.yellow(`  ※ ${oneLine(item.text, this.width - 4)}`));
    } else if (item.type === "compaction") {
      this.line(style.dim(`  ⇲ context compacted (${item.tier}): ${item.tokens_before} → ${item.tokens_after} tokens`));
    }
  }

  private callSummary(call: FunctionCallItem): string {
    let args = call.arguments;
    try {
      const parsed = JSON.parse(call.arguments) as Record<string, unknown>;
      args = Object.entries(parsed)
        .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(", ");
    } catch {
      // Malformed arguments are shown as the model wrote them.
    }
    return `${style.bold(call.name)}(${oneLine(args, this.width - call.name.length - 8)})`;
  }

  private line(text: string): void {
    this.clearStatus();
    this.stream.write(`${text}\n`);
    this.drawStatus();
  }

  private drawStatus(): void {
    if (!this.interactive || !this.timer || this.suspended) return;
    const spinner = style.cyan(spinnerFrames[this.frame++ % spinnerFrames.length] as string);
    const tail = this.partialText ? ` ${style.dim(oneLine(this.partialText.slice(-200), 40))}` : "";
    const status = `${spinner} ${this.activity} · ${budgetStatus(this.usage, this.budget, Date.now() - this.started)}`;
    this.stream.write(`\r\x1b[2K${status}${tail}`);
    this.statusShown = true;
  }

  private clearStatus(): void {
    if (this.statusShown) this.stream.write("\r\x1b[2K");
    this.statusShown = false;
  }
}

/** "12s (4m48s left) · step 3/25 · 1.2k/600k tokens · $0.0012/$0.50": each figure with its limit, when there is one. */
export function budgetStatus(usage: Usage, budget: Budget, elapsedMs: number): string {
  const time =
    budget.timeoutMs === undefined
      ? formatDuration(elapsedMs)
      : `${formatDuration(elapsedMs)} (${formatDuration(Math.max(0, budget.timeoutMs - elapsedMs))} left)`;
  const steps = budget.maxSteps === undefined ? `step ${usage.steps}` : `step ${usage.steps}/${budget.maxSteps}`;
  const used = formatTokens(usage.inputTokens + usage.outputTokens);
  const tokens = budget.maxTotalTokens === undefined ? `${used} tokens` : `${used}/${formatTokens(budget.maxTotalTokens)} tokens`;
  const cost = budget.maxCostUsd === undefined ? formatCost(usage) : `${formatCost(usage)}/$${budget.maxCostUsd}`;
  return `${time} · ${steps} · ${tokens} · ${cost}`;
}
