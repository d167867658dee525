// The ModelClient every run of a strategy shares. It does two things no single run can:
// when any call is rate limited (429), every run's next call waits until the provider's
// Retry-After has passed (one gate per provider), and every turn is admitted against the
// strategy's total budget before it is sent.
import { ModelCallError } from "../core/errors.js";
import { abortErrorOf, sleep } from "../core/abort.js";
import type { ModelClient, ModelRequest, ModelStreamPart, ModelUsage } from "../models/model-client.js";
import type { TotalBudgetLedger, TurnCost } from "./total-budget.js";

/**
 * When the calls to one provider may go again, and how many may be in flight at once. There is
 * no limit until the provider answers 429: then the limit becomes half the calls in flight, and
 * grows back by one after each `limit` calls that succeed (additive increase, multiplicative
 * decrease, as TCP does), so a strategy settles just under what the provider serves. The 429s of
 * calls already on their way when the limit was cut do not cut it again.
 */
export class RateLimitGate {
  private openAt = 0;
  private strikes = 0;
  /** 429s seen, for reports and tests. */
  rateLimited = 0;
  /** Calls allowed in flight at once; Infinity until the first 429. */
  limit = Number.POSITIVE_INFINITY;
  private inFlight = 0;
  private successes = 0;
  private started = 0;
  /** Calls numbered below this were in flight when the limit was last cut. */
  private cutBefore = 0;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly backoff = { initialMs: 1_000, maxMs: 30_000 }) {}

  /** Waits until the gate is open and a call may start; returns the call's ticket for `leave`. */
  async enter(signal: AbortSignal): Promise<number> {
    for (;;) {
      for (let delay = this.openAt - Date.now(); delay > 0; delay = this.openAt - Date.now()) await sleep(delay, signal);
      if (this.inFlight < this.limit) break;
      await this.slotFreed(signal);
    }
    this.inFlight++;
    return this.started++;
  }

  /** A call ended: `ok`, rate limited (with the provider's Retry-After, if any), or failed otherwise. */
  leave(ticket: number, outcome: { ok: true } | { ok: false; rateLimited: boolean; retryAfterMs?: number }): void {
    this.inFlight--;
    if (outcome.ok) {
      this.strikes = 0;
      if (Number.isFinite(this.limit) && ++this.successes >= this.limit) {
        this.limit++;
        this.successes = 0;
      }
    } else if (outcome.rateLimited) {
      this.close(outcome.retryAfterMs);
      if (ticket >= this.cutBefore) {
        this.limit = Math.max(1, Math.floor((this.inFlight + 1) / 2));
        this.successes = 0;
        this.cutBefore = this.started;
      }
    }
    for (const wake of [...this.waiting].slice(0, Math.max(0, this.limit - this.inFlight))) wake();
  }

  /** A call was rate limited: close the gate for Retry-After, or a backoff that grows with each 429 in a row. */
  close(retryAfterMs: number | undefined): void {
    this.rateLimited++;
    this.strikes++;
    const backoff = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (this.strikes - 1));
    this.openAt = Math.max(this.openAt, Date.now() + (retryAfterMs ?? backoff));
  }

  private slotFreed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiting.delete(wake);
        reject(abortErrorOf(signal));
      };
      const wake = () => {
        this.waiting.delete(wake);
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      if (signal.aborted) return onAbort();
      this.waiting.add(wake);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

export type SharedModelClientOptions = {
  gate: RateLimitGate;
  ledger?: TotalBudgetLedger;
  /** The cost in dollars of one turn's usage (from the price table). */
  costOf: (usage: ModelUsage) => number;
};

export class SharedModelClient implements ModelClient {
  readonly id: string;
  readonly provider: string;
  readonly modelName: string;
  readonly capabilities: ModelClient["capabilities"];

  constructor(
    private readonly inner: ModelClient,
    private readonly options: SharedModelClientOptions,
  ) {
    this.id = inner.id;
    this.provider = inner.provider;
    this.modelName = inner.modelName;
    this.capabilities = inner.capabilities;
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    let settle: ((cost: TurnCost | undefined) => void) | undefined;
    let cost: TurnCost | undefined;
    let ticket: number | undefined;
    let outcome: Parameters<RateLimitGate["leave"]>[1] = { ok: false, rateLimited: false };
    try {
      ticket = await this.options.gate.enter(request.signal);
      // A turn with tools will still need a final answer after it; a tool-free turn is the last.
      if (this.options.ledger) settle = await this.options.ledger.admit(request.toolChoice === "none" ? 0 : 1, request.signal);
      for await (const part of this.inner.stream(request)) {
        if (part.type === "finish") {
          // Priced only for a ledger: a price lookup per turn is not free at a thousand runs.
          if (settle) cost = { tokens: part.usage.inputTokens + part.usage.outputTokens, costUsd: this.options.costOf(part.usage) };
          outcome = { ok: true };
        }
        yield part;
      }
    } catch (error) {
      if (error instanceof ModelCallError && error.status === 429 && error.retryable)
        outcome = { ok: false, rateLimited: true, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) };
      throw error;
    } finally {
      if (ticket !== undefined) this.options.gate.leave(ticket, outcome);
      settle?.(cost);
    }
  }
}
