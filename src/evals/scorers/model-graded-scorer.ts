// A grader model reads the question, the reference (when there is one), the rubric and the
// answer, and ends with "GRADE: PASS" or "GRADE: FAIL". The grader is a run of its own (no
// tools), so its reasoning is stored and can be read when a grade looks wrong.
import { startRun, type RunEnvironmentOptions } from "../../library/start-run.js";
import { ScorerInfraError, type Score, type Scorer } from "./scorer.js";

export type ModelGradedOptions = {
  /** The grader model id; default: the environment's default model. */
  model?: string;
  /** What a passing answer must do; an item's `metadata.rubric` replaces it for that item. */
  rubric?: string;
  environment: RunEnvironmentOptions;
  /** The eval's parent run, so grader runs are listed under it. */
  parentId?: string;
};

const defaultRubric =
  "The answer is correct and complete: it agrees with the reference answer when one is given, and makes no claim the question's facts contradict.";

export function modelGradedScorer(options: ModelGradedOptions): Scorer {
  return {
    name: "model",
    score: async ({ item, response, signal }): Promise<Score> => {
      const rubric = typeof item.metadata.rubric === "string" ? item.metadata.rubric : (options.rubric ?? defaultRubric);
      const reference = item.target === undefined ? "" : `<reference>\n${[item.target].flat().join("\n")}\n</reference>\n`;
      const prompt = `Grade an answer to a question against a rubric.\n<question>\n${item.input}\n</question>\n${reference}<rubric>\n${rubric}\n</rubric>\n<answer>\n${response}\n</answer>\nExplain briefly, then end with one line: "GRADE: PASS" or "GRADE: FAIL".`;
      const handle = await startRun(prompt, {
        ...options.environment,
        model: options.model ?? options.environment.model,
        tools: [],
        stream: false,
        signal,
        ...(options.parentId ? { parentId: options.parentId } : {}),
        metadata: { eval_role: "grader", eval_item: item.id },
      });
      const record = await handle.result;
      // A grader that never answered says nothing about the answer: that is the grader's infrastructure.
      if (record.status !== "completed" || !record.result?.answer)
        throw new ScorerInfraError(`the grader run ${record.id} ended ${record.status}${record.error ? `: ${record.error.message}` : ""}`);
      const verdict = [...record.result.answer.matchAll(/GRADE:\s*(PASS|FAIL)/gi)].at(-1)?.[1]?.toUpperCase();
      if (!verdict) throw new Error(`the grader run ${record.id} gave no "GRADE: PASS|FAIL" line`);
      return { passed: verdict === "PASS", reason: `grader ${record.id}: ${record.result.answer.slice(0, 300)}` };
    },
  };
}
