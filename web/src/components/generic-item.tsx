import { MarkdownText } from "./markdown-text.js";

/** Fields that hold an item's readable text, in the order they are looked for. */
const textFields = ["summary", "text", "content", "output", "message"];

const titles: Record<string, string> = { compaction: "Earlier turns, summarised" };

/**
 * An item of a type this page has no drawing for (added to Ponder after it): its type as a
 * title and its readable text in Markdown, folded when long, so nothing the run did is hidden.
 * A `compaction` (earlier turns summarised to save context) reads as such.
 */
export function GenericItem({ item }: { item: Record<string, unknown> }) {
  const type = typeof item.type === "string" ? item.type : "item";
  const text = textOf(item);
  const title = titles[type] ?? type.replace(/_/g, " ");
  return (
    <div className={`generic-item item-${type.replace(/[^\w-]/g, "")}`}>
      <details className="foldable" open={text.length < 400}>
        <summary>
          <span className="role">{title}</span>
          {text.length >= 400 && <span className="muted"> {text.length.toLocaleString()} characters</span>}
        </summary>
        {text ? <MarkdownText text={text} /> : <pre className="code">{JSON.stringify(item, null, 2)}</pre>}
      </details>
    </div>
  );
}

function textOf(item: Record<string, unknown>): string {
  for (const field of textFields) {
    const value = item[field];
    if (typeof value === "string" && value.trim()) return value;
    if (Array.isArray(value)) {
      const joined = value
        .map((part: unknown) =>
          typeof part === "string" ? part : typeof (part as { text?: unknown })?.text === "string" ? (part as { text: string }).text : "",
        )
        .filter(Boolean)
        .join("\n\n");
      if (joined.trim()) return joined;
    }
  }
  return "";
}
