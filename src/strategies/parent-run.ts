// The strategy's own run in the store: a real RunRecord (so `ponder runs` and `ponder show`
// see it) whose children carry its id as parentId. Its usage is the sum of its children's,
// written at most a few times a second however many children report.
import { hostname } from "node:os";
import { addUsage, emptyUsage, type Usage } from "../core/budget.js";
import { RunNotFoundError, SuspendedError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { NoteItem, MessageItem } from "../core/items.js";
import { runSchemaVersion, type RunError, type RunRecord, type RunResult, type RunSpec, type RunStatus } from "../core/run.js";
import type { RunStore } from "../store/run-store.js";
import { logged, logger } from "../logging/logger.js";

const log = logger("strategies");

const flushIntervalMs = 250;
const heartbeatIntervalMs = 10_000;

export class ParentRun {
  private readonly childUsage = new Map<string, Usage>();
  private readonly costUnknown = new Set<string>();
  private flushTimer?: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private writing: Promise<unknown> = Promise.resolve();
  private finished = false;

  private constructor(
    public record: RunRecord,
    private readonly store: RunStore,
    private readonly leaseMs: number | undefined,
    /** The strategy's own signal: aborted with a SuspendedError when its process shuts down. */
    private readonly signal: AbortSignal | undefined,
  ) {
    // Three heartbeats per lease, as a run's own loop does.
    this.heartbeat = setInterval(
      () => this.schedule(0),
      leaseMs === undefined ? heartbeatIntervalMs : Math.min(heartbeatIntervalMs, leaseMs / 3),
    );
    this.heartbeat.unref();
  }

  /**
   * Starts the parent run: a new record, or, with `runId`, a stored queued one (a strategy
   * submitted to the server or the queue) which keeps its id, tenant and metadata. `leaseMs` is
   * the owner lease (see RunRecord.owner): a worker's short one lets another host take over fast.
   */
  static async create(
    store: RunStore,
    spec: RunSpec,
    runId?: string,
    leaseMs?: number,
    signal?: AbortSignal,
    id = newId("run"),
  ): Promise<ParentRun> {
    const now = new Date().toISOString();
    if (runId !== undefined) return ParentRun.adopt(store, spec, runId, now, leaseMs, signal);
    const record: RunRecord = {
      schemaVersion: runSchemaVersion,
      id,
      status: "running",
      spec,
      createdAt: now,
      updatedAt: now,
      startedAt: now,
      usage: emptyUsage(),
      owner: owner(leaseMs),
    };
    await store.createRun(record);
    await store.appendItems(record.id, 0, [questionOf(spec)]);
    return new ParentRun(record, store, leaseMs, signal);
  }

  private static async adopt(
    store: RunStore,
    spec: RunSpec,
    runId: string,
    now: string,
    leaseMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ParentRun> {
    const stored = await store.getRun(runId);
    if (!stored) throw new RunNotFoundError(runId);
    // A strategy starts over when its process died: the earlier attempt's children stay in the store, its status and result go.
    const { result: _result, error: _error, finishedAt: _finishedAt, ...kept } = stored;
    const record: RunRecord = {
      ...kept,
      status: "running",
      spec: { ...spec, ...(stored.spec.metadata ? { metadata: stored.spec.metadata } : {}) },
      updatedAt: now,
      startedAt: stored.startedAt ?? now,
      usage: emptyUsage(),
      owner: owner(leaseMs),
    };
    await store.saveRun(record);
    if ((await store.listItems(runId)).length === 0) await store.appendItems(runId, 0, [questionOf(spec)]);
    return new ParentRun(record, store, leaseMs, signal);
  }

  get id(): string {
    return this.record.id;
  }

  get usage(): Usage {
    return this.record.usage;
  }

  /** A child's latest usage; the parent's becomes the sum again. */
  reportUsage(childId: string, usage: Usage): void {
    if (this.finished) return;
    // The change since the child's last report, so a report costs the same with 10 or 1,000 children.
    const previous = this.childUsage.get(childId) ?? emptyUsage();
    this.childUsage.set(childId, usage);
    const total = addUsage(this.record.usage, {
      steps: usage.steps - previous.steps,
      toolCalls: usage.toolCalls - previous.toolCalls,
      inputTokens: usage.inputTokens - previous.inputTokens,
      outputTokens: usage.outputTokens - previous.outputTokens,
      reasoningTokens: usage.reasoningTokens - previous.reasoningTokens,
      cachedInputTokens: usage.cachedInputTokens - previous.cachedInputTokens,
      costUsd: usage.costUsd - previous.costUsd,
    });
    if (!usage.costKnown) this.costUnknown.add(childId);
    this.record = { ...this.record, usage: { ...total, costKnown: this.costUnknown.size === 0 } };
    this.schedule(flushIntervalMs);
  }

  /** Ends the parent: its answer, a note with how it was chosen, and its final status. */
  async finish(status: RunStatus, result: RunResult | undefined, summary: string, error?: RunError): Promise<RunRecord> {
    this.finished = true;
    clearInterval(this.heartbeat);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.writing;
    const now = new Date().toISOString();
    const { owner: _owner, ...rest } = this.record;
    if (status === "cancelled" && this.signal?.reason instanceof SuspendedError) {
      // Stopped by its process's shutdown, not by anyone's choice: queued again, to start over in
      // the next process, and never recorded (nor seen) as cancelled.
      this.record = { ...rest, status: "queued", updatedAt: now };
      await this.store.appendItems(
        this.id,
        1,
        [
          {
            type: "note",
            id: newId("note"),
            kind: "info",
            text: "The strategy stopped because its process shut down; it starts over in the next one.",
          },
        ],
        this.record,
      );
      return this.record;
    }
    const items: (NoteItem | MessageItem)[] = [{ type: "note", id: newId("note"), kind: "info", text: summary }];
    if (result?.answer)
      items.push({ type: "message", id: newId("msg"), role: "assistant", content: [{ type: "output_text", text: result.answer }] });
    this.record = { ...rest, status, updatedAt: now, finishedAt: now, ...(result ? { result } : {}), ...(error ? { error } : {}) };
    await this.store.appendItems(this.id, 1, items, this.record);
    return this.record;
  }

  private schedule(delayMs: number): void {
    if (this.flushTimer || this.finished) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.record = { ...this.record, owner: owner(this.leaseMs), updatedAt: new Date().toISOString() };
      const record = this.record;
      this.writing = this.writing
        .then(() => this.store.saveRun(record))
        .catch(logged(log.child({ runId: record.id }), "warn", "could not save a strategy's parent run; the next save repeats it"));
    }, delayMs);
    this.flushTimer.unref();
  }
}

function questionOf(spec: RunSpec): MessageItem {
  return {
    type: "message",
    id: newId("msg"),
    role: "user",
    content: [{ type: "input_text", text: typeof spec.input === "string" ? spec.input : "" }],
  };
}

const host = hostname();

function owner(leaseMs?: number): NonNullable<RunRecord["owner"]> {
  return { pid: process.pid, host, heartbeatAt: new Date().toISOString(), ...(leaseMs === undefined ? {} : { leaseMs }) };
}
