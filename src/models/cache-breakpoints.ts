// Anthropic caches a prompt's prefix only up to explicit `cache_control` breakpoints (at most
// four per request), and a later request reads the cache only where its prefix is identical up
// to a breakpoint of an earlier one. Ponder's prompts only grow between steps (until a
// compaction), so three breakpoints make every step reuse the previous one's cache:
// - the end of the instructions: tools and system text, the same in every step and every turn;
// - the end of the previous request: the last user-side message before the model's last turn,
//   which that request marked and so wrote to the cache, read back here whole;
// - the end of this request: written now, for the next step to read.
// Breakpoints are put on whole messages; the provider package puts them on their last block.

import type { LanguageModelV3Message, LanguageModelV3Prompt } from "@ai-sdk/provider";

const breakpoint = { anthropic: { cacheControl: { type: "ephemeral" } } };

/** The prompt with cache breakpoints on the messages that end its stable parts (see above). */
export function withCacheBreakpoints(prompt: LanguageModelV3Prompt): LanguageModelV3Prompt {
  const indexes = breakpointIndexes(prompt);
  return prompt.map((message, index) => (indexes.has(index) ? marked(message) : message));
}

/** Where the breakpoints go: indexes of the last leading system message and of the last two request ends. */
export function breakpointIndexes(prompt: LanguageModelV3Prompt): Set<number> {
  const indexes = new Set<number>();
  let leadingSystem = -1;
  while (prompt[leadingSystem + 1]?.role === "system") leadingSystem++;
  if (leadingSystem >= 0) indexes.add(leadingSystem);
  // A request ends with a user-side message (user or tool results) that the model then answered,
  // or that is the prompt's last message.
  const ends: number[] = [];
  prompt.forEach((message, index) => {
    const userSide = message.role === "user" || message.role === "tool";
    if (userSide && (index === prompt.length - 1 || prompt[index + 1]?.role === "assistant")) ends.push(index);
  });
  for (const index of ends.slice(-2)) indexes.add(index);
  return indexes;
}

function marked(message: LanguageModelV3Message): LanguageModelV3Message {
  const anthropic = { ...(message.providerOptions?.anthropic ?? {}), ...breakpoint.anthropic };
  return { ...message, providerOptions: { ...message.providerOptions, anthropic } } as LanguageModelV3Message;
}
