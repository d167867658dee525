// Token counts before the provider has said any: about four characters a token for English and
// code, which tokenizers of current models agree on within a few percent. The context manager
// scales these by what the provider reported for earlier requests (see context-manager.ts).

import type { ContentPart, Item } from "../../core/items.js";
import type { ToolDefinition } from "../../models/model-client.js";

const charactersPerToken = 4;
/** Role markers and separators a provider adds around each message. */
const tokensPerItem = 4;
/** What providers charge for a mid-sized image (OpenAI's high-detail tile estimate is similar). */
const tokensPerImage = 800;

const itemTokens = new WeakMap<Item, number>();
/**
 * Characters of each tool definition's JSON, by parameters schema (shared by every run's tool
 * objects, see tool-definitions.ts): the same ~15 KB of schemas are measured before every turn
 * of every run. Name and description are checked because two tools may share one schema.
 */
const definitionCharacters = new WeakMap<
  ToolDefinition["inputSchema"],
  { name: string; description: string; strict?: boolean; characters: number }
>();

export function textTokens(text: string): number {
  return Math.ceil(text.length / charactersPerToken);
}

function partsTokens(parts: readonly ContentPart[]): number {
  return parts.reduce((sum, part) => sum + (part.type === "input_image" ? tokensPerImage : textTokens(part.text)), 0);
}

/** Tokens an item takes in a request; zero for Ponder's own items, which clients leave out. */
export function itemTokenEstimate(item: Item): number {
  const known = itemTokens.get(item);
  if (known !== undefined) return known;
  const tokens = uncachedItemTokens(item);
  itemTokens.set(item, tokens);
  return tokens;
}

function uncachedItemTokens(item: Item): number {
  switch (item.type) {
    case "message":
      return tokensPerItem + partsTokens(item.content);
    case "reasoning":
      return tokensPerItem + textTokens([...item.summary, ...(item.content ?? [])].map((part) => part.text).join(""));
    case "function_call":
      return tokensPerItem + textTokens(item.name + item.arguments + item.call_id);
    case "function_call_output":
      return tokensPerItem + (typeof item.output === "string" ? textTokens(item.output) : partsTokens(item.output));
    case "compaction":
      return tokensPerItem + textTokens(item.text);
    default:
      return 0;
  }
}

export function itemsTokenEstimate(items: readonly Item[]): number {
  return items.reduce((sum, item) => sum + itemTokenEstimate(item), 0);
}

/** Tokens the instructions and tool definitions take: the fixed part of every request. */
export function fixedTokenEstimate(instructions: string, tools: readonly ToolDefinition[]): number {
  if (tools.length === 0) return textTokens(instructions);
  // As long as JSON.stringify(tools): the brackets, a comma between two, and each definition.
  const characters = tools.reduce((sum, tool) => sum + toolCharacters(tool), 1 + tools.length);
  return textTokens(instructions) + Math.ceil(characters / charactersPerToken);
}

function toolCharacters(tool: ToolDefinition): number {
  const known = definitionCharacters.get(tool.inputSchema);
  if (known && known.name === tool.name && known.description === tool.description && known.strict === tool.strict) return known.characters;
  const characters = JSON.stringify(tool).length;
  definitionCharacters.set(tool.inputSchema, { name: tool.name, description: tool.description, strict: tool.strict, characters });
  return characters;
}
