import type { ReasoningItem } from "../api/api-types.js";

/** The provider's reasoning summaries, and its raw reasoning (when it shares it) folded away. */
export function ReasoningView({ item }: { item: ReasoningItem }) {
  const summary = item.summary.map((part) => part.text).join("\n\n");
  const raw = (item.content ?? []).map((part) => part.text).join("\n\n");
  if (!summary && !raw) return null;
  return (
    <div className="reasoning">
      <span className="role">Reasoning</span>
      {summary && <p className="reasoning-text">{summary}</p>}
      {raw && (
        <details>
          <summary>Full reasoning</summary>
          <p className="reasoning-text">{raw}</p>
        </details>
      )}
    </div>
  );
}
