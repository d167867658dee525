// `--scorer` names: exact, normalised, numeric[:tolerance] (0.01 absolute, 1% relative),
// regex, includes, model[:<grader model id>], python-tests, module:<path.js> (a custom TS/JS
// scorer: the module's default export is a Scorer or a function (input) => Score | boolean).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../../core/errors.js";
import type { RunEnvironmentOptions } from "../../library/start-run.js";
import type { SandboxSettings } from "../../tools/tool.js";
import { modelGradedScorer } from "./model-graded-scorer.js";
import { pythonTestsScorer } from "./python-tests-scorer.js";
import type { Score, ScoreInput, Scorer } from "./scorer.js";
import { exactScorer, includesScorer, normalisedScorer, numericScorer, regexScorer } from "./text-scorers.js";
import { scorerNames } from "./scorer-names.js";

export type ScorerContext = {
  environment: RunEnvironmentOptions;
  sandbox: SandboxSettings;
  workspaceRoot: string;
  parentId?: string;
  rubric?: string;
};

export { scorerNames };

export async function scorerFromSpec(spec: string, context: ScorerContext): Promise<Scorer> {
  const [name, ...rest] = spec.split(":");
  const argument = rest.join(":");
  switch (name) {
    case "exact":
      return exactScorer;
    case "normalised":
    case "normalized":
      return normalisedScorer;
    case "numeric":
      return numericScorer(toleranceOf(argument));
    case "regex":
      return regexScorer;
    case "includes":
      return includesScorer;
    case "model":
      return modelGradedScorer({
        environment: context.environment,
        ...(argument ? { model: argument } : {}),
        ...(context.rubric ? { rubric: context.rubric } : {}),
        ...(context.parentId ? { parentId: context.parentId } : {}),
      });
    case "python-tests":
      return pythonTestsScorer({ sandbox: context.sandbox, workspaceRoot: context.workspaceRoot });
    case "module":
      return moduleScorer(argument);
    default:
      throw new ConfigError(`--scorer ${spec}: unknown scorer.`, `Use one of: ${scorerNames.join(", ")}.`);
  }
}

function toleranceOf(argument: string): { absolute?: number; relative?: number } {
  if (!argument) return {};
  const value = Number(argument.replace(/%$/, ""));
  if (!Number.isFinite(value) || value < 0)
    throw new ConfigError(
      `--scorer numeric:${argument}: the tolerance is not a non-negative number.`,
      "For example numeric:0.01 (absolute) or numeric:1% (relative).",
    );
  return argument.endsWith("%") ? { relative: value / 100 } : { absolute: value };
}

type CustomScore = (input: ScoreInput) => Score | boolean | Promise<Score | boolean>;

/** A custom scorer: a compiled TS (or JS) module whose default export scores one answer. */
export async function moduleScorer(path: string): Promise<Scorer> {
  const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: Scorer | CustomScore };
  const exported = module.default;
  if (typeof exported === "function") return customScorer(path, exported);
  if (exported && typeof exported.score === "function") return exported;
  throw new ConfigError(
    `--scorer module:${path}: the module has no default export that scores.`,
    "Export default a function (input) => boolean | { passed, reason } or a { name, score } object.",
  );
}

export function customScorer(name: string, score: CustomScore): Scorer {
  return {
    name,
    score: async (input) => {
      const result = await score(input);
      return typeof result === "boolean" ? { passed: result } : result;
    },
  };
}
