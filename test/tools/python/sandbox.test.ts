// The sandbox's walls, tested for real with bubblewrap: what sandboxed code cannot reach, and
// the limits that stop runaway code while the next call still works.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { ToolError } from "../../../src/core/errors.js";
import { sandboxIdentity } from "../../../src/tools/python/sandbox-identity.js";
import { startKernel, testSettings, waitUntilNoProcessesOwnedBy } from "./python-test-support.js";

/** True when something on the host listens on the port, so that refusing it inside means something. */
function hostCanConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, timeout: 1_000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

test("no network: Redis on the host's 127.0.0.1:6379 and outside addresses are unreachable", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    const code = `
import socket
def attempt(host, port):
    try:
        socket.create_connection((host, port), timeout=1).close()
        return "connected"
    except OSError as error:
        return type(error).__name__
attempt("127.0.0.1", 6379), attempt("1.1.1.1", 53)`;
    const result = await kernel.run(code);
    assert.equal(result.error, undefined);
    assert.doesNotMatch(result.output, /connected/);
    if (await hostCanConnect(6379)) assert.match(result.output, /ConnectionRefusedError/);
  } finally {
    await dispose();
  }
});

test("writes outside the workspace are refused, and the sandbox's /tmp is private", async () => {
  const { kernel, workspace, dispose } = await startKernel();
  const hostMarker = `/tmp/ponder-host-marker-${process.pid}`;
  await writeFile(hostMarker, "host");
  try {
    const code = `
import os
def try_write(path):
    try:
        with open(path, "w") as handle:
            handle.write("x")
        return "written"
    except OSError as error:
        return type(error).__name__
print({path: try_write(path) for path in ["/usr/evil", "/etc/evil", "/evil", "/workspace/ok.txt", "/tmp/scratch"]})
print("host marker visible:", os.path.exists(${JSON.stringify(hostMarker)}))`;
    const result = await kernel.run(code);
    assert.equal(result.error, undefined, result.error?.traceback);
    assert.match(result.output, /'\/usr\/evil': '(OSError|PermissionError)'/);
    assert.match(result.output, /'\/etc\/evil': '(OSError|PermissionError)'/);
    assert.match(result.output, /'\/evil': '(OSError|PermissionError)'/);
    assert.match(result.output, /'\/workspace\/ok.txt': 'written'/);
    assert.match(result.output, /'\/tmp\/scratch': 'written'/);
    assert.match(result.output, /host marker visible: False/);
    assert.deepEqual(
      result.artifacts.map((artifact) => artifact.name),
      ["ok.txt"],
    );
    assert.equal(result.artifacts[0]?.path, `${workspace}/ok.txt`);
  } finally {
    await rm(hostMarker, { force: true });
    await dispose();
  }
});

test("host secrets stay out: environment variables, /root, /home, /work, /etc/shadow, leaked fds", async () => {
  process.env.PONDER_TEST_SECRET = "sk-test-must-not-leak";
  const { kernel, dispose } = await startKernel();
  try {
    const code = `
import os, subprocess, sys
print("env:", sorted(os.environ))
print("secret in env:", any("sk-test" in value for value in os.environ.values()))
print("visible:", [path for path in ["/root", "/home", "/work", "/etc/shadow", "/etc/passwd", "/sys"] if os.path.exists(path)])
try:
    leaked = "sk-test" in open("/proc/1/environ", "rb").read().decode("latin-1")
except OSError:
    leaked = False
print("secret via /proc/1:", leaked)
child = subprocess.run([sys.executable, "-c", "import os; print(len(os.listdir('/proc/self/fd')))"], capture_output=True, text=True)
print("child fds:", child.stdout.strip())`;
    const result = await kernel.run(code);
    assert.equal(result.error, undefined, result.error?.traceback);
    assert.match(result.output, /secret in env: False/);
    assert.doesNotMatch(result.output, /PONDER_TEST_SECRET/);
    assert.match(result.output, /visible: \[\]/);
    assert.match(result.output, /secret via \/proc\/1: False/);
    // stdin, stdout, stderr and the fd listdir itself opens: no protocol socket, no host fds.
    assert.match(result.output, /child fds: 4/);
  } finally {
    delete process.env.PONDER_TEST_SECRET;
    await dispose();
  }
});

test("sandboxed code runs unprivileged: as its own uid when Ponder is root, with no capabilities", async () => {
  const { kernel, workspace, dispose } = await startKernel();
  try {
    const result = await kernel.run(
      `import os\nstatus = dict(line.split(":", 1) for line in open("/proc/self/status"))\n` +
        `print(os.getuid(), status["CapEff"].strip(), status["NoNewPrivs"].strip())`,
    );
    const identity = sandboxIdentity(workspace);
    const [uid, capabilities, noNewPrivileges] = result.output.trim().split(" ");
    if (identity) assert.equal(Number(uid), identity.uid);
    assert.notEqual(uid, "0");
    assert.equal(capabilities, "0000000000000000");
    assert.equal(noNewPrivileges, "1");
  } finally {
    await dispose();
  }
});

