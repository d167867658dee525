import type { StepUsageJson, StoredItemJson } from "../api/api-types.js";
import { formatCost, formatDuration, formatTokens } from "../format/format-values.js";
import type { CallState } from "./timeline-item.js";

/**
 * "Step 3 · 4s · 1.2k tokens": the step's model turn and tool calls timed, and its model turn's
 * tokens (in / out on hover, with the cost). Steps with no model turn (the start) show no usage.
 */
export function StepHeading({
  step,
  usage,
  entries,
  calls,
}: {
  step: number;
  usage: StepUsageJson | undefined;
  entries: StoredItemJson[];
  calls: Map<string, CallState>;
}) {
  const toolMs = entries.reduce((sum, { item }) => {
    const output = item.type === "function_call" ? calls.get(item.call_id)?.output : undefined;
    return sum + (output?.duration_ms ?? 0);
  }, 0);
  const totalMs = (usage?.duration_ms ?? 0) + toolMs;
  const tokens = usage ? usage.input_tokens + usage.output_tokens : 0;
  const detail = usage
    ? `model ${formatDuration(usage.duration_ms)}, tools ${formatDuration(toolMs)}; ${usage.input_tokens} tokens in, ${usage.output_tokens} out` +
      `${usage.reasoning_tokens ? ` (${usage.reasoning_tokens} reasoning)` : ""}${usage.cost_usd > 0 ? `, ${formatCost(usage.cost_usd, true)}` : ""}`
    : undefined;
  return (
    <h2 className="step-heading">
      <span>{step === 0 ? "Start" : `Step ${step}`}</span>
      {(usage || toolMs > 0) && (
        <span className="step-usage muted" title={detail}>
          {formatDuration(totalMs)}
          {usage && ` · ${formatTokens(tokens)} tokens`}
        </span>
      )}
    </h2>
  );
}
