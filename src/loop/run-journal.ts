import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Usage } from "../core/budget.js";
import type { RunEvent } from "../core/events.js";
import { newId } from "../core/ids.js";
import type { Item } from "../core/items.js";
import { finishedStatuses, type RunRecord, type StepUsage } from "../core/run.js";
import type { OwnerFence, RunPatch, RunStore } from "../store/run-store.js";

/** An item before it has an id. */
/** An item to append; it gets an id unless it has one already (given before it was stored, see model-turn.ts). */
export type NewItem = Item extends infer Each ? (Each extends Item ? Omit<Each, "id"> & { id?: string } : never) : never;

const idPrefixes: Record<Item["type"], string> = {
  message: "msg",
  reasoning: "rs",
  function_call: "fc",
  function_call_output: "fco",
  approval_request: "apr",
  approval_response: "aps",
  artifact: "art",
  source: "src",
  note: "note",
  compaction: "cmp",
};

/** A checkpoint still committing: the events emitted after it wait until it is durable. */
type Barrier = { done: boolean; events: RunEvent[] };

/** Appends gathered into one store write (see appendSoon). */
type GatheredWrite = {
  step: number;
  items: Item[];
  record: RunRecord;
  stepUsage: StepUsage | undefined;
  releases: { barrier: Barrier; events: RunEvent[] }[];
  durable: Promise<void>;
};

/**
 * The run as the loop sees it: its record, its items in memory, and a write-through to the
 * store. Every append is a checkpoint (items and usage in one transaction) and is announced as
 * `item-added` events after it is durable.
 *
 * Memory changes at once; the store's writes follow one after another in the same order, and a
 * write that fails fails every write after it, so the stored log never has a gap. Events keep
 * the order in which they happened: those emitted while a checkpoint commits wait for it.
 */
export class RunJournal {
  /** The last write to the store; later writes start after it has committed. */
  private tail: Promise<unknown> = Promise.resolve();
  /** The write still taking appends, until the end of the event-loop turn it began in. */
  private gathering: GatheredWrite | undefined;
  /** Events (and the checkpoints they wait for) not yet announced, oldest first. */
  private readonly backlog: (RunEvent | Barrier)[] = [];
  /** This session's owner token: written into the record, and what every write after the first expects to find there. */
  private readonly token = randomUUID();
  /** The token the next write expects in the stored record: at first the one read when the loop started. */
  private expectedToken: string | undefined;
  /** The first checkpoint is sent at once, into the commit of the earlier write (the run's creation). */
  private joinsEarlierWrite: boolean;
  /** The run's creation failed: nothing about it is announced, ever. */
  private unstored = false;
  /**
   * Settles once the run's record is durable: at once for a run read from the store; for a run
   * just created, when its creation commits (and rejects if that failed). Until then no event is
   * announced, and the loop asks no model: a run id shown anywhere always names a stored run.
   */
  readonly stored: Promise<void>;

  constructor(
    public record: RunRecord,
    readonly items: Item[],
    private readonly store: RunStore,
    private readonly announce: (event: RunEvent) => void,
    private readonly leaseMs?: number,
    /** A write of this run still committing (its creation): the journal's writes go after it. */
    earlierWrite?: Promise<unknown>,
  ) {
    this.expectedToken = record.owner?.token;
    this.joinsEarlierWrite = earlierWrite !== undefined && store.writesInCallOrder === true;
    if (earlierWrite === undefined) {
      this.stored = Promise.resolve();
      return;
    }
    this.tail = earlierWrite;
    const creation: Barrier = { done: false, events: [] };
    this.backlog.push(creation);
    this.stored = earlierWrite.then(
      () => this.release(creation, []),
      (error: unknown) => {
        this.unstored = true;
        this.backlog.length = 0;
        throw error;
      },
    );
    // Whoever needs the outcome awaits it (the loop, before its first model turn).
    this.stored.catch(() => undefined);
  }

  get runId(): string {
    return this.record.id;
  }

