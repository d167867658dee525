import type { SelectMethod, StrategyRequest } from "./api-types.js";

export type StrategyKind = "single" | "best_of_n" | "until_confident" | "research";

/** The new-task form's strategy fields, as typed (numbers stay text until the form is sent). */
export type StrategyChoice = { kind: StrategyKind; samples: string; select: SelectMethod; threshold: string; maxSamples: string };

export const defaultStrategyChoice: StrategyChoice = { kind: "single", samples: "5", select: "vote", threshold: "0.8", maxSamples: "8" };

/** The `strategy` of `POST /v1/runs`, or an error message naming the field that is wrong. */
export function strategyRequestOf(choice: StrategyChoice): { strategy?: StrategyRequest; error?: string } {
  switch (choice.kind) {
    case "single":
      return {};
    case "research":
      return { strategy: { type: "research" } };
    case "best_of_n": {
      const samples = Number(choice.samples);
      if (!Number.isInteger(samples) || samples < 1) return { error: "Samples must be a whole number of at least 1." };
      return { strategy: { type: "best_of_n", samples, select: choice.select } };
    }
    case "until_confident": {
      const threshold = Number(choice.threshold);
      const maxSamples = Number(choice.maxSamples);
      if (!(threshold > 0 && threshold < 1)) return { error: "The confidence threshold must be between 0 and 1, e.g. 0.8." };
      if (!Number.isInteger(maxSamples) || maxSamples < 1) return { error: "Max samples must be a whole number of at least 1." };
      return { strategy: { type: "best_of_n", untilConfident: threshold, maxSamples, select: choice.select } };
    }
  }
}