test("the process limit holds: forks beyond maxProcesses fail", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    const code = `
import os, signal, time
children = []
try:
    for _ in range(${testSettings.maxProcesses * 3}):
        pid = os.fork()
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        children.append(pid)
    outcome = "no limit"
except OSError as error:
    outcome = type(error).__name__
for pid in children:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
print(outcome, len(children))`;
    const result = await kernel.run(code);
    assert.equal(result.error, undefined, result.error?.traceback);
    const [outcome, forked] = result.output.trim().split(" ");
    assert.equal(outcome, "BlockingIOError");
    assert.ok(Number(forked) < testSettings.maxProcesses, `forked ${forked}`);
  } finally {
    await dispose();
  }
});

test("a fork bomb is contained, killed with the whole sandbox, and the next call works", async () => {
  const { kernel, workspace, dispose } = await startKernel({ callTimeoutMs: 2_500 });
  try {
    const bomb = `
import os
while True:
    try:
        os.fork()
    except OSError:
        pass`;
    await assert.rejects(kernel.run(bomb), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.match(error.message, /timed out|CPU time limit/);
      assert.match(error.message, /next call starts a fresh kernel/);
      return true;
    });
    // The host could still start processes meanwhile, and none of the bomb's survive.
    assert.equal(spawnSync("true").status, 0);
    const identity = sandboxIdentity(workspace);
    if (identity) assert.deepEqual(await waitUntilNoProcessesOwnedBy(identity.uid, 5_000), []);
    const next = await kernel.run("print('alive')");
    assert.match(next.output, /alive/);
    assert.match(next.restartNote ?? "", /fresh Python kernel/);
  } finally {
    await dispose();
  }
});

test("a memory bomb meets MemoryError, the kernel survives, and the next call works", async () => {
  // Touching 512 MB is CPU time in the kernel's page faults (seen over 2 s on a busy VM); this test is about memory.
  const { kernel, dispose } = await startKernel({ settings: { ...testSettings, cpuSeconds: 10 } });
  try {
    const bomb = `
hoard = []
while True:
    hoard.append(bytearray(50 * 1024 * 1024))`;
    const result = await kernel.run(bomb);
    assert.equal(result.error?.type, "MemoryError");
    const next = await kernel.run("del hoard\nprint('alive')");
    assert.equal(next.error, undefined);
    assert.match(next.output, /alive/);
    const numpyBomb = await kernel.run("import numpy\nnumpy.ones(10**11)");
    assert.equal(numpyBomb.error?.type, "MemoryError", numpyBomb.error?.traceback);
    // About memoryMb is usable for data, with numpy loaded.
    const usable = await kernel.run(`block = numpy.ones(${Math.floor((testSettings.memoryMb * 0.8 * 1024 * 1024) / 8)})\nblock.nbytes`);
    assert.equal(usable.error, undefined, usable.error?.traceback);
  } finally {
    await dispose();
  }
});

test("an infinite CPU loop is stopped by the CPU limit", async () => {
  // A wall-clock limit far off, so that only the CPU limit can end the loop even on a busy machine.
  const { kernel, dispose } = await startKernel({ settings: { ...testSettings, cpuSeconds: 1 }, callTimeoutMs: 60_000 });
  try {
    await kernel.run("x = 1");
    await assert.rejects(kernel.run("while True:\n    pass"), /exceeded its CPU time limit \(1 s/);
    const next = await kernel.run("print(1 + 1)");
    assert.match(next.output, /2/);
    assert.match(next.restartNote ?? "", /CPU time limit/);
  } finally {
    await dispose();
  }
});

test("a sleeping loop is stopped by the wall-clock limit", async () => {
  const { kernel, dispose } = await startKernel({ callTimeoutMs: 1_500 });
  try {
    const started = Date.now();
    await assert.rejects(kernel.run("import time\nwhile True:\n    time.sleep(0.1)"), /timed out after 1.5 s/);
    assert.ok(Date.now() - started < 30_000, "the endless loop was stopped");
    assert.match((await kernel.run("print('after')")).output, /after/);
  } finally {
    await dispose();
  }
});

test("100 MB of output is cut to the limit with a note, from Python and from subprocesses", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    const python = await kernel.run(
      "import sys\nsys.stdout.write('first line\\n')\nfor _ in range(100):\n    sys.stdout.write('x' * 1_000_000)\nprint('\\nlast line')",
    );
    assert.ok(python.output.length < testSettings.maxOutputBytes + 200, `${python.output.length} characters`);
    assert.match(python.output, /^first line/);
    assert.match(python.output, /\[\.\.\. [\d,]+ bytes of output cut \.\.\.\]/);
    assert.match(python.output, /last line\n$/);
    const subprocess = await kernel.run("import os\nos.system('head -c 30000000 /dev/zero | tr \"\\\\0\" y')\nprint('done')");
    assert.ok(subprocess.output.length < testSettings.maxOutputBytes + 200);
    assert.match(subprocess.output, /bytes of output cut/);
    assert.match(subprocess.output, /done\n$/);
    assert.match((await kernel.run("print('small')")).output, /^small\n$/);
  } finally {
    await dispose();
  }
});

test("a file over the size limit cannot be written", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    const result = await kernel.run(
      `with open("big.bin", "wb") as handle:\n    handle.write(b"0" * ${(testSettings.maxFileSizeMb + 1) * 1024 * 1024})`,
    );
    assert.equal(result.error?.type, "OSError");
    assert.match(result.error?.traceback ?? "", /File too large/);
  } finally {
    await dispose();
  }
});