  get usage(): Usage {
    return this.record.usage;
  }

  /** Announces an event, after those of any checkpoint still committing. */
  emit(event: RunEvent): void {
    if (this.unstored) return;
    if (this.backlog.length > 0) this.backlog.push(event);
    else this.announce(event);
  }

  /**
   * Records durably that a call is about to start (see RunRecord.callsInFlight): joins the
   * checkpoint still gathering (the turn that asked for the call), so it costs no commit of its
   * own. The call may start once this settles.
   */
  markCallStarted(callId: string): Promise<void> {
    const inFlight = [...(this.record.callsInFlight ?? []), callId];
    const { durable } = this.appendSoon([], { callsInFlight: inFlight });
    return durable.catch((error: unknown) => {
      // Never stored, so the call never starts: a failure recorded later must not list it.
      this.record = { ...this.record, ...this.callFinished(callId) };
      throw error;
    });
  }

  /** The record patch that takes a call off the calls in flight (with its output's checkpoint). */
  callFinished(callId: string): RunPatch {
    const inFlight = this.record.callsInFlight?.filter((id) => id !== callId);
    return { callsInFlight: inFlight !== undefined && inFlight.length > 0 ? inFlight : undefined };
  }

  /** Settles when every write made so far is durable (rejects if one failed). */
  async committed(): Promise<void> {
    await this.tail;
  }

  async append(newItems: NewItem[], patch: RunPatch = {}, stepUsage?: StepUsage): Promise<Item[]> {
    const { items, durable } = this.appendSoon(newItems, patch, stepUsage);
    await durable;
    return items;
  }

