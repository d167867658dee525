import { MarkdownText } from "./markdown-text.js";

/** Fields that hold an item's readable text, in the order they are looked for. */
const textFields = ["text", "summary", "content", "output", "message"];

/**
 * An item of a type this page has no drawing for (added to Ponder after it): its type as a
 * title and its readable text in Markdown, folded when long, so nothing the run did is hidden.
 */
export function GenericItem({ item, title, detail }: { item: object; title?: string; detail?: string }) {
  const fields = item as Record<string, unknown>;
  const type = typeof fields.type === "string" ? fields.type : "item";
  const text = textOf(fields);
  return (
    <div className={`generic-item item-${type.replace(/[^\w-]/g, "")}`}>
      <details className="foldable" open={text.length < 400}>
        <summary>
          <span className="role">{title ?? type.replace(/_/g, " ")}</span>
          {detail && <span className="muted"> {detail}</span>}
          {text.length >= 400 && <span className="muted"> · {text.length.toLocaleString()} characters</span>}
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
