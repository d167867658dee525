// The verifier behind `--verify tests.py`: the user's Python tests run in the sandbox against
// each candidate. The candidate is in the workspace as answer.txt (its final answer),
// response.md (its whole text) and solution.py (its last ```python block, else its answer);
// the tests pass when tests.py runs to the end without raising.
import { join } from "node:path";
import { writeWorkspaceFiles } from "../tools/files/workspace-directory.js";
import { PythonKernel } from "../tools/python/kernel.js";
import type { SandboxSettings } from "../tools/tool.js";
import type { Verifier } from "./verifier.js";

export type PythonTestsVerifierOptions = {
  /** The tests' source. */
  tests: string;
  /** A directory under which each candidate gets its own workspace. */
  workspaceRoot: string;
  sandbox: SandboxSettings;
};

export function pythonTestsVerifier(options: PythonTestsVerifierOptions): Verifier {
  let next = 0;
  return async (candidate, { signal }) => {
    const workspace = join(options.workspaceRoot, `candidate-${next++}`);
    // A workspace left by an earlier run's sandboxed code may hold links: written without following any.
    await writeWorkspaceFiles(workspace, {
      "answer.txt": candidate.answer,
      "response.md": candidate.text,
      "solution.py": lastPythonBlock(candidate.text) ?? candidate.answer,
      "tests.py": options.tests,
    });
    const kernel = new PythonKernel({ workspace, settings: options.sandbox });
    try {
      const result = await kernel.run(
        'import runpy, sys\nsys.path.insert(0, "/workspace")\nrunpy.run_path("/workspace/tests.py", run_name="__main__")',
        signal,
      );
      if (!result.error) return { passed: true, reason: "the tests passed" };
      const lastLine = result.error.traceback.trim().split("\n").at(-1) ?? result.error.type;
      return { passed: false, reason: `${result.error.type}: ${lastLine}` };
    } finally {
      await kernel.close();
    }
  };
}

function lastPythonBlock(text: string): string | undefined {
  const blocks = [...text.matchAll(/```(?:python|py)\s*\n([\s\S]*?)```/g)];
  return blocks.at(-1)?.[1];
}
