// `npm run bench`: every benchmark, each in a process of its own (isolated-runner.ts), each
// printing its figures and ratios against peers measured in the same run; then a summary table
// of every benchmark's result and headline ratios. `npm run bench -- <name> [<name>...]` runs
// those only. Benchmarks are not tests: nothing here fails on a slow machine, but a benchmark
// that breaks makes the exit code 1 after the others have run.
import { benchmarks } from "./benchmark-list.js";
import { runIsolated, summaryTable } from "./isolated-runner.js";

const runOne = new URL("./run-one.js", import.meta.url).pathname;
const names = process.argv.slice(2);
const unknown = names.filter((name) => !benchmarks.some((benchmark) => benchmark.name === name));
if (unknown.length > 0) {
  process.stderr.write(`No benchmark named ${unknown.join(", ")}. Known: ${benchmarks.map((benchmark) => benchmark.name).join(", ")}\n`);
  process.exit(2);
}
const chosen = names.length === 0 ? benchmarks : benchmarks.filter((benchmark) => names.includes(benchmark.name));
const outcomes = await runIsolated(
  chosen.map((benchmark) => ({ name: benchmark.name, command: process.execPath, args: ["--expose-gc", runOne, benchmark.name] })),
);
process.stdout.write(`\n# Summary (ratios are against peers measured in the same run)\n${summaryTable(outcomes)}\n`);
process.exitCode = outcomes.every((outcome) => outcome.result === "ok") ? 0 : 1;
