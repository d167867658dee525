// Listing runs at scale: the store with a history of 100,000 runs against the same store with
// 1 run, both measured in this run, operation by operation in turns (the machine's drift falls on
// both alike). Operations: the newest 20 runs, the newest 20 top-level runs, the newest 20 with a
// status, a parent's children, and showing one run (its record and items); then
// `GET /v1/runs?limit=20` through `ponder serve` (one server per store, each in its own process).
// SQLite (the default) and PostgreSQL. Target: every listing at 100,000 runs within 2× of 1 run.
// A list of 20 decodes 20 records where the 1-run store's decodes one, so a third store is
// measured too: just the runs the large store's lists return (~80), where every list gives the
// very same page. Against it, what is left is what the history itself costs.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { emptyUsage } from "../src/core/budget.js";
import { runSchemaVersion, type RunRecord, type RunStatus } from "../src/core/run.js";
import { PostgresRunStore } from "../src/store/postgres-run-store.js";
import type { RunStore } from "../src/store/run-store.js";
import { SqliteRunStore } from "../src/store/sqlite-run-store.js";
import { temporarySchema, testDatabaseUrl } from "../test/store/contract-postgres-schema.js";
import { recordRatio } from "./ratio-summary.js";
import { formatMs, median } from "./statistics.js";

const historySize = 100_000;
const rounds = 200;
const serverRequests = 300;
/** Every fifth run is a child of the run before it (a strategy's sample). */
const childEvery = 5;
const started = Date.parse("2026-01-01T00:00:00.000Z");

function historicRun(index: number, status: RunStatus, parentId?: string): RunRecord {
  const createdAt = new Date(started + index * 1000).toISOString();
  return {
    schemaVersion: runSchemaVersion,
    id: `run_history_${String(index).padStart(7, "0")}`,
    ...(parentId ? { parentId } : {}),
    status,
    spec: { model: "openai:gpt-4o-mini", input: `Question number ${index}: what is ${index} + 1?`, effort: "low", budget: {}, tools: [] },
    createdAt,
    updatedAt: createdAt,
    ...(status === "completed" ? { finishedAt: createdAt, result: { answer: String(index + 1), stopReason: "answered" } } : {}),
    usage: emptyUsage(),
  };
}

/** The history: mostly completed runs, a few failed, the newest few still running. */
function history(size: number): RunRecord[] {
  return Array.from({ length: size }, (_, index) => {
    const status: RunStatus = index >= size - 3 ? "running" : index % 97 === 0 ? "failed" : "completed";
    const parent = index % childEvery === childEvery - 1 ? `run_history_${String(index - 1).padStart(7, "0")}` : undefined;
    return historicRun(index, status, parent);
  });
}

async function fill(store: RunStore, records: RunRecord[]): Promise<void> {
  for (let index = 0; index < records.length; index += 5000)
    await Promise.all(records.slice(index, index + 5000).map((record) => store.createRun(record)));
  const shown = records.at(-1) as RunRecord;
  await store.appendItems(shown.id, 0, [
    { id: "msg_history", type: "message", role: "user", content: [{ type: "input_text", text: "hello" }] },
  ]);
}

type Operation = { name: string; run: (store: RunStore, newest: RunRecord) => Promise<unknown> };

const operations: Operation[] = [
  { name: "list (newest 20)", run: (store) => store.listRuns({ limit: 20 }) },
  { name: "top-level list", run: (store) => store.listRuns({ limit: 20, topLevel: true }) },
  { name: "by status (failed)", run: (store) => store.listRuns({ limit: 20, status: "failed" }) },
  { name: "by parent", run: (store, newest) => store.listRuns({ limit: 20, parentId: newest.id }) },
  { name: "show (record + items)", run: (store, newest) => Promise.all([store.getRun(newest.id), store.listItems(newest.id)]) },
];

type Stores = { small: RunStore; page: RunStore; large: RunStore };
type Newest = { small: RunRecord; large: RunRecord };

