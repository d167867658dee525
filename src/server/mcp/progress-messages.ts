// One short line per thing worth telling an MCP client while a run advances: a step starting,
// a tool being called, a sample finishing, research moving through its stages. Text and usage
// deltas say nothing a progress bar can show, so they get no line; nor does the run's end: the
// tool result says it, and clients drop progress that arrives with the result.
import type { RunEvent } from "../../core/events.js";
import type { ResearchEvent } from "../../strategies/research/index.js";
import type { StrategyEvent } from "../../strategies/strategy-events.js";

export type ProgressEvent = RunEvent | StrategyEvent | ResearchEvent;

export class ProgressMessages {
  /** The step each run is at, to say which step a tool call belongs to. */
  private readonly steps = new Map<string, number>();
  /** A strategy's child runs by id: "sample 2", "reader 1". */
  private readonly labels = new Map<string, string>();

  /** For a strategy every run is a child, whose start and end `child-started` and `child-finished` tell. */
  constructor(private readonly strategy: boolean) {}

  /** The line for an event, or undefined for events not worth one. */
  describe(event: ProgressEvent): string | undefined {
    switch (event.type) {
      case "run-started":
        return this.strategy ? undefined : `run ${event.runId} started (${event.model})`;
      case "step-started":
        this.steps.set(event.runId, event.step);
        return `${this.prefix(event.runId)}step ${event.step}${event.final ? ": final answer" : ""}`;
      case "tool-call-started":
        return `${this.prefix(event.runId)}step ${this.steps.get(event.runId) ?? 1}: ${event.call.name}`;
      case "approval-requested":
        return `${this.prefix(event.runId)}waiting for approval: ${event.call.name}`;
      case "retry-scheduled":
        return `${this.prefix(event.runId)}model call failed (${shorten(event.reason, 80)}); retry ${event.attempt} in ${Math.ceil(event.delayMs / 1000)}s`;
      case "child-started": {
        const label = `${event.role} ${event.index + 1}`;
        this.labels.set(event.childId, label);
        return `${label} started`;
      }
      case "child-finished":
        return `${this.labels.get(event.childId) ?? `${event.role} ${event.index + 1}`} finished: ${event.outcome.replace(/_/g, " ")}`;
      case "distribution-updated": {
        const leader = event.clusters[0];
        if (!leader) return undefined;
        return `leading answer: "${shorten(leader.answer, 60)}" (${leader.count} of ${event.votes})${event.confidence === undefined ? "" : `, confidence ${event.confidence.toFixed(2)}`}`;
      }
      case "winner-selected":
        return `chosen by ${event.method}: "${shorten(event.answer, 60)}"`;
      case "research-planned":
        return event.round === 0
          ? `plan: ${event.subQuestions.length} sub-questions`
          : `round ${event.round + 1}: ${event.subQuestions.length} follow-up questions`;
      case "sub-question-updated":
        return `#${event.index + 1} ${event.state.replace(/_/g, " ")}: ${shorten(event.question, 60)}`;
      case "readers-stopped":
        return `readers stopped: ${event.reason}`;
      case "notes-checked":
        return `citation check: ${event.verified} of ${event.checked} claims verified, ${event.sources} sources read`;
      case "report-saved":
        return `report saved: ${event.markdownPath}`;
      default:
        return undefined;
    }
  }

  private prefix(runId: string): string {
    const label = this.labels.get(runId);
    return label ? `${label}, ` : "";
  }
}

function shorten(text: string, width: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}
