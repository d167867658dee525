// The research's clock and purse. Readers may use 85% of the time and tokens: past 80% of the
// time (or 85% of the tokens or cost) they are told to write their notes, at 85% of the time
// they are cancelled; the writer has the rest, and at the deadline whatever still runs is
// cancelled and the report is assembled from the verified notes.
//
// Children get no deadline of their own: the research enforces time itself, with a stop rule
// and two timers, so every child sees the same clock however late it started.
import { setMaxListeners } from "node:events";
import { deadlineOf, type Budget } from "../../core/budget.js";
import type { StopCondition } from "../../loop/stop-conditions.js";
import { TotalBudgetLedger } from "../total-budget.js";

/** Readers must write their notes after this share of the time. */
const readerAnswerShare = 0.8;
/** The share of the time, tokens and cost readers may use; the rest is the writer's. */
const readerShare = 0.85;
const percent = `${Math.round(readerShare * 100)}%`;

export class ResearchBudget {
  readonly ledger?: TotalBudgetLedger;
  /** Aborted by the user's signal or at the deadline: every child listens to it. */
  readonly everything = new AbortController();
  /** Aborted with `everything`, or when the readers' share of the time is spent. */
  readonly readers = new AbortController();
  private stopped?: string;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly readerAnswerAt?: number;

  constructor(
    private readonly limits: Budget,
    private readonly userSignal?: AbortSignal,
  ) {
    // Every child run listens to these signals: many listeners are expected, not a leak.
    setMaxListeners(0, this.everything.signal);
    setMaxListeners(0, this.readers.signal);
    if (limits.maxTotalTokens !== undefined || limits.maxCostUsd !== undefined)
      this.ledger = new TotalBudgetLedger({ maxTotalTokens: limits.maxTotalTokens, maxCostUsd: limits.maxCostUsd });
    this.everything.signal.addEventListener("abort", () => this.readers.abort(), { once: true });
    if (userSignal?.aborted) this.everything.abort();
    userSignal?.addEventListener("abort", this.onUserAbort, { once: true });
    const startedAt = Date.now();
    const deadline = deadlineOf(limits, startedAt);
    if (deadline === undefined) return;
    const total = deadline - startedAt;
    this.readerAnswerAt = startedAt + total * readerAnswerShare;
    this.at(total * readerShare, () => {
      this.stopped ??= `${percent} of the time was spent`;
      this.readers.abort();
    });
    this.at(total, () => this.everything.abort());
  }

  /** Why the readers stop (budget share or time), once they must. */
  get readersStopped(): string | undefined {
    if (this.stopped) return this.stopped;
    const used = this.ledger?.used;
    if (used && this.limits.maxTotalTokens !== undefined && used.tokens >= this.limits.maxTotalTokens * readerShare)
      this.stopped = `${percent} of the token budget was spent`;
    else if (used && this.limits.maxCostUsd !== undefined && used.costUsd >= this.limits.maxCostUsd * readerShare)
      this.stopped = `${percent} of the cost budget was spent`;
    else if (this.readerAnswerAt !== undefined && Date.now() >= this.readerAnswerAt) this.stopped = `${percent} of the time was spent`;
    return this.stopped;
  }

  /** Before each reader turn: once the readers' share is spent, the reader writes its notes. */
  readonly readersStop: StopCondition = () => {
    const reason = this.readersStopped;
    return reason ? { reason: `research readers stop: ${reason}` } : undefined;
  };

  readersMayGo(): boolean {
    return !this.readers.signal.aborted && this.readersStopped === undefined;
  }

  get cancelledByUser(): boolean {
    return this.userSignal?.aborted === true;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.userSignal?.removeEventListener("abort", this.onUserAbort);
  }

  private readonly onUserAbort = () => this.everything.abort(this.userSignal?.reason);

  private at(delayMs: number, action: () => void): void {
    const timer = setTimeout(action, Math.max(0, Math.floor(delayMs)));
    timer.unref();
    this.timers.push(timer);
  }
}
