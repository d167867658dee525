import type { AdvanceEnvironment, AdvanceOutcome } from "./run-advancer.js";
import { advanceStoredRun } from "./run-advancer.js";
import type { Executor } from "./executor.js";

/**
 * Advances runs in this process (`ponder serve` without Redis, `ponder submit` without Redis).
 * `finished(runId)` lets the owner wait for one run.
 */
export class InlineExecutor implements Executor {
  private readonly active = new Map<string, Promise<AdvanceOutcome>>();
  private closing = false;

  constructor(
    private readonly environment: AdvanceEnvironment,
    private readonly onError: (runId: string, error: unknown) => void = () => undefined,
  ) {}

  async submit(runId: string): Promise<void> {
    if (this.closing) throw new Error("The executor is closed.");
    if (this.active.has(runId)) return;
    const outcome = advanceStoredRun(runId, this.environment, () => this.closing);
    this.active.set(runId, outcome);
    outcome.catch((error: unknown) => this.onError(runId, error)).finally(() => this.active.delete(runId));
  }

  /** Settles when the run stops advancing here (undefined when it is not advancing here). */
  finished(runId: string): Promise<AdvanceOutcome> | undefined {
    return this.active.get(runId);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.active.values()]);
  }
}
