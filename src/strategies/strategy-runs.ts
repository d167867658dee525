// Starts a strategy's child runs through the library, all under one parent, one store, one
// AbortSignal and one total budget, and keeps the parent's usage the sum of theirs.
import type { Budget } from "../core/budget.js";
import { mergeBudgets } from "../core/budget.js";
import type { RunEvent } from "../core/events.js";
import type { RunRecord } from "../core/run.js";
import { startRun, type StartRunOptions } from "../library/start-run.js";
import { budgetStopConditions, type StopCondition } from "../loop/stop-conditions.js";
import type { ModelClient } from "../models/model-client.js";
import type { RunStore } from "../store/run-store.js";
import type { ParentRun } from "./parent-run.js";
import type { ChildOutcome, ChildRole, StrategyEvent } from "./strategy-events.js";
import type { TotalBudgetLedger } from "./total-budget.js";

export type ChildRun = {
  runId: string;
  role: ChildRole;
  index: number;
  record: RunRecord;
  outcome: ChildOutcome;
};

/** What every child shares: where it is stored, what it may use, how it is stopped. */
export type ChildBase = Omit<StartRunOptions, "model" | "parentId" | "signal" | "onEvent" | "store" | "metadata" | "stream"> & {
  stream?: boolean;
};

export type StrategyRunsOptions = {
  parent: ParentRun;
  store: RunStore;
  signal: AbortSignal;
  base: ChildBase;
  ledger?: TotalBudgetLedger;
  /** The absolute time by which every child must have answered. */
  deadline?: number;
  emit?: (event: RunEvent | StrategyEvent) => void;
};

export type ChildRequest = {
  role: ChildRole;
  index: number;
  input: string;
  model: ModelClient;
  tools?: StartRunOptions["tools"];
  instructions?: string;
  budget?: Budget;
};

export class StrategyRuns {
  readonly children: ChildRun[] = [];
  private readonly stopConditions: StopCondition[];

  constructor(private readonly options: StrategyRunsOptions) {
    const ledger = options.ledger;
    // Before each work turn: if the total budget cannot pay for it and a final answer, answer now.
    const totalBudgetSpent: StopCondition = () => (ledger && !ledger.fits(2) ? { reason: "total budget across samples" } : undefined);
    this.stopConditions = [...(options.base.stopConditions ?? budgetStopConditions), totalBudgetSpent];
  }

  get parentId(): string {
    return this.options.parent.id;
  }

  get signal(): AbortSignal {
    return this.options.signal;
  }

  /** Whether a new child may start: not cancelled, before the deadline, and the budget has room. */
  mayStart(): boolean {
    if (this.options.signal.aborted) return false;
    if (this.options.deadline !== undefined && Date.now() >= this.options.deadline) return false;
    return !this.options.ledger || (this.options.ledger.exhausted === undefined && this.options.ledger.fits(2));
  }

  emit(event: StrategyEvent): void {
    this.options.emit?.(event);
  }

  /** Starts one child and waits for it; never throws for the run's own failure (see outcome). */
  async run(request: ChildRequest): Promise<ChildRun> {
    const { parent, store, signal, base, emit } = this.options;
    const deadline = this.options.deadline;
    const budget = mergeBudgets(
      mergeBudgets(base.budget ?? {}, request.budget ?? {}),
      deadline === undefined ? {} : { deadline: Math.min(deadline, base.budget?.deadline ?? deadline) },
    );
    const handle = await startRun(request.input, {
      ...base,
      model: request.model,
      tools: request.tools ?? base.tools,
      instructions: request.instructions ?? base.instructions,
      budget,
      store,
      signal,
      parentId: parent.id,
      metadata: { role: request.role, index: String(request.index) },
      stopConditions: this.stopConditions,
      // Children nobody watches make plain calls: cheaper than streaming deltas no one reads.
      stream: base.stream ?? false,
      onEvent: (event) => {
        if (event.type === "usage-updated") parent.reportUsage(event.runId, event.usage);
        emit?.(event);
      },
    });
    emit?.({ type: "child-started", runId: parent.id, childId: handle.id, role: request.role, index: request.index });
    const record = await handle.result;
    parent.reportUsage(record.id, record.usage);
    const child: ChildRun = { runId: record.id, role: request.role, index: request.index, record, outcome: outcomeOf(record) };
    this.children.push(child);
    emit?.({
      type: "child-finished",
      runId: parent.id,
      childId: record.id,
      role: request.role,
      index: request.index,
      status: record.status,
      outcome: child.outcome,
      ...(record.result?.answer ? { answer: record.result.answer } : {}),
    });
    return child;
  }
}

export function outcomeOf(record: RunRecord): ChildOutcome {
  switch (record.status) {
    case "completed":
      return record.result?.answer.trim() ? "answered" : "no_answer";
    case "failed":
      return record.error?.code === "total_budget_exhausted" ? "budget_refused" : "infra_failed";
    case "awaiting_approval":
      return "awaiting_approval";
    default:
      return "cancelled";
  }
}
