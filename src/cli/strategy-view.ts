import type { RunEvent } from "../core/events.js";
import type { BestOfResult } from "../strategies/best-of.js";
import type { ChildOutcome, ClusterSummary, StrategyEvent } from "../strategies/strategy-events.js";
import { formatDuration, formatUsage, oneLine, style } from "./format.js";

type Slot = "running" | ChildOutcome;

const slotMarks: Record<Slot, () => string> = {
  running: () => style.cyan("◌"),
  answered: () => style.green("●"),
  no_answer: () => style.yellow("○"),
  infra_failed: () => style.red("✗"),
  budget_refused: () => style.yellow("$"),
  cancelled: () => style.dim("○"),
  awaiting_approval: () => style.yellow("?"),
};

/**
 * The live view of a strategy: one status line with a grid of its samples (◌ running, ● done,
 * ✗ failed, $ refused by the total budget), the judges' progress and the leading answer; at the
 * end, the distribution of answers and the winner. Without a TTY it prints only the end.
 */
export class StrategyView {
  private readonly started = Date.now();
  private readonly slots = new Map<number, Slot>();
  private helpers = { started: 0, finished: 0 };
  private clusters: ClusterSummary[] = [];
  private confidence?: number;
  private timer?: NodeJS.Timeout;
  private readonly width: number;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly interactive: boolean,
  ) {
    this.width = Math.max(40, (stream.columns ?? 100) - 2);
    style.enabled = interactive;
    if (interactive) {
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
  }

  handle(event: RunEvent | StrategyEvent): void {
    if (event.type === "child-started") {
      if (event.role === "sample") this.slots.set(event.index, "running");
      else this.helpers.started++;
    } else if (event.type === "child-finished") {
      if (event.role === "sample") this.slots.set(event.index, event.outcome);
      else this.helpers.finished++;
    } else if (event.type === "distribution-updated") {
      this.clusters = event.clusters;
      this.confidence = event.confidence;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.interactive) this.stream.write("\r\x1b[2K");
  }

  /** The distribution of answers and the winner, after the strategy ended. */
  printOutcome(result: BestOfResult): void {
    this.stop();
    const lines = [
      style.bold(`${result.samples.answered} of ${result.samples.launched} samples answered`) +
        (result.samples.retried ? style.dim(` (${result.samples.retried} retried)`) : ""),
    ];
    for (const cluster of result.clusters.slice(0, 8)) {
      const bar = "█".repeat(Math.max(1, Math.round(cluster.share * 20)));
      lines.push(
        `  ${(cluster.share * 100).toFixed(0).padStart(3)}% ${String(cluster.count).padStart(3)}  ${style.cyan(bar.padEnd(20))} ${oneLine(cluster.answer, this.width - 36)}`,
      );
    }
    if (result.clusters.length > 8) lines.push(style.dim(`  … ${result.clusters.length - 8} more answers`));
    for (const [rank, candidate] of (result.ranking ?? []).entries()) {
      lines.push(
        `  ${style.bold(`#${rank + 1}`)} ${oneLine(candidate.answer, 40)} ${style.dim(`${candidate.wins} won, ${candidate.ties} tied`)}${candidate.reasons[0] ? style.dim(` · ${oneLine(candidate.reasons[0], this.width - 70)}`) : ""}`,
      );
    }
    for (const entry of result.verifications ?? [])
      lines.push(`  ${entry.passed ? style.green("✓") : style.red("✗")} ${oneLine(entry.answer, 40)} ${style.dim(entry.reason ?? "")}`);
    if (result.winner) {
      const { share, interval } = result.winner;
      lines.push(
        `${style.green("winner")} ${oneLine(result.winner.answer, 60)} ${style.dim(`share ${(share * 100).toFixed(0)}% (95% CI ${(interval.lower * 100).toFixed(0)}–${(interval.upper * 100).toFixed(0)}%)`)}`,
      );
    } else if (result.synthesis) lines.push(`${style.green("synthesis")} ${style.dim(result.synthesis.runId)}`);
    if (result.confidence !== undefined)
      lines.push(style.dim(`confidence the leading answer is the most common: ${(result.confidence * 100).toFixed(1)}%`));
    if (result.budgetExhausted) lines.push(style.yellow(`Budget reached (${result.budgetExhausted}); sampling stopped there.`));
    lines.push(style.dim(`${result.runId} · ${formatUsage(result.usage)} · ${formatDuration(Date.now() - this.started)}`));
    this.stream.write(`${lines.join("\n")}\n\n`);
  }

  private draw(): void {
    if (!this.timer) return;
    const slots = [...this.slots.entries()].sort(([a], [b]) => a - b).map(([, slot]) => slot);
    const done = slots.filter((slot) => slot !== "running").length;
    const failed = slots.filter((slot) => slot === "infra_failed").length;
    const counts = ` ${done}/${slots.length} done${failed ? `, ${failed} failed` : ""}`;
    const helpers = this.helpers.started ? ` · judging ${this.helpers.finished}/${this.helpers.started}` : "";
    const leader = this.clusters[0]
      ? ` · leading ${oneLine(this.clusters[0].answer, 20)} ${(this.clusters[0].share * 100).toFixed(0)}%`
      : "";
    const confidence = this.confidence === undefined ? "" : ` (${(this.confidence * 100).toFixed(0)}% sure)`;
    const tail = `${counts}${helpers}${leader}${confidence} · ${formatDuration(Date.now() - this.started)}`;
    const room = Math.max(0, this.width - tail.length);
    const grid = slots.length <= room ? slots.map((slot) => slotMarks[slot]()).join("") : "";
    this.stream.write(`\r\x1b[2K${grid}${tail}`);
  }
}
