// The local search index on 10,000 generated documents (1-2 KB each, words drawn from a
// Zipf-distributed vocabulary like real prose): documents indexed per second, the size and
// load time of the index, query latency (p50/p95, snippets included), and how long an update
// takes when nothing or one file changed. Timings include the machine's other load: run it alone.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readIndexState } from "../src/tools/web/search/local/index-file.js";
import { loadIndex } from "../src/tools/web/search/local/index-reader.js";
import { searchIndexState } from "../src/tools/web/search/local/index-search.js";
import { addFolders, updateFolders } from "../src/tools/web/search/local/local-index.js";
import { formatMs, median, percentile } from "./statistics.js";

const documentCount = 10_000;
const queryCount = 300;

/** A small deterministic generator, so every run indexes the same corpus. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function vocabulary(random: () => number, size: number): string[] {
  const syllables = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ra",
    "to",
    "su",
    "vi",
    "den",
    "mar",
    "tal",
    "qui",
    "bro",
    "sel",
    "gan",
    "pho",
    "ter",
    "ix",
    "ul",
    "or",
  ];
  const words = new Set<string>();
  while (words.size < size) {
    const length = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length }, () => syllables[Math.floor(random() * syllables.length)]).join(""));
  }
  return [...words];
}

/** Picks index i with probability proportional to 1/(i+1): a few common words, a long tail. */
function zipfPicker(random: () => number, size: number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= size; rank++) cumulative.push((total += 1 / rank));
  return () => {
    const target = random() * total;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

function generateCorpus(folder: string): string[] {
  const random = seededRandom(42);
  const words = vocabulary(random, 20_000);
  const pick = zipfPicker(random, words.length);
  const word = () => words[pick()] as string;
  for (let index = 0; index < documentCount; index++) {
    const title = `${word()} ${word()} ${word()}`;
    const paragraphs: string[] = [];
    const target = 1024 + Math.floor(random() * 1024);
    let length = 0;
    while (length < target) {
      const sentence = Array.from({ length: 6 + Math.floor(random() * 12) }, word).join(" ");
      paragraphs.push(`${sentence[0]?.toUpperCase()}${sentence.slice(1)}.`);
      length += sentence.length + 2;
    }
    const extension = index % 3 === 0 ? "txt" : "md";
    const body = extension === "md" ? `# ${title}\n\n${paragraphs.join(" ")}\n` : `${paragraphs.join(" ")}\n`;
    writeFileSync(join(folder, `document-${String(index).padStart(5, "0")}.${extension}`), body);
  }
  return Array.from({ length: queryCount }, () =>
    Array.from({ length: 1 + Math.floor(random() * 3) }, () => words[Math.floor(random() * 3000)] as string).join(" "),
  );
}

async function time<T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

export async function benchLocalIndex(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "ponder-bench-index-"));
  try {
    const folder = join(root, "documents");
    const directory = join(root, "index");
    mkdirSync(folder);
    const queries = generateCorpus(folder);

    console.log(`local index: ${documentCount.toLocaleString("en-US")} generated documents (1-2 KB each)`);
    const added = await time(() => addFolders(directory, [folder]));
    console.log(
      `  index from scratch      ${(added.ms / 1000).toFixed(2)} s   ${Math.round(documentCount / (added.ms / 1000)).toLocaleString("en-US")} documents/s`,
    );
    const indexBytes = statSync(join(directory, "index.json")).size;
    const loaded = await time(() => readIndexState(directory));
    console.log(
      `  index.json              ${(indexBytes / 1024 / 1024).toFixed(1)} MB, loads in ${formatMs(loaded.ms)} (${(added.ms / loaded.ms).toFixed(0)}x faster than indexing again)`,
    );

    const state = loaded.value;
    const latencies: number[] = [];
    let hits = 0;
    for (const query of queries) {
      const searched = await time(() => searchIndexState(directory, state, query, 5));
      latencies.push(searched.ms);
      hits += searched.value.length;
    }
    console.log(
      `  query (${queryCount}, 1-3 words)   p50 ${formatMs(median(latencies))}   p95 ${formatMs(percentile(latencies, 0.95))}   ${(hits / queryCount).toFixed(1)} hits each`,
    );

    // What a search pays to refresh a stale index: the loaded index is compared with the disk.
    await loadIndex(directory);
    const unchanged = await time(() => updateFolders(directory));
    console.log(`  update, nothing changed ${formatMs(unchanged.ms)} (index already loaded, as in a run)`);
    writeFileSync(join(folder, "document-00001.md"), "# Changed\n\nA completely new text about lighthouses.\n");
    const oneChanged = await time(() => updateFolders(directory));
    console.log(`  update, one file changed ${formatMs(oneChanged.ms)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
