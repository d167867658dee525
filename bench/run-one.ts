// One benchmark, in its own process: `node --expose-gc dist/bench/run-one.js <name>`.
// run-all.ts starts one of these per benchmark. It exits when the benchmark returns, even if a
// server or pool it forgot is still open, and with 1 when the benchmark throws.
import { benchmarks } from "./benchmark-list.js";

const name = process.argv[2];
const benchmark = benchmarks.find((candidate) => candidate.name === name);
if (!benchmark) {
  process.stderr.write(`No benchmark named "${name}". Known: ${benchmarks.map((known) => known.name).join(", ")}\n`);
  process.exit(2);
}
try {
  await (
    await benchmark.load()
  )();
  process.exit(0);
} catch (error) {
  process.stderr.write(`benchmark ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
