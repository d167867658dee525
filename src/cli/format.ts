import type { Usage } from "../core/budget.js";

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)}s`;
  const minutes = Math.floor(milliseconds / 60_000);
  return `${minutes}m${Math.round((milliseconds % 60_000) / 1000)}s`;
}

export function formatTokens(count: number): string {
  return count.toLocaleString("en-US");
}

export function formatCost(usage: Usage): string {
  if (!usage.costKnown) return "cost unknown";
  return `$${usage.costUsd < 0.01 ? usage.costUsd.toFixed(4) : usage.costUsd.toFixed(2)}`;
}

export function formatUsage(usage: Usage): string {
  const tokens = usage.inputTokens + usage.outputTokens;
  return `${usage.steps} step${usage.steps === 1 ? "" : "s"} · ${usage.toolCalls} tool call${usage.toolCalls === 1 ? "" : "s"} · ${formatTokens(tokens)} tokens · ${formatCost(usage)}`;
}

/** One line, at most `width` characters, with an ellipsis where it was cut. */
export function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 1))}…`;
}

export const style = {
  enabled: false,
  wrap(code: string, text: string): string {
    return this.enabled ? `\x1b[${code}m${text}\x1b[0m` : text;
  },
  dim(text: string) {
    return style.wrap("2", text);
  },
  bold(text: string) {
    return style.wrap("1", text);
  },
  green(text: string) {
    return style.wrap("32", text);
  },
  red(text: string) {
    return style.wrap("31", text);
  },
  yellow(text: string) {
    return style.wrap("33", text);
  },
  cyan(text: string) {
    return style.wrap("36", text);
  },
};
