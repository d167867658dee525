import type { Item } from "../api/api-types.js";
import { formatTokens } from "../format/format-values.js";
import { GenericItem } from "./generic-item.js";

type CompactionItem = Extract<Item, { type: "compaction" }>;

const titles: Record<CompactionItem["tier"], string> = {
  stub: "Context compacted: old tool outputs replaced by references",
  summary: "Context compacted: earlier turns summarised",
  truncation: "Context compacted: earlier turns cut",
};

/** Where the context manager made room: what the model reads instead of what was there, and how much it saved. */
export function CompactionView({ item }: { item: CompactionItem }) {
  const saved = `${formatTokens(item.tokens_before)} → ${formatTokens(item.tokens_after)} tokens`;
  return <GenericItem item={item} title={titles[item.tier] ?? "Context compacted"} detail={saved} />;
}
