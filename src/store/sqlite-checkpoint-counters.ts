// What a SqliteRunStore and its checkpoint worker share, as slots of one Int32Array over a
// SharedArrayBuffer: the store counts its commits; the worker counts its passes and reports the
// WAL's length (frames) after the last one.
export const checkpointCounters = { commits: 0, passes: 1, walFrames: 2 } as const;

export const checkpointCounterCount = 3;

/** A row of `PRAGMA wal_checkpoint`: whether it found the checkpoint taken, the WAL's frames, and how many are in the database file. */
export type WalCheckpointResult = { busy: number; log: number; checkpointed: number };
