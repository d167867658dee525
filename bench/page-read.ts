// read_page on a ~200 KB article from a local server: the whole read (fetch, Readability,
// Markdown, paging) against its parts — a bare fetch of the same bytes and the extraction alone —
// and a second page of an already-read article, which comes from the run's cache. The variants
// take turns within each round so that JIT warm-up and machine noise hit them alike.
import { extractText } from "../src/tools/documents/extract-text.js";
import { createReadPageTool } from "../src/tools/web/read/index.js";
import { readingToolContext } from "../test/tools/web-read/tool-context.js";
import { startTestSite } from "../test/tools/web-read/test-site.js";
import { formatMs, median, percentile } from "./statistics.js";

const reads = 50;
const warmupRounds = 5;

type Variant = { label: string; work: () => Promise<unknown>; times: number[] };

export async function benchPageRead(): Promise<void> {
  const site = await startTestSite();
  const url = `${site.baseURL}/bench-article`;
  const cached = await readingToolContext();
  try {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    console.log(`page read: a ${Math.round(bytes.byteLength / 1024)} KB article from a local server, ${reads} reads of each`);
    const tool = createReadPageTool();
    await tool.run({ url }, cached.context);
    const variants: Variant[] = [
      { label: "bare fetch (the floor)", work: async () => (await fetch(url)).arrayBuffer(), times: [] },
      { label: "extract only (Readability, Markdown)", work: () => extractText(bytes, "text/html; charset=utf-8", { url }), times: [] },
      {
        label: "read_page, new run each time",
        work: async () => {
          const { context, dispose } = await readingToolContext();
          try {
            return await tool.run({ url }, context);
          } finally {
            await dispose();
          }
        },
        times: [],
      },
      { label: "read_page page 2, from the run cache", work: () => tool.run({ url, page: 2 }, cached.context), times: [] },
    ];
    for (let round = 0; round < warmupRounds + reads; round++) {
      for (const variant of variants) {
        const started = performance.now();
        await variant.work();
        if (round >= warmupRounds) variant.times.push(performance.now() - started);
      }
    }
    for (const { label, times } of variants) {
      console.log(
        `  ${label.padEnd(40)} p50 ${formatMs(median(times)).padStart(10)}   p90 ${formatMs(percentile(times, 0.9)).padStart(10)}`,
      );
    }
    const [fetchOnly, extractOnly, fullRead] = variants.map((variant) => median(variant.times)) as [number, number, number];
    console.log(
      `  read_page p50 minus fetch and extract p50s: ${formatMs(fullRead - fetchOnly - extractOnly)} (paging, formatting, per-run cache)`,
    );
  } finally {
    await cached.dispose();
    await site.close();
  }
}
