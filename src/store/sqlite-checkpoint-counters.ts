// What a SqliteRunStore and its checkpoint worker share, as slots of one Int32Array over a
// SharedArrayBuffer: the store counts its commits; the worker counts its passes and reports the
// WAL's length (frames) after the last one; `checkpointer` says who is checkpointing now.
export const checkpointCounters = { commits: 0, passes: 1, walFrames: 2, checkpointer: 3 } as const;

export const checkpointCounterCount = 4;

/** Values of the `checkpointer` slot. SQLite answers a second checkpointer "busy" without waiting, so the two take turns here. */
export const checkpointerSlot = { free: 0, worker: 1, store: 2 } as const;

/** A row of `PRAGMA wal_checkpoint`: whether it found the checkpoint taken, the WAL's frames, and how many are in the database file. */
export type WalCheckpointResult = { busy: number; log: number; checkpointed: number };

/** Takes the checkpointer slot for `who` if it is free; true when taken. */
export function tryTakeCheckpointer(counters: Int32Array, who: number): boolean {
  return Atomics.compareExchange(counters, checkpointCounters.checkpointer, checkpointerSlot.free, who) === checkpointerSlot.free;
}

/** Frees the slot and wakes a store waiting for it. */
export function releaseCheckpointer(counters: Int32Array): void {
  Atomics.store(counters, checkpointCounters.checkpointer, checkpointerSlot.free);
  Atomics.notify(counters, checkpointCounters.checkpointer);
}
