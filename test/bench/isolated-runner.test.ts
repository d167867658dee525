import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runIsolated, summaryTable } from "../../bench/isolated-runner.js";

const ratioModule = new URL("../../bench/ratio-summary.js", import.meta.url).href;

/** A benchmark as a script run by node in a child process. */
const script = (name: string, source: string) => ({ name, command: process.execPath, args: ["--input-type=module", "-e", source] });

test("a benchmark that throws or dies of an uncaught socket error is reported, and the ones after it still run", async () => {
  const directory = mkdtempSync(join(tmpdir(), "ponder-bench-test-"));
  const leftBehind = join(directory, "left-behind.pid");
  // The helper holds the only writer of this pipe: its end of file says the helper is gone.
  const helperPipe = join(directory, "helper.fifo");
  spawnSync("mkfifo", [helperPipe]);
  const helperGone = new Promise<void>((resolve) =>
    createReadStream(helperPipe)
      .on("data", () => undefined)
      .on("end", () => resolve()),
  );
  try {
    const outcomes = await runIsolated([
      script("throws", `throw new Error("broken on purpose");`),
      // Port 1 refuses: the 'error' event nobody listens for ends the process, as the fan-out floor's did.
      script("socket", `import { connect } from "node:net"; connect(1, "127.0.0.1"); setInterval(() => {}, 1000);`),
      script(
        "records",
        `import { recordRatio } from ${JSON.stringify(ratioModule)};
         import { spawn } from "node:child_process";
         import { closeSync, openSync, writeFileSync } from "node:fs";
         // A helper process the benchmark forgets to stop: ended with the benchmark's group.
         const pipe = openSync(${JSON.stringify(helperPipe)}, "w");
         const helper = spawn("sleep", ["3600"], { stdio: ["ignore", pipe, "ignore"] });
         closeSync(pipe);
         writeFileSync(${JSON.stringify(leftBehind)}, String(helper.pid));
         recordRatio("list at 100,000 runs / at 1 run", 1.25, "≤ 2×");
         recordRatio("second figure", 3);
         process.exit(0);`,
      ),
    ]);
    assert.deepEqual(
      outcomes.map((outcome) => [outcome.name, outcome.result]),
      [
        ["throws", "failed (exit 1)"],
        ["socket", "failed (exit 1)"],
        ["records", "ok"],
      ],
    );
    assert.deepEqual(outcomes[2]?.ratios, [
      { label: "list at 100,000 runs / at 1 run", ratio: 1.25, target: "≤ 2×" },
      { label: "second figure", ratio: 3 },
    ]);
    assert.match(readFileSync(leftBehind, "utf8"), /^\d+$/, "the benchmark started its helper");
    // `sleep 3600` never closes its stdout itself: the pipe's end says the runner ended the helper with
    // its benchmark's group (a runner that left it running would fail this test at its timeout). The
    // process state is not asserted: an exiting process closes its files before it is a zombie.
    await helperGone;
    const table = summaryTable(outcomes);
    assert.match(table, /throws\s+failed \(exit 1\)/);
    assert.match(table, /records\s+ok\s+\d+ s\s+list at 100,000 runs \/ at 1 run\s+1\.25×\s+≤ 2×/);
    assert.match(table, /\n\s+second figure\s+3\.00×/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("npm run bench with an unknown benchmark's name says which names exist and exits with 2", () => {
  const result = spawnSync(process.execPath, [new URL("../../bench/run-all.js", import.meta.url).pathname, "no-such-bench"], {
    encoding: "utf8",
  });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /No benchmark named no-such-bench\. Known: harness, python/);
});
