// Context awareness: the model is told how much room is left (context, tokens, cost, tool calls,
// steps, time) when one of them crosses half or four fifths of its limit, so it can plan
// instead of being cut off. One short notice per crossing, appended at the end of the log.

import type { Budget, Usage } from "../../core/budget.js";
import { ponderNoticePrefix } from "./context-view.js";

export type RoomMeasure = { name: string; used: number; limit: number; unit: string };

const levels = [0.5, 0.8];

function levelOf(measure: RoomMeasure): number {
  const share = measure.used / measure.limit;
  return levels.filter((level) => share >= level).length;
}

/** The measures that have a limit. `deadline` is epoch ms; `startedAt` is when the run's work began. */
export function roomMeasures(
  context: { tokens: number; usable: number },
  usage: Usage,
  budget: Budget,
  time: { startedAt: number; deadline?: number; now: number },
): RoomMeasure[] {
  const measures: RoomMeasure[] = [{ name: "context", used: context.tokens, limit: context.usable, unit: "tokens" }];
  const add = (name: string, used: number, limit: number | undefined, unit: string) => {
    if (limit !== undefined && limit > 0) measures.push({ name, used, limit, unit });
  };
  add("total tokens", usage.inputTokens + usage.outputTokens, budget.maxTotalTokens, "tokens");
  add("input tokens", usage.inputTokens, budget.maxInputTokens, "tokens");
  add("output tokens", usage.outputTokens, budget.maxOutputTokens, "tokens");
  add("cost", usage.costUsd, budget.maxCostUsd, "USD");
  add("tool calls", usage.toolCalls, budget.maxToolCalls, "calls");
  add("steps", usage.steps, budget.maxSteps, "steps");
  if (time.deadline !== undefined) add("time", (time.now - time.startedAt) / 60_000, (time.deadline - time.startedAt) / 60_000, "min");
  return measures;
}

export class RoomNotices {
  private readonly announced = new Map<string, number>();

  /** Levels already reached count as announced: a resumed run does not repeat what it was told. */
  constructor(initial: readonly RoomMeasure[]) {
    for (const measure of initial) this.announced.set(measure.name, levelOf(measure));
  }

  /** After a compaction the context is small again; crossing half of it later is news again. */
  contextShrank(measure: RoomMeasure): void {
    this.announced.set(measure.name, levelOf(measure));
  }

  /** The notice to give now, when some measure has crossed a level since the last one. */
  next(measures: readonly RoomMeasure[], compactAt: number): string | undefined {
    let crossed = false;
    for (const measure of measures) {
      const level = levelOf(measure);
      if (level > (this.announced.get(measure.name) ?? 0)) crossed = true;
      this.announced.set(measure.name, Math.max(level, this.announced.get(measure.name) ?? 0));
    }
    if (!crossed) return undefined;
    const parts = measures.map((measure) => {
      const percent = Math.round((measure.used / measure.limit) * 100);
      const amounts = `${format(measure.used)} of ${format(measure.limit)} ${measure.unit}`;
      return measure.name === "context"
        ? `context ${percent}% used (${amounts}; older context is compacted at ${Math.round(compactAt * 100)}%)`
        : `${measure.name} ${percent}% used (${amounts})`;
    });
    return `${ponderNoticePrefix} Room left: ${parts.join("; ")}. Plan the rest of the work to fit.`;
  }
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : String(Math.round(value * 100) / 100);
}
