import { RunNotFoundError } from "../../core/errors.js";
import { outputText, type Item } from "../../core/items.js";
import { ConfigError } from "../../core/errors.js";
import { outcomeMark, unknownOutcomeLabel } from "../call-outcome.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { formatDuration, formatUsage, oneLine, style } from "../format.js";
import { withStore } from "../open-store.js";
import { runAsJson } from "../run-json.js";
import { conversationLines } from "../conversation-lines.js";
import { runSummaryJson } from "../../library/run-summary.js";
import { showHelp } from "../help/show.js";
import type { RunStore } from "../../store/run-store.js";

export { showHelp } from "../help/show.js";

export async function showCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("show", args, { ...commonOptions, full: { type: "boolean" } });
  if (values.help) {
    process.stdout.write(`${showHelp}\n`);
    return 0;
  }
  const runId = positionals[0];
  if (!runId) throw new ConfigError("ponder show needs a run id.", "List runs with `ponder runs`.");
  return withStore({ home: values.home, configPath: values.config }, async (store) => {
    const record = await store.getRun(runId);
    if (!record) throw new RunNotFoundError(runId);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(await runAsJson(store, record), null, 2)}\n`);
      return 0;
    }
    style.enabled = process.stdout.isTTY === true;
    const summary = runSummaryJson(record);
    const width = values.full ? Number.POSITIVE_INFINITY : (process.stdout.columns ?? 100) - 8;
    const clip = (text: string) => (values.full ? text : oneLine(text, width));
    const lines = [
      `${style.bold(record.id)}  ${summary.interrupted ? style.yellow("interrupted") : record.status}  ${style.dim(record.spec.model)}  effort ${record.spec.effort}`,
      ...(await conversationLines(store, record, Number.isFinite(width) ? width : 200)),
      `${style.dim("question:")} ${summary.input}`,
      "",
    ];
    const stepUsage = new Map((await store.listSteps(runId)).map((usage) => [usage.step, usage]));
    let step = -1;
    for (const stored of await store.listItems(runId)) {
      if (stored.step !== step) {
        step = stored.step;
        const usage = stepUsage.get(step);
        const cost = usage
          ? ` · ${usage.inputTokens + usage.outputTokens} tokens · $${usage.costUsd.toFixed(4)} · ${formatDuration(usage.durationMs)}`
          : "";
        if (step > 0) lines.push(`${style.cyan(`step ${step}`)}${style.dim(cost)}`);
      }
      // The question is already printed above.
      const text = stored.seq === 0 ? undefined : describeItem(stored.item, clip);
      if (text) lines.push(`  ${text}`);
      // A call running when the process stopped, not yet resumed: resuming tells the model.
      if (summary.interrupted && stored.item.type === "function_call" && record.callsInFlight?.includes(stored.item.call_id)) {
        lines.push(`    ${style.yellow(`? ${unknownOutcomeLabel}; \`ponder resume\` tells the model to check before repeating it`)}`);
      }
    }
    lines.push(...(await childLines(store, record.id)));
    const cached = summary.cached_input_share;
    lines.push("", style.dim(`${formatUsage(record.usage)}${cached ? ` · ${Math.round(cached * 100)}% of input cached` : ""}`));
    if (record.result?.budgetExhausted) lines.push(style.yellow(`budget reached: ${record.result.budgetExhausted}`));
    if (record.error) lines.push(style.red(`error: ${record.error.message}`));
    if (record.result?.answer) lines.push("", style.bold("answer:"), record.result.answer);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  });
}

/** How many children `ponder show` lists; `ponder runs --parent` pages through the rest. */
const shownChildren = 20;

/** A strategy's child runs (samples, judge, planner, readers, writer), which `ponder runs` leaves out by default. */
async function childLines(store: RunStore, runId: string): Promise<string[]> {
  const children = await store.listRuns({ parentId: runId, limit: shownChildren + 1 });
  if (children.length === 0) return [];
  const lines = ["", style.bold("child runs (newest first):")];
  for (const child of children.slice(0, shownChildren).map(runSummaryJson)) {
    const status = child.interrupted ? "interrupted" : child.status;
    const role = child.metadata.role;
    lines.push(`  ${child.id}  ${status.padEnd(17)}  ${role ? `${style.dim(role)} ` : ""}${oneLine(child.input, 60)}`);
  }
  if (children.length > shownChildren) lines.push(style.dim(`  more: ponder runs --parent ${runId}`));
  return lines;
}

function describeItem(item: Item, clip: (text: string) => string): string | undefined {
  switch (item.type) {
    case "message":
      if (item.role === "user")
        return style.dim(`user: ${clip(item.content.map((part) => ("text" in part ? part.text : "[image]")).join(""))}`);
      return `${style.green("answer")} ${clip(item.content.map((part) => ("text" in part ? part.text : "[image]")).join(""))}`;
    case "reasoning":
      return style.dim(`∴ ${clip([...item.summary, ...(item.content ?? [])].map((part) => part.text).join(" "))}`);
    case "function_call":
      return `▸ ${style.bold(item.name)} ${clip(item.arguments)} ${style.dim(item.call_id)}`;
    case "function_call_output":
      return `  ${outcomeMark(item.error_kind, outputText(item.output))} ${clip(outputText(item.output))}`;
    case "approval_request":
      return style.yellow(`? approval asked for ${item.name} (${item.call_id})`);
    case "approval_response":
      return style.yellow(`${item.approve ? "approved" : "denied"} ${item.call_id}${item.reason ? `: ${item.reason}` : ""}`);
    case "artifact":
      return `▣ ${item.name} ${style.dim(`${item.path} (${item.media_type}, ${item.bytes} bytes)`)}`;
    case "note":
      return style.yellow(`※ ${item.text}`);
    case "compaction":
      return style.dim(`⇲ context compacted (${item.tier}, ${item.tokens_before} → ${item.tokens_after} tokens): ${clip(item.text)}`);
  }
}
