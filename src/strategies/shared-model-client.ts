// The ModelClient every run of a strategy shares. It does two things no single run can:
// when any call is rate limited (429), every run's next call waits until the provider's
// Retry-After has passed (one gate per provider), and every turn is admitted against the
// strategy's total budget before it is sent.
import { ModelCallError } from "../core/errors.js";
import { sleep } from "../core/abort.js";
import type { ModelClient, ModelRequest, ModelStreamPart, ModelUsage } from "../models/model-client.js";
import type { TotalBudgetLedger, TurnCost } from "./total-budget.js";

/** When the calls to one provider may go again. */
export class RateLimitGate {
  private openAt = 0;
  private strikes = 0;
  /** 429s seen, for reports and tests. */
  rateLimited = 0;

  constructor(private readonly backoff = { initialMs: 1_000, maxMs: 30_000 }) {}

  async wait(signal: AbortSignal): Promise<void> {
    for (let delay = this.openAt - Date.now(); delay > 0; delay = this.openAt - Date.now()) await sleep(delay, signal);
  }

  /** A call was rate limited: close the gate for Retry-After, or a backoff that grows with each 429 in a row. */
  close(retryAfterMs: number | undefined): void {
    this.rateLimited++;
    this.strikes++;
    const backoff = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (this.strikes - 1));
    this.openAt = Math.max(this.openAt, Date.now() + (retryAfterMs ?? backoff));
  }

  /** A call succeeded: the storm is over. */
  clear(): void {
    this.strikes = 0;
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
    await this.options.gate.wait(request.signal);
    // A turn with tools will still need a final answer after it; a tool-free turn is the last.
    const settle = this.options.ledger ? await this.options.ledger.admit(request.toolChoice === "none" ? 0 : 1, request.signal) : undefined;
    let cost: TurnCost | undefined;
    try {
      for await (const part of this.inner.stream(request)) {
        if (part.type === "finish") {
          // Priced only for a ledger: a price lookup per turn is not free at a thousand runs.
          if (settle) cost = { tokens: part.usage.inputTokens + part.usage.outputTokens, costUsd: this.options.costOf(part.usage) };
          this.options.gate.clear();
        }
        yield part;
      }
    } catch (error) {
      if (error instanceof ModelCallError && error.status === 429 && error.retryable) this.options.gate.close(error.retryAfterMs);
      throw error;
    } finally {
      settle?.(cost);
    }
  }
}
