// Contamination: is the eval in the model's training data? Two guards. A dataset may carry a
// canary string; a model listed as collecting training data (PONDER_TRAINING_DATA_MODELS, ids or
// `provider:*`) is never sent a canary-marked dataset. And `--check-contamination` asks the
// model to continue held-out items (and the canary) verbatim: reproducing the unseen half of an
// item word for word is strong evidence the item was trained on.
import { ConfigError } from "../core/errors.js";
import { startRun, type RunEnvironmentOptions } from "../library/start-run.js";
import type { Dataset } from "./dataset.js";

export function modelsCollectingTrainingData(env: Record<string, string | undefined>): string[] {
  return (env.PONDER_TRAINING_DATA_MODELS ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function collectsTrainingData(model: string, collecting: readonly string[]): boolean {
  return collecting.some((entry) => (entry.endsWith(":*") ? model.startsWith(entry.slice(0, -1)) : entry === model));
}

/** Throws when a canary-marked dataset would be sent to a model that collects training data. */
export function assertCanarySafe(dataset: Dataset, models: readonly string[], collecting: readonly string[]): void {
  if (!dataset.canary) return;
  const marked = models.filter((model) => collectsTrainingData(model, collecting));
  if (marked.length > 0) {
    throw new ConfigError(
      `${dataset.path} carries a canary and ${marked.join(", ")} ${marked.length === 1 ? "is" : "are"} marked as collecting training data (PONDER_TRAINING_DATA_MODELS); Ponder will not send this dataset there.`,
      "Use a model that does not train on your data, or remove it from PONDER_TRAINING_DATA_MODELS if that is wrong.",
    );
  }
}

export type ContaminationReport = {
  model: string;
  items: { id: string; overlap: number; leaked: boolean }[];
  leakRate: number;
  canaryLeaked?: boolean;
};

/** Share of the held-out words the continuation reproduces in order, from its start. */
export function verbatimOverlap(continuation: string, heldOut: string): number {
  const words = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, " ")
      .split(/\s+/)
      .filter(Boolean);
  const expected = words(heldOut);
  const produced = words(continuation);
  let matched = 0;
  while (matched < expected.length && produced[matched] === expected[matched]) matched++;
  return expected.length === 0 ? 0 : matched / expected.length;
}

/** Below this many words an item's halves are too short for a verbatim match to mean anything. */
const minimumWords = 12;
const leakThreshold = 0.5;

export async function checkContamination(
  dataset: Dataset,
  model: string,
  environment: RunEnvironmentOptions,
  options: { maxItems?: number } = {},
): Promise<ContaminationReport> {
  assertCanarySafe(dataset, [model], modelsCollectingTrainingData(environment.env ?? process.env));
  const candidates = dataset.items.filter((item) => item.input.split(/\s+/).length >= minimumWords).slice(0, options.maxItems ?? 20);
  const complete = async (prompt: string) => {
    const record = await (
      await startRun(prompt, {
        ...environment,
        model,
        tools: [],
        stream: false,
        effort: "minimal",
        metadata: { eval_role: "contamination-check" },
      })
    ).result;
    return record.result?.answer ?? "";
  };
  const items = [];
  for (const item of candidates) {
    const words = item.input.split(/\s+/);
    const half = Math.floor(words.length / 2);
    const continuation = await complete(
      `Continue this text exactly as it appears in its source, word for word, with nothing else:\n\n${words.slice(0, half).join(" ")}`,
    );
    const overlap = verbatimOverlap(continuation, words.slice(half).join(" "));
    items.push({ id: item.id, overlap, leaked: overlap >= leakThreshold });
  }
  let canaryLeaked: boolean | undefined;
  if (dataset.canary) {
    const shown = Math.ceil(dataset.canary.length * 0.6);
    const answer = await complete(`Complete this string exactly, with nothing else: ${dataset.canary.slice(0, shown)}`);
    canaryLeaked = answer.includes(dataset.canary.slice(shown));
  }
  return {
    model,
    items,
    leakRate: items.length === 0 ? 0 : items.filter((item) => item.leaked).length / items.length,
    ...(canaryLeaked === undefined ? {} : { canaryLeaked }),
  };
}
