// One run's items as compact HTML for the report's drill-down: what the model thought, which
// tools it called with what, what came back (infra errors marked), and what it answered.
import { messageText, outputText, type Item } from "../../core/items.js";
import { escapeHtml } from "./html-escape.js";

const maxTextLength = 2000;

export function trajectoryHtml(items: readonly Item[]): string {
  if (items.length === 0) return `<p class="muted">No items stored for this run.</p>`;
  return `<ol class="trajectory">${items.map((item) => `<li class="item ${item.type}">${itemHtml(item)}</li>`).join("")}</ol>`;
}

function itemHtml(item: Item): string {
  switch (item.type) {
    case "message":
      return `<b>${item.role}</b> ${text(messageText(item))}`;
    case "reasoning":
      return `<b>reasoning</b> ${text([...item.summary.map((part) => part.text), ...(item.content ?? []).map((part) => part.text)].join("\n"))}`;
    case "function_call":
      return `<b>call ${escapeHtml(item.name)}</b> <code>${escapeHtml(clip(item.arguments))}</code>`;
    case "function_call_output":
      return `<b>output</b>${item.error_kind ? ` <span class="error-kind ${item.error_kind === "infra_error" ? "infra" : ""}">${item.error_kind}</span>` : ""} ${text(outputText(item.output))}`;
    case "note":
      return `<b>note</b> ${text(item.text)}`;
    case "compaction":
      return `<b>compaction (${item.tier})</b> ${text(item.text)}`;
    case "artifact":
      return `<b>artifact</b> ${escapeHtml(item.name)} (${escapeHtml(item.media_type)})`;
    case "source":
      return `<b>source</b> ${escapeHtml(item.title)} <code>${escapeHtml(item.url)}</code>`;
    default:
      return `<b>${escapeHtml(item.type)}</b>`;
  }
}

function text(value: string): string {
  return `<pre>${escapeHtml(clip(value))}</pre>`;
}

function clip(value: string): string {
  return value.length > maxTextLength ? `${value.slice(0, maxTextLength)}… (${value.length - maxTextLength} more characters)` : value;
}
