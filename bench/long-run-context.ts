// A 500-step run in a 32K window with 4 KB tool outputs, against a fake model that refuses any
// request over its window (test/support/small-window-model.ts): with context management the run
// completes and every request fits; without it the same run fails when the history outgrows the
// window. Reports input tokens per step, total input tokens, compactions and the prefix reuse
// between compactions (what a provider's prompt cache can reuse).
//   node dist/bench/long-run-context.js [figure.svg]   (docs/long-run-context.svg is made this way)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import type { CompactionItem } from "../src/core/items.js";
import { startRun } from "../src/library/start-run.js";
import { SqliteRunStore } from "../src/store/sqlite-run-store.js";
import { defineTool } from "../src/tools/tool.js";
import { startFakeOpenAIServer, type RequestBody } from "../test/support/fake-openai-server.js";
import { filler, smallWindowModel } from "../test/support/small-window-model.js";
import { recordRatio } from "./ratio-summary.js";

const steps = 500;
const window = 32_768;
const outputBytes = 4_096;
const model = "openai:bench-32k";

const fetchPage = defineTool({
  name: "fetch_page",
  description: "Fetches one page of the archive.",
  parameters: z.object({ page: z.number().int().positive() }),
  effects: "none",
  run: async ({ page }) => ({
    content: `${page === 1 ? "the vault city is Lisbon. " : ""}${filler(page, outputBytes)}`.slice(0, outputBytes),
  }),
});

type Outcome = {
  status: string;
  error?: string;
  /** Tokens of each request of the run's own turns, in order. */
  turnTokens: number[];
  summaryCalls: number;
  totalInputTokens: number;
  overflows: number;
  compactions: Record<string, number>;
  /** Per step: the share of the request that repeats the previous request (undefined: a new prefix). */
  prefixShares: (number | undefined)[];
  answer?: string;
};

