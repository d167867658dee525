// Anthropic's prompt cache as its documentation describes it, for the fake Messages server: a
// request's prefix (tools, then system, then message blocks) is written to the cache at each
// block marked with `cache_control`, and a later request reads the longest cached prefix that
// ends at one of its own breakpoints or up to 20 blocks before one. So a test sees cached tokens
// only when the harness really placed breakpoints where the next step can reuse them.
import { createHash } from "node:crypto";
import type { RequestBody } from "./fake-openai-server.js";

export type PromptCacheUsage = { inputTokens: number; cachedInputTokens: number; cacheWriteInputTokens: number; breakpoints: number[] };

/** Blocks looked back from a breakpoint for an earlier cache entry (Anthropic: about 20). */
const lookback = 20;

export class FakePromptCache {
  private readonly written = new Set<string>();

  /** Reads and writes the cache for one request: its input tokens, the parts read from and written to the cache, and its breakpoints (block indexes). */
  use(body: RequestBody): PromptCacheUsage {
    const blocks = prefixBlocks(body);
    const keys: string[] = [];
    const tokens: number[] = [];
    let hash = createHash("sha256");
    let total = 0;
    const breakpoints: number[] = [];
    blocks.forEach((block, index) => {
      const { cache_control: cacheControl, ...content } = block;
      const text = JSON.stringify(content);
      hash = hash.copy().update(text);
      keys.push(hash.copy().digest("hex"));
      total += Math.ceil(text.length / 4);
      tokens.push(total);
      if (cacheControl !== undefined) breakpoints.push(index);
    });
    let cached = 0;
    for (const at of breakpoints) {
      for (let index = at; index >= Math.max(0, at - lookback); index--) {
        if (this.written.has(keys[index] as string)) {
          cached = Math.max(cached, tokens[index] as number);
          break;
        }
      }
    }
    for (const at of breakpoints) this.written.add(keys[at] as string);
    const lastBreakpoint = breakpoints.at(-1);
    const written = lastBreakpoint === undefined ? 0 : Math.max(0, (tokens[lastBreakpoint] as number) - cached);
    return { inputTokens: total, cachedInputTokens: cached, cacheWriteInputTokens: written, breakpoints };
  }
}

type Block = Record<string, unknown> & { cache_control?: unknown };

/** The request's cacheable prefix in Anthropic's order: tools, system, then every message's blocks. */
export function prefixBlocks(body: RequestBody): Block[] {
  const asBlocks = (content: unknown, role?: string): Block[] =>
    (typeof content === "string" ? [{ type: "text", text: content }] : ((content ?? []) as Block[])).map((block) =>
      role === undefined ? block : { role, ...block },
    );
  return [
    ...((body.tools ?? []) as Block[]),
    ...asBlocks(body.system),
    ...((body.messages ?? []) as { role: string; content: unknown }[]).flatMap((message) => asBlocks(message.content, message.role)),
  ];
}
