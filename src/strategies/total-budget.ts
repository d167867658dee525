// One budget across every run of a strategy (samples, judges, synthesis). Model turns are
// admitted only while the spent amount, the turns in flight and the new turn fit under the
// limit; a turn is assumed to cost as much as the largest turn seen so far (the context only
// grows within a run, so this errs on the safe side between runs, not within one).
import { PonderError } from "../core/errors.js";

export type TotalBudgetLimits = { maxTotalTokens?: number; maxCostUsd?: number };

export type TurnCost = { tokens: number; costUsd: number };

/** A model turn refused because the strategy's total budget could not pay for it. */
export class TotalBudgetExhaustedError extends PonderError {
  constructor(message: string) {
    super("total_budget_exhausted", message, { hint: "Raise the total budget (--budget-tokens, --budget-cost) or take fewer samples." });
  }
}

export class TotalBudgetLedger {
  private spent: TurnCost = { tokens: 0, costUsd: 0 };
  private inFlight: TurnCost = { tokens: 0, costUsd: 0 };
  private largestTurn?: TurnCost;
  private calibrating?: Promise<void>;
  private exhaustedReason?: string;

  constructor(readonly limits: TotalBudgetLimits) {}

  get used(): TurnCost {
    return { ...this.spent };
  }

  /** Set once a turn has been refused or no further turn fits: nothing new should start. */
  get exhausted(): string | undefined {
    return this.exhaustedReason;
  }

  /** Whether `turns` more turns of the largest size seen would still fit. */
  fits(turns: number): boolean {
    const estimate = this.largestTurn ?? { tokens: 0, costUsd: 0 };
    const over = (limit: number | undefined, spent: number, inFlight: number, each: number) =>
      limit !== undefined && spent + inFlight + turns * each > limit;
    return !(
      over(this.limits.maxTotalTokens, this.spent.tokens, this.inFlight.tokens, estimate.tokens) ||
      over(this.limits.maxCostUsd, this.spent.costUsd, this.inFlight.costUsd, estimate.costUsd)
    );
  }

  /**
   * Reserves a turn, or throws TotalBudgetExhaustedError. `turnsAfter` is how many more turns
   * the run will need after this one (a work turn still needs its final answer). Until one turn
   * has been measured, turns go one at a time: nothing is known about their size yet.
   */
  async admit(turnsAfter: number, signal: AbortSignal): Promise<(cost: TurnCost | undefined) => void> {
    if (this.limits.maxTotalTokens === undefined && this.limits.maxCostUsd === undefined) return () => undefined;
    while (!this.largestTurn && this.calibrating) {
      await Promise.race([
        this.calibrating,
        new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true })),
      ]);
      signal.throwIfAborted();
    }
    if (!this.fits(1 + turnsAfter)) {
      this.exhaustedReason ??= this.describe();
      throw new TotalBudgetExhaustedError(`The total budget across samples is spent (${this.describe()}).`);
    }
    const estimate = this.largestTurn ?? { tokens: 0, costUsd: 0 };
    let finishCalibration: (() => void) | undefined;
    if (!this.largestTurn) this.calibrating = new Promise<void>((resolve) => (finishCalibration = resolve));
    this.inFlight = { tokens: this.inFlight.tokens + estimate.tokens, costUsd: this.inFlight.costUsd + estimate.costUsd };
    let settled = false;
    return (cost) => {
      if (settled) return;
      settled = true;
      this.inFlight = { tokens: this.inFlight.tokens - estimate.tokens, costUsd: this.inFlight.costUsd - estimate.costUsd };
      if (cost) this.record(cost);
      if (finishCalibration) {
        this.calibrating = undefined;
        finishCalibration();
      }
      if (!this.fits(2)) this.exhaustedReason ??= this.describe();
    };
  }

  private record(cost: TurnCost): void {
    this.spent = { tokens: this.spent.tokens + cost.tokens, costUsd: this.spent.costUsd + cost.costUsd };
    this.largestTurn = {
      tokens: Math.max(this.largestTurn?.tokens ?? 0, cost.tokens),
      costUsd: Math.max(this.largestTurn?.costUsd ?? 0, cost.costUsd),
    };
  }

  private describe(): string {
    const parts: string[] = [];
    if (this.limits.maxTotalTokens !== undefined) parts.push(`${this.spent.tokens} of ${this.limits.maxTotalTokens} tokens`);
    if (this.limits.maxCostUsd !== undefined) parts.push(`$${this.spent.costUsd.toFixed(4)} of $${this.limits.maxCostUsd}`);
    return parts.join(", ");
  }
}
