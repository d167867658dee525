import { ConfigError } from "../../core/errors.js";
import { resumeRun } from "../../library/start-run.js";
import { commonOptions, parseCommandLine, runOptions } from "../common-options.js";
import { followRun } from "../follow-run.js";
import { ttyApprover } from "../tty-approver.js";

export const resumeHelp = `Usage: ponder resume <run-id> [--model <provider:model>] [--json] [-y]

Continues a run from its last checkpoint: one whose process died, one that failed (for
example on a bad API key, now fixed), or one that was waiting for approvals.
Tool calls that had finished are not run again. A call that was running when the process
stopped is run again only if its tool declares repeating it safe (read-only tools, idempotent
tools); otherwise the model is told its outcome is unknown and to check before repeating it.`;

export async function resumeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("resume", args, { ...commonOptions, ...runOptions });
  if (values.help) {
    process.stdout.write(`${resumeHelp}\n`);
    return 0;
  }
  const runId = positionals[0];
  if (!runId) throw new ConfigError("ponder resume needs a run id.", "Find interrupted runs with `ponder runs`.");
  return continueRun(runId, values);
}

/** Resumes a run with the live view; shared by resume, approve and deny. */
export function continueRun(
  runId: string,
  values: { model?: string; yes?: boolean; json?: boolean; home?: string; config?: string; "unsafe-no-sandbox"?: boolean },
): Promise<number> {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  return followRun(
    (view, store) =>
      resumeRun(runId, {
        model: values.model,
        store,
        home: values.home,
        configPath: values.config,
        unsafeNoSandbox: values["unsafe-no-sandbox"],
        approver: values.yes ? async () => true : interactive ? ttyApprover(() => view.suspend()) : undefined,
        onEvent: (event) => view.handle(event),
      }),
    { json: values.json === true, home: values.home, configPath: values.config },
  );
}
