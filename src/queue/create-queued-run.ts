import type { Effort } from "../core/effort.js";
import { newId } from "../core/ids.js";
import { runSchemaVersion, type RunRecord } from "../core/run.js";
import { emptyUsage, mergeBudgets, type Budget } from "../core/budget.js";
import { modelFromSettings } from "../config/model-from-settings.js";
import type { ResolvedSettings } from "../config/resolve-settings.js";
import { selectRunTools } from "../library/run-tools.js";
import type { RunStore } from "../store/run-store.js";

/** `budget` limits this run further than the settings do (a server request's own budget). */
export type QueuedRunOptions = { model?: string; effort?: Effort; instructions?: string; metadata?: Record<string, string>; budget?: Budget };

/**
 * Stores a new run as `queued` without advancing it: whichever process takes it from the
 * executor starts it. The model is resolved here so a wrong model or a missing key fails now,
 * in the terminal, rather than later in a worker.
 */
export async function createQueuedRun(store: RunStore, settings: ResolvedSettings, input: string, options: QueuedRunOptions = {}): Promise<RunRecord> {
  const model = await modelFromSettings(options.model, settings);
  const tools = selectRunTools(undefined, settings, model.capabilities.vision);
  const now = new Date().toISOString();
  const record: RunRecord = {
    schemaVersion: runSchemaVersion,
    id: newId("run"),
    status: "queued",
    spec: {
      model: model.id,
      input,
      effort: options.effort ?? settings.effort,
      budget: mergeBudgets(settings.budget, options.budget ?? {}),
      tools: tools.names,
      ...(options.instructions ? { instructions: options.instructions } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
    },
    createdAt: now,
    updatedAt: now,
    usage: emptyUsage(),
  };
  await store.createRun(record);
  return record;
}
