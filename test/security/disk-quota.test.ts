// The workspace's disk quota (sandbox.diskMb): one big write fails cleanly at the quota, many
// files written past it stop the kernel with a clear message, the host's disk use stays bounded
// (measured with du, not with Ponder's own count), and the model can delete files and go on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { ToolError } from "../../src/core/errors.js";
import { sandboxIdentity } from "../../src/tools/python/sandbox-identity.js";
import { startKernel, testSettings, waitUntilNoProcessesOwnedBy } from "../tools/python/python-test-support.js";

const settings = { ...testSettings, diskMb: 64, maxFileSizeMb: 64, cpuSeconds: 20 };
/** What the workspace may overshoot by: what code writes between two of the guard's checks. */
const overshootBoundMb = 256;

function diskUsageMb(path: string): number {
  return Number(execFileSync("du", ["-s", "-x", "--block-size=1M", path], { encoding: "utf8" }).split("\t")[0]);
}

test("one file larger than what the quota has left fails with 'File too large', and the kernel lives on", async () => {
  const { kernel, workspace, dispose } = await startKernel({ settings });
  try {
    await kernel.run("open('small.bin', 'wb').write(b'x' * (16 * 1024 * 1024))");
    const result = await kernel.run("data = b'x' * (100 * 1024 * 1024)\nwith open('big.bin', 'wb') as file:\n    file.write(data)");
    assert.equal(result.error?.type, "OSError", result.output);
    assert.match(result.error?.traceback ?? "", /File too large/);
    assert.ok(diskUsageMb(workspace) <= settings.diskMb, `${diskUsageMb(workspace)} MB`);
    assert.match((await kernel.run("print('alive', 'data' in globals())")).output, /alive True/);
  } finally {
    await dispose();
  }
});

test("many files written past the quota stop the kernel with a clear error; disk use stays bounded; deleting files lets work go on", async () => {
  const { kernel, workspace, dispose } = await startKernel({ settings, callTimeoutMs: 60_000 });
  try {
    const filler = `
import os
chunk = os.urandom(1024 * 1024)
for index in range(40):
    with open(f"part-{index}.bin", "wb") as file:
        for _ in range(16):
            file.write(chunk)
print("wrote everything")`;
    await assert.rejects(kernel.run(filler), (error: unknown) => {
      assert.ok(error instanceof ToolError, String(error));
      assert.match(error.message, /went over its disk quota: it holds \d+ MB, more than the 64 MB allowed\. Delete files/);
      return true;
    });
    const usedMb = diskUsageMb(workspace);
    console.log(
      `disk quota: ${settings.diskMb} MB, workspace holds ${usedMb} MB after writing 640 MB (overshoot ${usedMb - settings.diskMb} MB)`,
    );
    assert.ok(usedMb <= settings.diskMb + overshootBoundMb, `the workspace holds ${usedMb} MB`);

    // Over the quota, the next kernel may run to delete files...
    const cleanup = await kernel.run(
      "import glob, os\nfor name in glob.glob('part-*.bin'):\n    os.remove(name)\nprint(len(glob.glob('*')))",
    );
    assert.match(cleanup.restartNote ?? "", /went over its disk quota/);
    assert.equal(cleanup.output, "0\n");
    // ...and once under it, write again.
    const next = await kernel.run("open('result.txt', 'w').write('ok')");
    assert.equal(next.error, undefined);
  } finally {
    await dispose();
  }
});

test("a background process that writes past the quota between calls stops the kernel too", async (context) => {
  if (process.getuid?.() !== 0) return context.skip("finds the kernel's processes by its per-workspace uid, which needs root");
  const { kernel, workspace, dispose } = await startKernel({ settings, callTimeoutMs: 60_000 });
  try {
    // The writer outlives its call and keeps writing; the watch between calls must catch it.
    await kernel.run(`
import subprocess
writer = subprocess.Popen(["python3", "-c", """
import os
chunk = os.urandom(1 << 20)
for index in range(400):
    with open(f"background-{index}.bin", "wb") as file:
        file.write(chunk)
"""])`);
    const left = await waitUntilNoProcessesOwnedBy(sandboxIdentity(workspace)!.uid, 60_000);
    assert.deepEqual(left, [], "the kernel and its writer were not stopped");
    const usedMb = diskUsageMb(workspace);
    console.log(
      `disk quota: ${settings.diskMb} MB, a background writer of 400 MB left ${usedMb} MB (overshoot ${usedMb - settings.diskMb} MB)`,
    );
    assert.ok(usedMb <= settings.diskMb + overshootBoundMb, `the workspace holds ${usedMb} MB`);
    const next = await kernel.run("print('fresh')");
    assert.match(next.restartNote ?? "", /went over its disk quota/);
    assert.equal(next.output, "fresh\n");
  } finally {
    await dispose();
  }
});
