import { ConfigError, RunNotFoundError } from "../../core/errors.js";
import { outputText, type Item } from "../../core/items.js";
import type { RunRecord } from "../../core/run.js";
import { isInterrupted } from "../../library/run-liveness.js";
import { openQueueEnvironment } from "../../queue/queue-environment.js";
import type { RunStore } from "../../store/run-store.js";
import { outcomeMark } from "../call-outcome.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { exitCodeOf } from "../follow-run.js";
import { oneLine, style } from "../format.js";
import { watchHelp } from "../help/watch.js";

export { watchHelp } from "../help/watch.js";

/** Often enough to feel live; each poll is two indexed reads. */
const pollIntervalMs = 300;

export async function watchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("watch", args, commonOptions);
  if (values.help) {
    process.stdout.write(`${watchHelp}\n`);
    return 0;
  }
  const runId = positionals[0];
  if (!runId) throw new ConfigError("ponder watch needs a run id.", "List runs with `ponder runs`.");
  style.enabled = process.stderr.isTTY === true;
  const environment = openQueueEnvironment({ home: values.home, configPath: values.config }, process.env, process.cwd());
  const width = (process.stderr.columns ?? 100) - 4;
  try {
    let lastSeq = -1;
    let warnedInterrupted = false;
    let lastChildren = "";
    for (;;) {
      // The record is read before the items: items saved after a final status are then still printed.
      const record = await environment.store.getRun(runId);
      if (!record) throw new RunNotFoundError(runId);
      for (const stored of await environment.store.listItems(runId, lastSeq)) {
        lastSeq = stored.seq;
        if (values.json)
          process.stdout.write(`${JSON.stringify({ ...stored.item, seq: stored.seq, step: stored.step, created_at: stored.createdAt })}\n`);
        else {
          const line = describe(stored.item, width);
          if (line) process.stderr.write(`${style.dim(`[${stored.step}]`)} ${line}\n`);
        }
      }
      if (record.spec.strategy) {
        const children = await childrenLine(environment.store, record);
        if (children.text !== lastChildren) {
          lastChildren = children.text;
          if (values.json) process.stdout.write(`${JSON.stringify({ type: "children", ...children.counts })}\n`);
          else process.stderr.write(`${style.dim(`[${record.spec.strategy.name}]`)} ${children.text}\n`);
        }
      }
      if (isStopped(record)) return finish(record, values.json === true);
      if (isInterrupted(record) && !warnedInterrupted) {
        warnedInterrupted = true;
        process.stderr.write(
          style.yellow(
            `The process advancing ${runId} stopped. A worker picks it up again; without workers, continue it with \`ponder resume ${runId}\`.\n`,
          ),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  } finally {
    await environment.close();
  }
}

/** How a strategy's child runs stand: counts by status, as a line and as numbers. */
async function childrenLine(store: RunStore, record: RunRecord): Promise<{ text: string; counts: Record<string, number> }> {
  const counts: Record<string, number> = {};
  for (const child of await store.listRuns({ parentId: record.id, limit: 100_000 })) counts[child.status] = (counts[child.status] ?? 0) + 1;
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const parts = Object.entries(counts).map(([status, count]) => `${count} ${status}`);
  return { text: `${total} child run(s)${parts.length ? `: ${parts.join(", ")}` : ""}`, counts };
}

function isStopped(record: RunRecord): boolean {
  return (
    record.status === "completed" || record.status === "failed" || record.status === "cancelled" || record.status === "awaiting_approval"
  );
}

function finish(record: RunRecord, json: boolean): number {
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ id: record.id, status: record.status, answer: record.result?.answer ?? null, error: record.error ?? null, usage: record.usage })}\n`,
    );
  } else if (record.status === "completed") {
    process.stdout.write(`${record.result?.answer ?? ""}\n`);
  } else if (record.status === "awaiting_approval") {
    process.stderr.write(`Waiting for approval: \`ponder approve ${record.id}\` or \`ponder deny ${record.id}\`.\n`);
  } else {
    process.stderr.write(`${record.status}${record.error ? `: ${record.error.message}` : ""}\n`);
  }
  return exitCodeOf(record);
}

function describe(item: Item, width: number): string | undefined {
  const clip = (text: string) => oneLine(text, width);
  switch (item.type) {
    case "message":
      return `${item.role === "user" ? "user" : style.green("answer")}: ${clip(item.content.map((part) => ("text" in part ? part.text : "[image]")).join(""))}`;
    case "reasoning":
      return style.dim(`∴ ${clip([...item.summary, ...(item.content ?? [])].map((part) => part.text).join(" "))}`);
    case "function_call":
      return `▸ ${style.bold(item.name)} ${clip(item.arguments)}`;
    case "function_call_output":
      return `  ${outcomeMark(item.error_kind, outputText(item.output))} ${clip(outputText(item.output))}`;
    case "approval_request":
      return style.yellow(`? approval asked for ${item.name} (${item.call_id})`);
    case "approval_response":
      return style.yellow(`${item.approve ? "approved" : "denied"} ${item.call_id}`);
    case "artifact":
      return `▣ ${item.name} ${style.dim(item.path)}`;
    case "note":
      return style.yellow(`※ ${clip(item.text)}`);
    case "compaction":
      return style.dim(`⇲ context compacted (${item.tier}): ${clip(item.text)}`);
    case "source":
      return undefined;
  }
}
