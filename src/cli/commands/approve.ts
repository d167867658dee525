import { ConfigError, InvalidRunStateError, RunNotFoundError } from "../../core/errors.js";
import { newId } from "../../core/ids.js";
import type { ApprovalResponseItem } from "../../core/items.js";
import { deriveRunState } from "../../loop/run-state.js";
import { commonOptions, parseCommandLine, runOptions } from "../common-options.js";
import { withStore } from "../open-store.js";
import { continueRun } from "./resume.js";
import { approveHelp } from "../help/approve.js";

export { approveHelp } from "../help/approve.js";

export async function approveCommand(args: string[], approve: boolean): Promise<number> {
  const command = approve ? "approve" : "deny";
  const { values, positionals } = parseCommandLine(command, args, {
    ...commonOptions,
    ...runOptions,
    reason: { type: "string" },
    "no-resume": { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(`${approveHelp}\n`);
    return 0;
  }
  const [runId, callId] = positionals;
  if (!runId)
    throw new ConfigError(`ponder ${command} needs a run id.`, "Runs waiting for approval: `ponder runs --status awaiting_approval`.");
  await withStore({ home: values.home, configPath: values.config }, async (store) => {
    const record = await store.getRun(runId);
    if (!record) throw new RunNotFoundError(runId);
    const state = deriveRunState((await store.listItems(runId)).map((stored) => stored.item));
    const open = [...state.openApprovals.values()];
    if (open.length === 0) throw new InvalidRunStateError(`Run ${runId} has no tool calls waiting for approval.`);
    const chosen = callId ? open.filter((request) => request.call_id === callId) : open;
    if (chosen.length === 0) {
      throw new InvalidRunStateError(
        `Run ${runId} has no approval request for call ${callId}.`,
        `Waiting calls: ${open.map((request) => request.call_id).join(", ")}.`,
      );
    }
    const responses: ApprovalResponseItem[] = chosen.map((request) => ({
      type: "approval_response",
      id: newId("aps"),
      call_id: request.call_id,
      approve,
      ...(values.reason ? { reason: values.reason } : {}),
    }));
    await store.appendItems(runId, record.usage.steps, responses);
    for (const request of chosen) process.stderr.write(`${approve ? "Approved" : "Denied"} ${request.name} (${request.call_id}).\n`);
    if (open.length > chosen.length) process.stderr.write(`${open.length - chosen.length} other call(s) still wait for a decision.\n`);
  });
  if (values["no-resume"]) return 0;
  return continueRun(runId, values);
}
