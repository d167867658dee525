import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { addUsage } from "../core/budget.js";
import type { RunEvent } from "../core/events.js";
import type { FunctionCallItem } from "../core/items.js";
import { decide, type ToolPolicy } from "../policy/tool-policy.js";
import type { RunJournal, NewItem } from "./run-journal.js";
import { keepArtifacts } from "../tools/files/kept-artifacts.js";
import { contentHashOf } from "../tools/sources.js";
import { repeatingIsSafe, type AnyTool, type ToolSource } from "../tools/tool.js";
import type { RunState } from "./run-state.js";
import { executeToolCall, type ToolCallEnvironment } from "./tool-call-execution.js";

/** Asks a person whether a call may run (a TTY prompt). Absent: the run waits durably instead. */
export type Approver = (call: FunctionCallItem) => Promise<boolean>;

export type ToolBatchOptions = {
  environment: ToolCallEnvironment;
  policy: ToolPolicy;
  approver?: Approver;
  concurrency: number;
  maxToolCalls?: number;
  emit: (event: RunEvent) => void;
};

export type ToolBatchOutcome = "done" | "awaiting_approval";

/**
 * Settles the pending calls of the last model turn: applies the policy, records approvals,
 * runs allowed calls (several at once, up to `concurrency`) and checkpoints each output as it
 * arrives, so a crash never re-runs a call that finished. A denied call is never executed.
 */
export async function settleToolCalls(journal: RunJournal, state: RunState, options: ToolBatchOptions): Promise<ToolBatchOutcome> {
  const runnable: FunctionCallItem[] = [];
  let waiting = false;
  for (const call of state.pendingCalls) {
    const tool = options.environment.tools.get(call.name);
    if (journal.record.callsInFlight?.includes(call.call_id) && !(tool && repeatingIsSafe(tool))) {
      await recordUnknownOutcome(journal, call, options);
      continue;
    }
    // Unknown tools go straight to execution, which explains the mistake to the model.
    const decision = tool ? decide(options.policy, call.name, tool.effects) : "allow";
    if (decision === "deny") {
      await recordOutput(
        journal,
        call,
        `The policy does not allow the "${call.name}" tool. Do not call it again; find another way or answer with what you have.`,
        "denied",
      );
      continue;
    }
    if (decision === "ask") {
      const response = state.approvals.get(call.call_id);
      if (response) {
        if (response.approve) runnable.push(call);
        else
          await recordOutput(
            journal,
            call,
            `The user declined this call to "${call.name}"${response.reason ? `: ${response.reason}` : ""}. Do not repeat it; find another way or answer with what you have.`,
            "denied",
          );
        continue;
      }
      if (options.approver && !state.openApprovals.has(call.call_id)) {
        await journal.append([approvalRequestFor(call)]);
        options.emit({ type: "approval-requested", runId: journal.runId, call });
        const approve = await options.approver(call);
        await journal.append([{ type: "approval_response", call_id: call.call_id, approve }]);
        if (approve) runnable.push(call);
        else
          await recordOutput(
            journal,
            call,
            `The user declined this call to "${call.name}". Do not repeat it; find another way or answer with what you have.`,
            "denied",
          );
        continue;
      }
      if (!state.openApprovals.has(call.call_id)) {
        await journal.append([approvalRequestFor(call)]);
        options.emit({ type: "approval-requested", runId: journal.runId, call });
      }
      waiting = true;
      continue;
    }
    runnable.push(call);
  }

  await runConcurrently(runnable, options.concurrency, async (call) => {
    if (options.maxToolCalls !== undefined && journal.usage.toolCalls >= options.maxToolCalls) {
      await recordOutput(
        journal,
        call,
        `Not executed: the run's tool call budget (${options.maxToolCalls}) is used up. Answer with what you have.`,
        "cancelled",
      );
      return;
    }
    // Counted before it runs, so parallel calls cannot overshoot the budget together.
    journal.record = { ...journal.record, usage: addUsage(journal.usage, { toolCalls: 1 }) };
    options.emit({ type: "tool-call-started", runId: journal.runId, call });
    const result = await executeToolCall(call, options.environment, (tool) => startGate(journal, call, tool));
    // Copied out of the workspace now, so what is served later is what the tool made (see kept-artifacts).
    const artifacts: NewItem[] = (await keepArtifacts(options.environment.workspace, result.artifacts)).map((artifact) => ({
      type: "artifact" as const,
      call_id: call.call_id,
      ...artifact,
    }));
    const sources = await recordSources(journal, call, result.sources, options.environment.workspace);
    // The next model request need not wait for this commit (see appendSoon): the output is
    // durable by the next group commit, as it would be if we waited, and a failed commit fails
    // the run's next write. The event below is announced after the output is durable.
    const { items, durable } = journal.appendSoon([result.output, ...artifacts, ...sources], {
      usage: journal.usage,
      ...journal.callFinished(call.call_id),
    });
    durable.catch(() => undefined);
    const [output] = items;
    if (output?.type === "function_call_output") {
      options.emit({ type: "tool-call-finished", runId: journal.runId, call, output });
    }
  });
  return waiting ? "awaiting_approval" : "done";
}

