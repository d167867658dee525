// Memory bombs against the sandbox's one budget: memfds, forked children and tmpfs files must all
// count against one limit for the whole sandbox (memoryMb plus the runtime's margin), measured from
// the host, and the kernel must serve the next call afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ToolError } from "../../src/core/errors.js";
import { runtimeMemoryMb } from "../../src/tools/python/kernel.js";
import { cgroupSupport } from "../../src/tools/python/cgroup-host.js";
import { startKernel, testSettings } from "../tools/python/python-test-support.js";
import { watchHostMemory } from "./host-memory.js";

// Small, so that each bomb goes several times past the limit and ends quickly; touching
// gigabytes costs CPU time in page faults, hence the CPU allowance.
const settings = { ...testSettings, memoryMb: 256, maxFileSizeMb: 128, cpuSeconds: 20 };
const sandboxLimitMb = settings.memoryMb + runtimeMemoryMb;
/**
 * Other programs move MemAvailable too (the test runner runs two files at once, and other files
 * start sandboxes of their own), so the host-side bound is loose; each bomb that escaped would
 * take 3 GB or more, well past it. The cgroup's own peak is the exact check.
 */
const hostNoiseMb = 1024;

async function expectBounded(name: string, code: string): Promise<string> {
  const support = await cgroupSupport();
  const { kernel, dispose } = await startKernel({ settings, callTimeoutMs: 60_000 });
  try {
    await kernel.run("import os");
    const watch = watchHostMemory();
    const outcome = await kernel.run(code).then(
      (result) => (result.error ? `${result.error.type}: ${result.error.traceback}` : result.output),
      (error: unknown) => {
        assert.ok(error instanceof ToolError, String(error));
        return error.message;
      },
    );
    const measured = watch.stop();
    console.log(
      `${name}: host growth ${measured.hostGrowthMb} MB, cgroup peak ${measured.cgroupPeakMb ?? "n/a"} MB, limit ${sandboxLimitMb} MB`,
    );
    if (support.available) {
      if (measured.cgroupPeakMb !== undefined)
        assert.ok(measured.cgroupPeakMb <= sandboxLimitMb, `cgroup peak ${measured.cgroupPeakMb} MB`);
      assert.ok(measured.hostGrowthMb <= sandboxLimitMb + hostNoiseMb, `host memory grew by ${measured.hostGrowthMb} MB`);
    }
    const next = await kernel.run("print('alive')");
    assert.match(next.output, /alive/);
    return outcome;
  } finally {
    await dispose();
  }
}

test("30 memfds of 100 MB, touched, are stopped at the sandbox's limit with a clear message", async (context) => {
  if (!(await cgroupSupport()).available) return context.skip("no cgroup on this host (see ponder doctor)");
  const outcome = await expectBounded(
    "memfd bomb",
    `
chunk = b"x" * (1024 * 1024)
held = []
for index in range(30):
    fd = os.memfd_create("bomb")
    for offset in range(100):
        os.pwrite(fd, chunk, offset * len(chunk))
    held.append(fd)
print("all", len(held))`,
  );
  assert.match(outcome, /used more than its 256 MB memory limit, counted for the whole sandbox/);
});

test("eight forked children that each allocate 400 MB share one budget", async (context) => {
  if (!(await cgroupSupport()).available) return context.skip("no cgroup on this host (see ponder doctor)");
  // Each child allocates, says so and closes its end of 'done' (a killed child's end closes too),
  // then holds its memory until released: so all survivors hold memory at the same time.
  const outcome = await expectBounded(
    "fork bomb",
    `
children = 8
done_read, done_write = os.pipe()
release_read, release_write = os.pipe()
pids = []
for index in range(children):
    pid = os.fork()
    if pid == 0:
        os.close(done_read); os.close(release_write)
        hoard = bytearray(b"x") * (400 * 1024 * 1024)
        os.write(done_write, b"1"); os.close(done_write)
        os.read(release_read, 1)
        os._exit(0)
    pids.append(pid)
os.close(done_write); os.close(release_read)
allocated = 0
while True:
    data = os.read(done_read, 16)
    if not data:
        break
    allocated += len(data)
os.close(release_write)
killed = sum(1 for pid in pids if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == -9)
print("allocated", allocated, "killed", killed)`,
  );
  const match = /allocated (\d+) killed (\d+)/.exec(outcome);
  if (match) {
    assert.ok(Number(match[2]) > 0, outcome);
    assert.ok(Number(match[1]) < 8, outcome);
  } else {
    assert.match(outcome, /memory limit, counted for the whole sandbox/);
  }
});

test("/dev/shm and /tmp fill up to their bound, and their pages count against the sandbox", async () => {
  const outcome = await expectBounded(
    "tmpfs filler",
    `
chunk = b"x" * (1024 * 1024)
written = {}
for directory in ("/dev/shm", "/tmp"):
    written[directory] = 0
    try:
        for index in range(100000):
            with open(f"{directory}/filler-{index}", "wb") as file:
                file.write(chunk * 16)
            written[directory] += 16
    except OSError as error:
        written[directory] = (written[directory], error.strerror)
print(written)`,
  );
  assert.match(outcome, /'\/dev\/shm': \(\d+, 'No space left on device'\), '\/tmp': \(\d+, 'No space left on device'\)/);
});