/** The runs every operation returns from the large store, with the shown run's items: the page store's content. */
async function pageRuns(large: RunStore, newest: RunRecord): Promise<RunRecord[]> {
  const pages = await Promise.all(operations.slice(0, 4).map((operation) => operation.run(large, newest) as Promise<RunRecord[]>));
  const byId = new Map(pages.flat().map((record) => [record.id, record]));
  byId.set(newest.id, newest);
  return [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

async function timeOperations(label: string, stores: Stores, newest: Newest): Promise<void> {
  process.stdout.write(`${label}: p50 of ${rounds}, the three stores taking turns\n`);
  for (const operation of operations) {
    const times = { small: [] as number[], page: [] as number[], large: [] as number[] };
    for (let round = 0; round < rounds + 20; round++) {
      for (const size of ["small", "page", "large"] as const) {
        const begun = performance.now();
        await operation.run(stores[size], size === "small" ? newest.small : newest.large);
        if (round >= 20) times[size].push(performance.now() - begun);
      }
    }
    const ratio = median(times.large) / median(times.small);
    const pageRatio = median(times.large) / median(times.page);
    process.stdout.write(
      `  ${operation.name.padEnd(24)} 1 run ${formatMs(median(times.small))}   the page alone ${formatMs(median(times.page))}   ${historySize.toLocaleString("en")} runs ${formatMs(median(times.large))}   ${ratio.toFixed(2)}× 1 run (target ≤ 2×), ${pageRatio.toFixed(2)}× the page alone\n`,
    );
    recordRatio(`${label} ${operation.name}: 100,000 runs / 1 run`, ratio, "≤ 2×");
    recordRatio(`${label} ${operation.name}: 100,000 runs / the page alone`, pageRatio);
  }
}

async function serve(home: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [new URL("../src/cli/main.js", import.meta.url).pathname, "serve", "--port", "0"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, PONDER_HOME: home, OPENAI_API_KEY: "bench", PONDER_MODEL: "openai:gpt-4o-mini" },
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) => {
      const match = /serving on (\S+)\/v1/.exec(line);
      if (match) resolve(match[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`ponder serve exited with ${code}`)));
  });
  return { url, child };
}

async function timeServers(smallHome: string, largeHome: string): Promise<void> {
  const small = await serve(smallHome);
  const large = await serve(largeHome);
  try {
    const times = { small: [] as number[], large: [] as number[] };
    for (let request = 0; request < serverRequests + 30; request++) {
      for (const [size, server] of [
        ["small", small],
        ["large", large],
      ] as const) {
        const begun = performance.now();
        const response = await fetch(`${server.url}/v1/runs?limit=20`);
        if (!response.ok) throw new Error(`GET /v1/runs: HTTP ${response.status}`);
        await response.json();
        if (request >= 30) times[size].push(performance.now() - begun);
      }
    }
    const ratio = median(times.large) / median(times.small);
    process.stdout.write(
      `  GET /v1/runs?limit=20 (ponder serve, SQLite)  1 run p50 ${formatMs(median(times.small))}   ${historySize.toLocaleString("en")} runs p50 ${formatMs(median(times.large))}   ${ratio.toFixed(2)}× (target ≤ 2×)\n`,
    );
    recordRatio("server GET /v1/runs?limit=20 p50: 100,000 runs / 1 run", ratio, "≤ 2×");
  } finally {
    small.child.kill("SIGTERM");
    large.child.kill("SIGTERM");
  }
}

export async function benchRunHistory(): Promise<void> {
  const smallHome = mkdtempSync(join(tmpdir(), "ponder-bench-history-1-"));
  const pageHome = mkdtempSync(join(tmpdir(), "ponder-bench-history-page-"));
  const largeHome = mkdtempSync(join(tmpdir(), "ponder-bench-history-100k-"));
  const smallSchema = temporarySchema("ponder_bench_history_small");
  const pageSchema = temporarySchema("ponder_bench_history_page");
  const largeSchema = temporarySchema("ponder_bench_history_large");
  const records = history(historySize);
  const single = history(1);
  process.stdout.write(`\n# Run history: ${historySize.toLocaleString("en")} runs against 1 run\n`);
  try {
    const newest = { small: single.at(-1) as RunRecord, large: records.at(-1) as RunRecord };
    const small = new SqliteRunStore(join(smallHome, "ponder.db"));
    const page = new SqliteRunStore(join(pageHome, "ponder.db"));
    const large = new SqliteRunStore(join(largeHome, "ponder.db"));
    await fill(small, single);
    await fill(large, records);
    await fill(page, await pageRuns(large, newest.large));
    await timeOperations("SQLite", { small, page, large }, newest);
    await small.close();
    await page.close();
    await large.close();
    await timeServers(smallHome, largeHome);
    const smallPostgres = new PostgresRunStore({ url: testDatabaseUrl, schema: smallSchema.name });
    const pagePostgres = new PostgresRunStore({ url: testDatabaseUrl, schema: pageSchema.name });
    const largePostgres = new PostgresRunStore({ url: testDatabaseUrl, schema: largeSchema.name });
    try {
      await fill(smallPostgres, single);
      await fill(largePostgres, records);
      await fill(pagePostgres, await pageRuns(largePostgres, newest.large));
      await largePostgres.connection.query(`ANALYZE ${largePostgres.connection.table("runs")}`);
      await timeOperations("PostgreSQL", { small: smallPostgres, page: pagePostgres, large: largePostgres }, newest);
    } finally {
      await smallPostgres.close();
      await pagePostgres.close();
      await largePostgres.close();
    }
  } finally {
    rmSync(smallHome, { recursive: true, force: true });
    rmSync(pageHome, { recursive: true, force: true });
    rmSync(largeHome, { recursive: true, force: true });
    await smallSchema.drop();
    await pageSchema.drop();
    await largeSchema.drop();
  }
}
