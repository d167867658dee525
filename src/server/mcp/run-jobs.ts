// The runs that tool calls of this `ponder mcp` process started and that are still advancing
// here (background or not), and the final tool results of the latest ones, which say more than
// the stored record (a best-of-N's share and confidence, a report's citations).
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { deliverControls } from "../../queue/deliver-controls.js";
import type { RunControls } from "../../queue/run-controls.js";

export type JobKind = "ask" | "best_of_n" | "research";

/** A run, or a strategy's parent run, started by a tool call. */
export type StartedJob = {
  runId: string;
  kind: JobKind;
  /** Stops the run: its model calls, its tools and its child runs. */
  cancel(): void;
  /** Stops a single run because the process ends: it is left `paused` (see RunHandle.suspend). */
  suspend?(): void;
  /** Tells a single run something at its next step; a strategy has no one conversation to steer. */
  steer?(text: string): void;
  /** The tool result once the run has ended; it never rejects. */
  outcome: Promise<CallToolResult>;
};

/** Enough for a client polling its latest background runs; older ones are read from the store. */
const keptResults = 100;

export class RunJobs {
  private readonly live = new Map<string, { job: StartedJob; settled: Promise<void> }>();
  private readonly results = new Map<string, CallToolResult>();

  constructor(private readonly controls: RunControls | undefined) {}

  /** Follows a job until it ends; `ponder cancel` and `ponder steer` from a terminal reach it too. */
  add(job: StartedJob): void {
    // Every job is a run its tool call created a moment ago: nothing can have been asked of it yet.
    const delivering = this.controls
      ? deliverControls(
          job.runId,
          this.controls,
          500,
          { cancel: () => job.cancel(), steer: (text) => job.steer?.(text) },
          { pollNow: false },
        )
      : undefined;
    const settled = job.outcome.then(async (result) => {
      await delivering?.stop();
      this.live.delete(job.runId);
      this.results.set(job.runId, result);
      for (const runId of this.results.keys()) {
        if (this.results.size <= keptResults) break;
        this.results.delete(runId);
      }
    });
    this.live.set(job.runId, { job, settled });
  }

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  /** The tool result of a job that ended here, while it is among the latest. */
  resultOf(runId: string): CallToolResult | undefined {
    return this.results.get(runId);
  }

  /** Cancels a job advancing here and waits until its run has recorded the end; false when none is. */
  async cancel(runId: string): Promise<boolean> {
    const entry = this.live.get(runId);
    if (!entry) return false;
    entry.job.cancel();
    await entry.settled;
    return true;
  }

  /**
   * Stops every job when the process ends. A single run stopped this way did not choose to end,
   * so it is suspended: left `paused` for `ponder resume`, as `ponder serve` leaves its runs, and
   * never seen cancelled. A strategy cannot continue where it stopped, so it is cancelled.
   */
  async stopAll(): Promise<void> {
    const entries = [...this.live.values()];
    for (const { job } of entries) {
      if (job.suspend) job.suspend();
      else job.cancel();
    }
    await Promise.all(entries.map(({ settled }) => settled));
  }
}
