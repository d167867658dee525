// Runs benchmarks one after another, each in a child process of its own, so one that fails (a
// thrown error, a socket error nobody caught, a crash) is reported and the others still run.
// Each child is the leader of its own process group: when it ends, whatever it started and left
// behind (fake servers, workers) is ended with it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { summaryFileVariable, type RecordedRatio } from "./ratio-summary.js";

export type IsolatedBenchmark = { name: string; command: string; args: string[] };

export type BenchmarkOutcome = {
  name: string;
  /** `ok`, or why not: the exit code or signal. */
  result: string;
  seconds: number;
  ratios: RecordedRatio[];
};

export async function runIsolated(list: IsolatedBenchmark[]): Promise<BenchmarkOutcome[]> {
  const directory = mkdtempSync(join(tmpdir(), "ponder-bench-summary-"));
  const outcomes: BenchmarkOutcome[] = [];
  try {
    for (const [index, benchmark] of list.entries()) {
      const summaryFile = join(directory, `${index}.jsonl`);
      const started = performance.now();
      const result = await runChild(benchmark, summaryFile);
      outcomes.push({ name: benchmark.name, result, seconds: (performance.now() - started) / 1000, ratios: readRatios(summaryFile) });
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return outcomes;
}

function runChild(benchmark: IsolatedBenchmark, summaryFile: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(benchmark.command, benchmark.args, {
      stdio: "inherit",
      detached: true,
      env: { ...process.env, [summaryFileVariable]: summaryFile },
    });
    // Ctrl-C on `npm run bench` reaches this process only (the child has its own group): pass it on.
    const stop = () => killGroup(child.pid);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    child.once("error", (error) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(`could not start: ${error.message}`);
    });
    child.once("exit", (code, signal) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      killGroup(child.pid);
      resolve(code === 0 ? "ok" : signal ? `killed by ${signal}` : `failed (exit ${code})`);
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    // The group is already gone.
  }
}

function readRatios(file: string): RecordedRatio[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as RecordedRatio);
}

/** The table printed at the end: each benchmark's result and the ratios it recorded. */
export function summaryTable(outcomes: BenchmarkOutcome[]): string {
  const rows: string[][] = [];
  for (const outcome of outcomes) {
    const head = [outcome.name, outcome.result, `${outcome.seconds.toFixed(0)} s`];
    if (outcome.ratios.length === 0) rows.push([...head, "", "", ""]);
    outcome.ratios.forEach((ratio, index) =>
      rows.push([...(index === 0 ? head : ["", "", ""]), ratio.label, `${ratio.ratio.toFixed(2)}×`, ratio.target ?? ""]),
    );
  }
  const header = ["benchmark", "result", "time", "ratio", "value", "target"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] as number))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}
