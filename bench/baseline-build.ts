// An earlier build to measure against in the same run: PONDER_BENCH_BASELINE names the `dist`
// directory of another checkout (e.g. main before a change, built with `npx tsc`). Benchmarks
// that start `ponder` processes then start the baseline's too, in turns with this build's, so a
// before/after comparison on a loaded machine is made under the same load.
import { join } from "node:path";

export type Build = { name: string; cli: string };

export function builds(): Build[] {
  const current = { name: "this build", cli: new URL("../src/cli/main.js", import.meta.url).pathname };
  const baseline = process.env.PONDER_BENCH_BASELINE;
  return baseline ? [{ name: "baseline", cli: join(baseline, "src/cli/main.js") }, current] : [current];
}
