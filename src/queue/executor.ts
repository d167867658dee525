/**
 * Where runs are advanced. The store holds the run (created `queued`); an executor decides
 * which process advances it: this one (inline) or any worker on the queue (BullMQ on Redis).
 */
export interface Executor {
  /** Hands a stored run over to be advanced; returns once it is accepted, not when it finishes. */
  submit(runId: string): Promise<void>;
  /** Stops accepting runs; runs in progress here stop at their next step boundary and stay queued. */
  close(): Promise<void>;
}
