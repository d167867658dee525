// A kernel killed from outside (an operator's kill -9, the host's OOM killer) is an infrastructure
// fault, recorded as infra_error so that evals do not score it as the model's mistake; the next
// call starts a fresh kernel and says so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { watch } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { executeToolCall } from "../../src/loop/tool-call-execution.js";
import { ToolRegistry } from "../../src/tools/registry.js";
import { createPythonTool } from "../../src/tools/python/index.js";
import { sandboxIdentity } from "../../src/tools/python/sandbox-identity.js";
import { processesOwnedBy, startKernel, testSettings, toolContext } from "../tools/python/python-test-support.js";

/** Resolves once `name` exists in `directory`: the cell's own signal that it is running. */
function fileAppears(directory: string, name: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(directory, () => void check());
    const check = () =>
      access(join(directory, name)).then(
        () => (watcher.close(), resolve()),
        () => undefined,
      );
    void check();
  });
}

test("a kernel killed with SIGKILL from the host is an infra_error, even after its own memory limit struck a child earlier, and the next call gets a fresh kernel", async (context) => {
  if (process.getuid?.() !== 0) return context.skip("finds the kernel by its per-workspace uid, which needs root");
  // A small budget (128 MB + the runtime's 512) keeps the children below cheap. Filling 800 MB
  // and being killed for it can take seconds on a loaded machine: the wall-clock limit (twice the
  // CPU seconds) is not what this test is about.
  const { context: toolContextValue, dispose } = await toolContext({ sandbox: { ...testSettings, memoryMb: 128, cpuSeconds: 30 } });
  const environment = {
    tools: new ToolRegistry([createPythonTool()]),
    model: toolContextValue.model,
    runId: toolContextValue.runId,
    workspace: toolContextValue.workspace,
    ensureWorkspace: async () => undefined,
    resources: toolContextValue.resources,
    sandbox: toolContextValue.sandbox,
    signal: new AbortController().signal,
    timeoutMs: 60_000,
  };
  const call = (id: string, code: string) =>
    executeToolCall(
      { type: "function_call", id: `item-${id}`, call_id: id, name: "python", arguments: JSON.stringify({ code }) },
      environment,
    );
  try {
    assert.equal((await call("warm", "kept = 1")).output.error_kind, undefined);
    // A child killed at the sandbox's memory limit in an earlier call must not make the later
    // kill look like the code's own: two children hold 400 MB each, past the 640 MB group limit.
    const oom = await call(
      "oom",
      `import os
done_read, done_write = os.pipe()
release_read, release_write = os.pipe()
pids = []
for index in range(2):
    pid = os.fork()
    if pid == 0:
        os.close(done_read); os.close(release_write)
        hoard = bytearray(b"x") * (400 * 1024 * 1024)
        os.close(done_write)
        os.read(release_read, 1)
        os._exit(0)
    pids.append(pid)
os.close(done_write); os.close(release_read)
os.read(done_read, 1)
os.close(release_write)
print("children killed:", sum(1 for pid in pids if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == -9))`,
    );
    assert.equal(oom.output.error_kind, undefined, String(oom.output.output));
    assert.match(String(oom.output.output), /children killed: [12]/);
    const running = call("victim", "open('started', 'w').close()\nimport time\nwhile True: time.sleep(1)");
    await fileAppears(toolContextValue.workspace, "started");
    const uid = sandboxIdentity(toolContextValue.workspace)!.uid;
    for (const pid of await processesOwnedBy(uid)) process.kill(pid, "SIGKILL");
    const killed = await running;
    assert.equal(killed.output.error_kind, "infra_error", String(killed.output.output));
    assert.match(String(killed.output.output), /killed from outside the sandbox \(SIGKILL\) - not by this code's own limits/);
    const next = await call("after", "'kept' in globals()");
    assert.equal(next.output.error_kind, undefined);
    assert.match(String(next.output.output), /fresh Python kernel; the previous one was killed from outside[\s\S]*False/);
  } finally {
    await dispose();
  }
});

test("the code cannot SIGKILL or SIGTERM its own kernel, so such a death always came from outside; other processes it may kill", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    const result = await kernel.run(`
import multiprocessing, os, signal, subprocess, threading
def attempt(name, action):
    try:
        action()
        print(name, "allowed")
    except OSError as error:
        print(name, error.strerror)
attempt("kill self", lambda: os.kill(os.getpid(), signal.SIGKILL))
attempt("terminate self", lambda: os.kill(os.getpid(), signal.SIGTERM))
attempt("kill own group", lambda: os.kill(0, signal.SIGKILL))
attempt("kill everyone", lambda: os.kill(-1, signal.SIGKILL))
attempt("kill main thread", lambda: signal.pthread_kill(threading.main_thread().ident, signal.SIGKILL))
print("shell", subprocess.run(["sh", "-c", "kill -9 $PPID"], capture_output=True).returncode != 0)
child = subprocess.Popen(["sleep", "600"])
child.kill()
print("child", child.wait())
with multiprocessing.Pool(2) as pool:
    pool.terminate()
print("pool terminated")`);
    assert.equal(result.error, undefined, result.error?.traceback);
    assert.equal(
      result.output,
      [
        "kill self Operation not permitted",
        "terminate self Operation not permitted",
        "kill own group Operation not permitted",
        "kill everyone Operation not permitted",
        "kill main thread Operation not permitted",
        "shell True",
        "child -9",
        "pool terminated",
        "",
      ].join("\n"),
    );
    assert.match((await kernel.run("print('alive')")).output, /alive/);
  } finally {
    await dispose();
  }
});
