import { logged, logger } from "../logging/logger.js";

const log = logger("tools");

/** Something a run holds open (a kernel, a browser) and must close when the run ends. */
export interface RunResource {
  close(): Promise<void>;
}

/**
 * Per-run resources, created on first use and closed together when the run ends or is
 * cancelled. Creation is shared: concurrent callers of `get` wait on the same promise.
 */
export class RunResources {
  private readonly entries = new Map<string, Promise<RunResource>>();
  private closed = false;

  get<T extends RunResource>(key: string, create: () => Promise<T> | T): Promise<T> {
    if (this.closed) return Promise.reject(new Error("The run's resources are already closed."));
    let entry = this.entries.get(key);
    if (!entry) {
      entry = Promise.resolve().then(create);
      entry.catch(() => this.entries.delete(key));
      this.entries.set(key, entry);
    }
    return entry as Promise<T>;
  }

  /** Forgets a resource (after it died) so the next `get` creates a fresh one. */
  async discard(key: string): Promise<void> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (entry) await entry.then((resource) => resource.close()).catch(logged(log, "warn", "closing a run's resource failed"));
  }

  /** Takes a resource out without closing it (it lives on elsewhere); undefined when there is none or it failed to start. */
  async release<T extends RunResource>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry ? ((await entry.catch(() => undefined)) as T | undefined) : undefined;
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      entries.map((entry) => entry.then((resource) => resource.close()).catch(logged(log, "warn", "closing a run's resource failed"))),
    );
  }
}
