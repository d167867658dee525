import type { StoredControl } from "../store/run-store.js";

/**
 * What a person asked of a run from outside the process advancing it. A steer with `interrupt`
 * also cuts the model's current turn short, so the message is read now rather than after it.
 */
export type ControlRequest = { kind: "steer"; text: string; interrupt?: boolean } | { kind: "cancel" };

export type SteerOptions = { interrupt?: boolean };

/**
 * Durable requests to a run (`ponder steer`, `ponder cancel`), kept next to the runs so they
 * cross processes and machines: whoever advances the run takes them at its next poll.
 */
export interface RunControls {
  steer(runId: string, text: string, options?: SteerOptions): Promise<void>;
  cancel(runId: string): Promise<void>;
  /** The run's open requests, oldest first, marked taken so each is delivered once. */
  take(runId: string): Promise<ControlRequest[]>;
  /**
   * The open requests of many runs in one statement (one poll for every run a process
   * advances), each run's oldest first; runs with none are absent from the map.
   */
  takeMany(runIds: readonly string[]): Promise<Map<string, ControlRequest[]>>;
  close(): Promise<void>;
}

/** A request as both databases store it. */
export type { StoredControl };

/** Taken rows grouped by run, each run's in the order they were asked (ids ascend). */
export function groupByRun(rows: (StoredControl & { id: number | string; run_id: string })[]): Map<string, ControlRequest[]> {
  const byRun = new Map<string, ControlRequest[]>();
  for (const row of rows.sort((left, right) => Number(left.id) - Number(right.id))) {
    const requests = byRun.get(row.run_id);
    if (requests) requests.push(toRequest(row));
    else byRun.set(row.run_id, [toRequest(row)]);
  }
  return byRun;
}

export function toRequest(row: StoredControl): ControlRequest {
  if (row.kind === "cancel") return { kind: "cancel" };
  return { kind: "steer", text: row.text ?? "", ...(row.kind === "interrupt" ? { interrupt: true } : {}) };
}

/** The kind column of a steer: "interrupt" marks one that cuts the current model turn short. */
export function steerKind(options: SteerOptions = {}): "steer" | "interrupt" {
  return options.interrupt ? "interrupt" : "steer";
}