/**
 * What a valid call waits for before its tool runs. A call with no effect on the world (effects
 * "none" or "read") starts at once, even before the turn that asked for it is committed: a crash
 * then repeats the turn and the call, which changes nothing. Any other call waits until the log
 * up to it is durable, so a run taken over meanwhile (see the owner fence) cannot make it happen
 * twice; and a call whose tool does not declare repeating safe is first recorded as in flight, in
 * the same commit, so after a crash it is reported as of unknown outcome instead of run again.
 */
async function startGate(journal: RunJournal, call: FunctionCallItem, tool: AnyTool): Promise<void> {
  if (tool.effects === "none" || tool.effects === "read") return;
  if (repeatingIsSafe(tool)) await journal.committed();
  else await journal.markCallStarted(call.call_id);
}

/**
 * A call that was in flight when the run's process stopped, whose tool does not declare repeating
 * safe: it is not run again, and the model is told its outcome is unknown.
 */
async function recordUnknownOutcome(journal: RunJournal, call: FunctionCallItem, options: ToolBatchOptions): Promise<void> {
  const text =
    `The process running this call to "${call.name}" stopped (it crashed or was killed) before the call's result was recorded. ` +
    "The call may have run completely, partly or not at all: its effects are unknown. It was not run again. " +
    "Check whether it took effect (for example, look at the files or state it would have changed) before you repeat it.";
  const [output] = await journal.append(
    [{ type: "function_call_output", call_id: call.call_id, output: text, error_kind: "unknown_outcome" }],
    journal.callFinished(call.call_id),
  );
  if (output?.type === "function_call_output") options.emit({ type: "tool-call-finished", runId: journal.runId, call, output });
}

function approvalRequestFor(call: FunctionCallItem): NewItem {
  return { type: "approval_request", call_id: call.call_id, name: call.name, arguments: call.arguments };
}

async function recordOutput(journal: RunJournal, call: FunctionCallItem, text: string, errorKind: "denied" | "cancelled"): Promise<void> {
  await journal.append([{ type: "function_call_output", call_id: call.call_id, output: text, error_kind: errorKind }]);
}

async function runConcurrently<T>(values: T[], limit: number, work: (value: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(Math.max(1, limit), values.length) }, async () => {
    while (next < values.length) await work(values[next++] as T);
  });
  await Promise.all(workers);
}

/**
 * The citation ledger: each source read becomes a `source` item, its text kept beside the
 * workspace (where sandboxed code cannot rewrite it). A source already in the ledger with the
 * same text is not recorded twice.
 */
async function recordSources(journal: RunJournal, call: FunctionCallItem, sources: ToolSource[], workspace: string): Promise<NewItem[]> {
  if (sources.length === 0) return [];
  const known = new Set(journal.items.flatMap((item) => (item.type === "source" ? [`${item.source_id}:${item.content_hash}`] : [])));
  const directory = join(dirname(workspace), "sources");
  const items: NewItem[] = [];
  for (const source of sources) {
    const contentHash = contentHashOf(source.text);
    const key = `${source.sourceId}:${contentHash}`;
    if (known.has(key)) continue;
    known.add(key);
    await mkdir(directory, { recursive: true });
    const textPath = join(directory, `${source.sourceId}-${contentHash.slice(0, 8)}.txt`);
    await writeFile(textPath, source.text);
    items.push({
      type: "source",
      source_id: source.sourceId,
      call_id: call.call_id,
      url: source.url,
      title: source.title,
      fetched_at: new Date().toISOString(),
      content_hash: contentHash,
      media_type: source.mediaType,
      text_path: textPath,
    });
  }
  return items;
}
