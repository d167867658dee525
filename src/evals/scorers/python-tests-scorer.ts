// The item's target is Python test code run in the sandbox against the answer: the workspace
// holds answer.txt (the final answer), response.md (the whole text), solution.py (the last
// ```python block, else the answer) and tests.py; passing = tests.py runs to the end.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { writeWorkspaceFiles } from "../../tools/files/workspace-directory.js";
import { PythonKernel } from "../../tools/python/kernel.js";
import type { SandboxSettings } from "../../tools/tool.js";
import { ScorerInfraError, targetsOf, type Score, type Scorer } from "./scorer.js";

export type PythonTestsScorerOptions = { sandbox: SandboxSettings; workspaceRoot: string };

export function pythonTestsScorer(options: PythonTestsScorerOptions): Scorer {
  let next = 0;
  return {
    name: "python-tests",
    score: async ({ item, response, answer, signal }): Promise<Score> => {
      const tests = typeof item.metadata.tests === "string" ? item.metadata.tests : targetsOf(item).join("\n");
      const workspace = join(options.workspaceRoot, `score-${process.pid}-${next++}`);
      await writeWorkspaceFiles(workspace, {
        "answer.txt": answer,
        "response.md": response,
        "solution.py": lastPythonBlock(response) ?? answer,
        "tests.py": tests,
      });
      const kernel = new PythonKernel({ workspace, settings: options.sandbox });
      try {
        const result = await kernel
          .run('import runpy, sys\nsys.path.insert(0, "/workspace")\nrunpy.run_path("/workspace/tests.py", run_name="__main__")', signal)
          .catch((error: unknown) => {
            throw new ScorerInfraError(`the sandbox failed: ${error instanceof Error ? error.message : String(error)}`);
          });
        if (!result.error) return { passed: true, reason: "the tests passed" };
        const lastLine = result.error.traceback.trim().split("\n").at(-1) ?? result.error.type;
        return { passed: false, reason: lastLine };
      } finally {
        await kernel.close();
        await rm(workspace, { recursive: true, force: true });
      }
    },
  };
}

function lastPythonBlock(text: string): string | undefined {
  return [...text.matchAll(/```(?:python|py)\s*\n([\s\S]*?)```/g)].at(-1)?.[1];
}
