/** What a person asked of a run from outside the process advancing it. */
export type ControlRequest = { kind: "steer"; text: string } | { kind: "cancel" };

/**
 * Durable requests to a run (`ponder steer`, `ponder cancel`), kept next to the runs so they
 * cross processes and machines: whoever advances the run takes them at its next poll.
 */
export interface RunControls {
  steer(runId: string, text: string): Promise<void>;
  cancel(runId: string): Promise<void>;
  /** The run's open requests, oldest first, marked taken so each is delivered once. */
  take(runId: string): Promise<ControlRequest[]>;
  close(): Promise<void>;
}

/** A request as both databases store it. */
export type StoredControl = { kind: string; text: string | null };

export function toRequest(row: StoredControl): ControlRequest {
  return row.kind === "cancel" ? { kind: "cancel" } : { kind: "steer", text: row.text ?? "" };
}
