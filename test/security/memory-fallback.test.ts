// Without a cgroup (a normal user with no delegated cgroup, as here when the test drops to
// `nobody`), the sandbox still runs, refuses the memory that per-process limits cannot see (memfds,
// SysV shared memory), keeps /dev/shm bounded, and `ponder doctor` says what is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const nobody = 65534;
const distRoot = new URL("../../src/", import.meta.url).pathname;

/** Runs `script` (an ES module body) with Node as `nobody`; returns what it printed. */
function runAsNobody(script: string): string {
  const result = spawnSync(
    "setpriv",
    [`--reuid=${nobody}`, `--regid=${nobody}`, "--clear-groups", process.execPath, "--input-type=module", "-e", script],
    { encoding: "utf8", cwd: "/tmp", env: { PATH: "/usr/bin:/bin", HOME: "/tmp" }, timeout: 120_000 },
  );
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

test("without a cgroup, memfds and SysV shared memory are refused, /dev/shm is bounded, numpy and multiprocessing work, and doctor says so", async (context) => {
  if (process.getuid?.() !== 0) return context.skip("needs root to drop to an unprivileged user");
  try {
    execFileSync("setpriv", ["--version"]);
  } catch {
    return context.skip("setpriv (util-linux) is missing");
  }
  // A checkout under a private home (/root is 0700) cannot be loaded by `nobody`.
  const readable = spawnSync("setpriv", [
    `--reuid=${nobody}`,
    `--regid=${nobody}`,
    "--clear-groups",
    "test",
    "-r",
    join(distRoot, "tools/python/kernel.js"),
  ]);
  if (readable.status !== 0) return context.skip(`${distRoot} is not readable by an unprivileged user`);
  const workspace = mkdtempSync(join(tmpdir(), "ponder-fallback-"));
  chownSync(workspace, nobody, nobody);
  try {
    const printed = runAsNobody(`
      const { PythonKernel } = await import(${JSON.stringify(join(distRoot, "tools/python/kernel.js"))});
      const { defaultSandboxSettings } = await import(${JSON.stringify(join(distRoot, "tools/tool.js"))});
      const { sandboxLimitsCheck } = await import(${JSON.stringify(join(distRoot, "cli/doctor/system-checks.js"))});
      const kernel = new PythonKernel({ workspace: ${JSON.stringify(workspace)}, settings: { ...defaultSandboxSettings, memoryMb: 256, maxFileSizeMb: 512 } });
      const result = await kernel.run(\`
import ctypes, os
try:
    os.memfd_create("bomb")
    print("memfd allowed")
except OSError as error:
    print("memfd", error.strerror)
libc = ctypes.CDLL(None, use_errno=True)
print("shmget", libc.shmget(0, 1 << 30, 0o1600), os.strerror(ctypes.get_errno()))
written = 0
try:
    with open("/dev/shm/filler", "wb") as file:
        while True:
            file.write(b"x" * (1 << 20)); written += 1
except OSError as error:
    print("shm", written <= 128, error.strerror)
os.remove("/dev/shm/filler")
import multiprocessing, numpy
with multiprocessing.Pool(2) as pool:
    print("still", sum(pool.map(abs, range(10))), numpy.ones(10).sum())\`);
      await kernel.close();
      console.log(JSON.stringify({ output: result.output, error: result.error, doctor: await sandboxLimitsCheck() }));
    `);
    const { output, error, doctor } = JSON.parse(printed.trim().split("\n").at(-1)!) as {
      output: string;
      error?: { traceback: string };
      doctor: { ok: boolean; detail: string; fix: string };
    };
    assert.equal(error, undefined, error?.traceback);
    assert.equal(
      output,
      "memfd Function not implemented\nshmget -1 Function not implemented\nshm True No space left on device\nstill 45 10.0\n",
    );
    assert.equal(doctor.ok, false);
    assert.match(doctor.detail, /^no cgroup for sandboxes: .*Fallback: memory is limited per process/);
    assert.match(doctor.fix, /Delegate=yes/);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
