// The sandbox's cgroup for real: every process the code starts is born inside it, it is gone
// once the kernel closes, and groups left by a Ponder that died are removed by the next one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { cgroupSupport } from "../../../src/tools/python/cgroup-host.js";
import { sandboxIdentity } from "../../../src/tools/python/sandbox-identity.js";
import { processesOwnedBy, startKernel } from "./python-test-support.js";

/** This process's own v1 memory cgroup directory, where its sandboxes' groups go on this host. */
function ownMemoryGroup(): string | undefined {
  const line = readFileSync("/proc/self/cgroup", "utf8")
    .split("\n")
    .find((entry) => /^\d+:memory:/.test(entry));
  return line ? join("/sys/fs/cgroup/memory", line.split(":")[2] ?? "/") : undefined;
}

function memoryGroupOf(pid: number): string | undefined {
  const line = readFileSync(`/proc/${pid}/cgroup`, "utf8")
    .split("\n")
    .find((entry) => /^\d+:memory:/.test(entry));
  return line?.split(":")[2];
}

test("the kernel and every process it starts are in the sandbox's own group, which is gone after close", async (context) => {
  const own = ownMemoryGroup();
  if (!(await cgroupSupport()).available || !own || process.getuid?.() !== 0) {
    return context.skip("needs root and a v1 memory hierarchy, as on the CI machines");
  }
  const { kernel, workspace, dispose } = await startKernel();
  try {
    // A background child that outlives the cell, and a grandchild through a shell; the cell
    // returns once the shell has said it started the grandchild.
    await kernel.run(
      "import subprocess\nbackground = subprocess.Popen(['sh', '-c', 'sleep 600 & echo started; wait'], stdout=subprocess.PIPE, text=True)\nbackground.stdout.readline()",
    );
    const pids = await processesOwnedBy(sandboxIdentity(workspace)!.uid);
    assert.ok(pids.length >= 3, `only ${pids.length} sandbox processes`); // python, sh and sleep
    const groups = new Set(pids.map(memoryGroupOf));
    assert.equal(groups.size, 1, [...groups].join(", "));
    const [group] = groups;
    assert.match(group ?? "", new RegExp(`/ponder-sandbox-${process.pid}-[0-9a-f]+$`));
    await kernel.close();
    assert.deepEqual(
      readdirSync(own).filter((name) => name.startsWith(`ponder-sandbox-${process.pid}-`)),
      [],
    );
  } finally {
    await dispose();
  }
});

test("groups left by a Ponder process that died are removed when the next one starts", async (context) => {
  const own = ownMemoryGroup();
  if (!(await cgroupSupport()).available || !own) return context.skip("needs a v1 memory hierarchy, as on the CI machines");
  const deadPid = spawnSync("true").pid!;
  const stale = join(own, `ponder-sandbox-${deadPid}-0123456789ab`);
  const living = join(own, `ponder-sandbox-${process.pid}-ba9876543210`);
  mkdirSync(stale);
  mkdirSync(living);
  try {
    const moduleUrl = new URL("../../../src/tools/python/cgroup-host.js", import.meta.url).href;
    const result = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `await (await import(${JSON.stringify(moduleUrl)})).cgroupSupport();`],
      {
        encoding: "utf8",
      },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(existsSync(stale), false, "the dead process's group is still there");
    assert.equal(existsSync(living), true, "a living process's group was removed");
  } finally {
    spawnSync("rmdir", [stale, living]);
  }
});