async function longRun(compaction: boolean): Promise<Outcome> {
  const inputs: string[][] = [];
  const fake = smallWindowModel(window, (text, step, body: RequestBody) => {
    inputs.push(((body.input ?? body.messages ?? []) as unknown[]).map((entry) => JSON.stringify(entry)));
    if (step <= steps) return { toolCalls: [{ name: "fetch_page", arguments: JSON.stringify({ page: step }) }] };
    return { text: text.includes("launch code is ZEBRA-41") && text.includes("vault city is Lisbon") ? "ZEBRA-41, Lisbon" : "lost" };
  });
  const server = await startFakeOpenAIServer(fake.handler);
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-long-run-"));
  const store = new SqliteRunStore(join(home, "ponder.db"));
  const configPath = join(home, "ponder.config.json");
  writeFileSync(configPath, JSON.stringify({ context: { compaction, models: { [model]: { contextWindow: window } } } }));
  try {
    const record = await (
      await startRun(
        "Remember: the launch code is ZEBRA-41. Read the archive page by page, then tell me the launch code and the vault city.",
        {
          model,
          tools: [fetchPage],
          store,
          home,
          configPath,
          budget: { maxSteps: steps + 10, maxToolCalls: steps + 10, maxTotalTokens: 1e9, maxCostUsd: 1e6, timeoutMs: 3_600_000 },
          stream: false,
          env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL },
        },
      )
    ).result;
    const items = (await store.listItems(record.id)).map((stored) => stored.item);
    const compactions: Record<string, number> = {};
    for (const item of items)
      if (item.type === "compaction") compactions[item.tier] = (compactions[(item as CompactionItem).tier] ?? 0) + 1;
    const accepted = fake.requests.filter((request) => request.tokens <= window);
    return {
      status: record.status,
      error: record.error?.message,
      answer: record.result?.answer,
      turnTokens: fake.requests.filter((request) => !request.summarising).map((request) => request.tokens),
      summaryCalls: fake.requests.filter((request) => request.summarising).length,
      totalInputTokens: accepted.reduce((sum, request) => sum + request.tokens, 0),
      overflows: fake.overflows,
      compactions,
      prefixShares: inputs.slice(1).map((input, index) => prefixShare(inputs[index] ?? [], input)),
    };
  } finally {
    await store.close();
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * How much of `current` repeats `previous` from its start: the share of its characters, or
 * undefined when `previous` is not a prefix of it (a compaction rewrote the context).
 */
function prefixShare(previous: string[], current: string[]): number | undefined {
  if (previous.some((entry, index) => current[index] !== entry)) return undefined;
  const size = (entries: string[]) => entries.reduce((sum, entry) => sum + entry.length, 0);
  return size(previous) / Math.max(1, size(current));
}

export async function benchLongRunContext(figurePath?: string): Promise<void> {
  const started = performance.now();
  const managed = await longRun(true);
  const managedMs = performance.now() - started;
  const unmanaged = await longRun(false);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  const steady = managed.prefixShares.filter((share): share is number => share !== undefined);
  // Without compaction each request is the whole history: what the 500 steps would have cost.
  const growth = (unmanaged.turnTokens.at(-2) ?? 0) - (unmanaged.turnTokens.at(-3) ?? 0);
  const projected = Array.from({ length: steps + 1 }, (_, step) => (unmanaged.turnTokens[0] ?? 0) + step * growth).reduce(
    (sum, tokens) => sum + tokens,
    0,
  );
  console.log(
    `\nLong run: ${steps} steps, ${window}-token window, ${outputBytes}-byte tool outputs, fake model refusing requests over its window`,
  );
  console.log(
    `with context management: ${managed.status} (${managed.answer ?? managed.error}) in ${(managedMs / 1000).toFixed(1)} s; ` +
      `requests over the window ${managed.overflows}; largest request ${Math.max(...managed.turnTokens)} tokens`,
  );
  console.log(
    `  input tokens per step: steps 1-100 mean ${Math.round(mean(managed.turnTokens.slice(0, 100)))}, steps 401-500 mean ${Math.round(mean(managed.turnTokens.slice(400, 500)))}; ` +
      `total ${managed.totalInputTokens} (${managed.summaryCalls} summarising calls included)`,
  );
  console.log(
    `  compactions: ${Object.entries(managed.compactions)
      .map(([tier, count]) => `${count} ${tier}`)
      .join(", ")}; prefix reuse between compactions: mean ${(mean(steady) * 100).toFixed(1)}% of each request ` +
      `(${managed.prefixShares.length - steady.length} of ${managed.prefixShares.length} steps started a new prefix)`,
  );
  console.log(
    `without: ${unmanaged.status} at step ${unmanaged.turnTokens.length} (${unmanaged.error?.slice(0, 90)}...); ` +
      `${unmanaged.totalInputTokens} input tokens until then; the whole ${steps} steps would have sent ~${Math.round(projected / 1e6)}M tokens ` +
      `(${(projected / managed.totalInputTokens).toFixed(1)}x the managed run), most requests far over the window`,
  );
  recordRatio("long run: input tokens without compaction (projected) / with", projected / managed.totalInputTokens);
  recordRatio("long run: prefix reuse between compactions", mean(steady), "≥ 0.8");
  if (managed.status !== "completed" || managed.overflows > 0)
    throw new Error(`the managed long run did not complete within the window: ${managed.error}`);
  if (figurePath) writeFileSync(figurePath, contextFigure(managed.turnTokens, unmanaged.turnTokens));
}

/** Tokens per request by step: with compaction (sawtooth under the window) and without (a line into the window). */
function contextFigure(managed: number[], unmanaged: number[]): string {
  const width = 640;
  const height = 340;
  const left = 64;
  const right = 170;
  const top = 20;
  const bottom = 46;
  const maxTokens = 40_000;
  const x = (step: number) => left + (step / steps) * (width - left - right);
  const y = (tokens: number) => top + (1 - Math.min(tokens, maxTokens) / maxTokens) * (height - top - bottom);
  const path = (values: number[]) =>
    values.map((tokens, index) => `${index === 0 ? "M" : "L"}${x(index + 1).toFixed(1)},${y(tokens).toFixed(1)}`).join(" ");
  const grid = [0, 10_000, 20_000, 30_000, 40_000]
    .map(
      (tokens) =>
        `<line x1="${left}" x2="${width - right}" y1="${y(tokens)}" y2="${y(tokens)}" stroke="#ddd"/><text x="${left - 8}" y="${y(tokens) + 4}" text-anchor="end">${tokens / 1000}K</text>`,
    )
    .join("");
  const ticks = [0, 100, 200, 300, 400, 500]
    .map((step) => `<text x="${x(step)}" y="${height - bottom + 18}" text-anchor="middle">${step}</text>`)
    .join("");
  const failedAt = unmanaged.length;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>${grid}${ticks}
<text x="${(left + width - right) / 2}" y="${height - 10}" text-anchor="middle">step</text>
<text transform="translate(16,${(top + height - bottom) / 2}) rotate(-90)" text-anchor="middle">input tokens per request</text>
<line x1="${left}" x2="${width - right}" y1="${y(window)}" y2="${y(window)}" stroke="#dc2626" stroke-dasharray="6,4"/>
<path d="${path(managed)}" fill="none" stroke="#2563eb" stroke-width="1.5"/>
<path d="${path(unmanaged)}" fill="none" stroke="#c2410c" stroke-width="2"/>
<circle cx="${x(failedAt)}" cy="${y(unmanaged.at(-1) ?? 0)}" r="4" fill="#c2410c"/>
<text x="${width - right + 10}" y="${y(window) + 4}" fill="#dc2626">window (32K)</text>
<text x="${width - right + 10}" y="${top + 100}" fill="#c2410c">without compaction:</text>
<text x="${width - right + 10}" y="${top + 116}" fill="#c2410c">fails at step ${failedAt}</text>
<text x="${width - right + 10}" y="${top + 150}" fill="#2563eb">with compaction:</text>
<text x="${width - right + 10}" y="${top + 166}" fill="#2563eb">completes ${steps} steps</text>
</svg>
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchLongRunContext(process.argv[2]);