  /**
   * Appends without waiting for the commit: the items are in the log at once and commit at the
   * store's next group commit, so the next model request goes out meanwhile instead of after it.
   * For checkpoints that nothing irreversible waits for: a crash before the commit loses them
   * just as it would have a moment earlier, and the model request sent meanwhile has no effect
   * beyond its cost. `durable` settles with the commit; if it fails, so do the writes after it.
   */
  appendSoon(newItems: NewItem[], patch: RunPatch = {}, stepUsage?: StepUsage): { items: Item[]; durable: Promise<void> } {
    const items = newItems.map((item) => ({ ...item, id: item.id ?? newId(idPrefixes[item.type]) }) as Item);
    const record = this.nextRecord(patch);
    this.record = record;
    this.items.push(...items);
    const barrier: Barrier = { done: false, events: [] };
    this.backlog.push(barrier);
    const release = { barrier, events: checkpointEvents(this.runId, items, patch) };
    // Appends of the same step made before the gathered write goes out join it: a turn's calls
    // and the outputs of tools that answer at once commit together, one commit instead of two.
    const open = this.gathering;
    if (open !== undefined && open.step === record.usage.steps && !(open.stepUsage && stepUsage)) {
      open.items.push(...items);
      open.record = record;
      open.stepUsage ??= stepUsage;
      open.releases.push(release);
      return { items, durable: open.durable };
    }
    const gathered: GatheredWrite = {
      step: record.usage.steps,
      items: [...items],
      record,
      stepUsage,
      releases: [release],
      durable: Promise.resolve(),
    };
    const send = () =>
      this.fenced((fence) => this.store.appendItems(this.runId, gathered.step, gathered.items, gathered.record, gathered.stepUsage, fence));
    let sent: Promise<unknown>;
    if (this.joinsEarlierWrite) {
      // The store commits in call order: made now, the write joins the creation's commit, and
      // fails if the creation did. Nothing joins it.
      this.joinsEarlierWrite = false;
      sent = send();
    } else if (patch.status !== undefined && finishedStatuses.includes(patch.status)) {
      // Nothing comes after the run's end to join it: it goes out as soon as the writes before it.
      this.gathering = undefined;
      sent = this.tail.then(send);
    } else {
      this.gathering = gathered;
      // It goes out at the end of this event-loop turn, and after the writes before it.
      const closed = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        if (this.gathering === gathered) this.gathering = undefined;
      });
      sent = Promise.all([this.tail, closed]).then(send);
    }
    gathered.durable = sent.then(
      () => this.releaseAll(gathered.releases, false),
      (error: unknown) => {
        // Never stored, so never announced.
        this.releaseAll(gathered.releases, true);
        throw error;
      },
    );
    // A failed commit, or a listener that threw, fails the writes after it.
    this.tail = gathered.durable;
    return { items, durable: gathered.durable };
  }

  async update(patch: RunPatch): Promise<void> {
    await this.save(patch);
    if (patch.status) this.emit({ type: "status-changed", runId: this.runId, status: patch.status });
  }

  /**
   * Records that the run failed, also when an earlier write failed (which the writes after it
   * would otherwise repeat).
   */
  async fail(patch: RunPatch): Promise<void> {
    // The failed write already failed whoever awaited it; the failure record must still go out.
    this.tail = this.tail.catch(() => undefined);
    await this.update(patch);
  }

  /** Proves the owning process is alive, for runs that spend minutes inside one tool call. */
  async heartbeat(): Promise<void> {
    // A beat due while the run's last checkpoint commits would store the record again after it.
    if (finishedStatuses.includes(this.record.status)) return;
    await this.save({});
  }

  private async save(patch: RunPatch): Promise<void> {
    const record = this.nextRecord(patch);
    this.record = record;
    await this.write(() => this.fenced((fence) => this.store.saveRun(record, fence)));
  }

  /** A write made only while the stored record still names this session (or, first, the owner it took over from). */
  private async fenced<T>(write: (fence: OwnerFence) => Promise<T>): Promise<T> {
    const result = await write({ expectedToken: this.expectedToken });
    this.expectedToken = this.token;
    return result;
  }

  private nextRecord(patch: RunPatch): RunRecord {
    return { ...this.record, ...patch, owner: ownerNow(this.leaseMs, this.token), updatedAt: new Date().toISOString() };
  }

  private write<T>(write: () => Promise<T>): Promise<T> {
    // Appends after this write must be stored after it, so they may not join an earlier one, nor
    // be sent ahead of it into the creation's commit (found by test/loop/journal-durability.test.ts:
    // a heartbeat's older record then overwrote the newer one).
    this.gathering = undefined;
    this.joinsEarlierWrite = false;
    const written = this.tail.then(write);
    this.tail = written;
    return written;
  }

  /** Releases each checkpoint of a gathered write in order; the first listener error is thrown after all. */
  private releaseAll(releases: { barrier: Barrier; events: RunEvent[] }[], failed: boolean): void {
    let failure: { error: unknown } | undefined;
    for (const { barrier, events } of releases) {
      try {
        this.release(barrier, failed ? [] : events);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  /**
   * A checkpoint settled: announce its events, then whatever waited for it. Everything due is
   * announced even if a listener throws; the first error is thrown afterwards.
   */
  private release(barrier: Barrier, events: RunEvent[]): void {
    barrier.done = true;
    barrier.events = events;
    const due: RunEvent[] = [];
    while (this.backlog.length > 0) {
      const next = this.backlog[0] as RunEvent | Barrier;
      if ("done" in next && !next.done) break;
      this.backlog.shift();
      if ("done" in next) due.push(...next.events);
      else due.push(next);
    }
    if (this.unstored) return;
    let failure: { error: unknown } | undefined;
    for (const event of due) {
      try {
        this.announce(event);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}

function checkpointEvents(runId: string, items: Item[], patch: RunPatch): RunEvent[] {
  const events: RunEvent[] = items.map((item) => ({ type: "item-added", runId, item }));
  if (patch.usage) events.push({ type: "usage-updated", runId, usage: patch.usage });
  return events;
}

const host = hostname();

export function ownerNow(leaseMs?: number, token?: string): NonNullable<RunRecord["owner"]> {
  return {
    pid: process.pid,
    host,
    heartbeatAt: new Date().toISOString(),
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(token === undefined ? {} : { token }),
  };
}
