import type { Effort } from "../core/effort.js";
import { ConfigError } from "../core/errors.js";
import type { ImagePart } from "../core/items.js";
import { newId } from "../core/ids.js";
import { runSchemaVersion, type RunRecord } from "../core/run.js";
import { emptyUsage, mergeBudgets, type Budget } from "../core/budget.js";
import { modelFromSettings } from "../config/model-from-settings.js";
import type { ResolvedSettings } from "../config/resolve-settings.js";
import { selectRunTools } from "../library/run-tools.js";
import type { RunStore } from "../store/run-store.js";
import { strategySpecOf, type StrategyRequest } from "../strategies/stored-strategy.js";

/**
 * `budget` limits this run further than the settings do (a server request's own budget); with a
 * `strategy` it is the budget over all of the strategy's child runs.
 */
export type QueuedRunOptions = {
  model?: string;
  effort?: Effort;
  instructions?: string;
  metadata?: Record<string, string>;
  budget?: Budget;
  strategy?: StrategyRequest;
  /** Images that go with the input (data or http(s) URLs), shown to the model. */
  images?: ImagePart[];
};

/**
 * Stores a new run as `queued` without advancing it: whichever process takes it from the
 * executor starts it. The model is resolved here so a wrong model or a missing key fails now,
 * in the terminal, rather than later in a worker.
 */
export async function createQueuedRun(
  store: RunStore,
  settings: ResolvedSettings,
  input: string,
  options: QueuedRunOptions = {},
): Promise<RunRecord> {
  const model = await modelFromSettings(options.model, settings);
  const tools = selectRunTools(undefined, settings, model.capabilities.vision, model.id);
  const images = options.images ?? [];
  if (images.length > 0 && !model.capabilities.vision)
    throw new ConfigError(`The model ${model.id} does not accept images.`, "Choose a vision model, or send no images.");
  if (images.length > 0 && options.strategy)
    throw new ConfigError("A strategy run takes a text question; images go with single runs.", "Send the images without a strategy.");
  const now = new Date().toISOString();
  const record: RunRecord = {
    schemaVersion: runSchemaVersion,
    id: newId("run"),
    status: "queued",
    spec: {
      model: model.id,
      input: images.length > 0 ? [{ type: "input_text", text: input }, ...images] : input,
      effort: options.effort ?? settings.effort,
      // A strategy's budget is its total; each child takes the settings' per-run budget.
      budget: options.strategy ? (options.budget ?? {}) : mergeBudgets(settings.budget, options.budget ?? {}),
      tools: tools.names,
      ...(options.instructions ? { instructions: options.instructions } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
      ...(options.strategy ? { strategy: strategySpecOf(options.strategy) } : {}),
    },
    createdAt: now,
    updatedAt: now,
    usage: emptyUsage(),
  };
  await store.createRun(record);
  return record;
}
