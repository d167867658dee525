import { ConfigError } from "../../core/errors.js";
import { resumeRun } from "../../library/start-run.js";
import { commonOptions, parseCommandLine, runOptions } from "../common-options.js";
import { followRun } from "../follow-run.js";
import { ttyApprover } from "../tty-approver.js";
import { resumeHelp } from "../help/resume.js";

export { resumeHelp } from "../help/resume.js";

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
