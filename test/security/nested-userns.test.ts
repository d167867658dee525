// Sandboxed code cannot make a user namespace of its own (which would hand it every capability
// inside it, and with them kernel surface such as mounts and netfilter), while ordinary Python
// that forks, spawns and threads keeps working. As root this is the seccomp filter's job; as a
// normal user, bwrap's --disable-userns.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startKernel } from "../tools/python/python-test-support.js";

test("unshare(CLONE_NEWUSER), clone(CLONE_NEWUSER), setns and `unshare -U` fail inside the sandbox", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    const result = await kernel.run(`
import ctypes, os, signal, subprocess
libc = ctypes.CDLL(None, use_errno=True)
def outcome(value):
    return "allowed" if value >= 0 else os.strerror(ctypes.get_errno())
print("unshare", outcome(libc.unshare(0x10000000)))
# clone(CLONE_NEWUSER | SIGCHLD) as a raw syscall; a child that got through exits at once.
clone = {"x86_64": 56, "aarch64": 220}[os.uname().machine]
pid = libc.syscall(clone, 0x10000000 | signal.SIGCHLD, 0, 0, 0, 0)
if pid == 0:
    os._exit(0)
if pid > 0:
    os.waitpid(pid, 0)
print("clone", outcome(pid))
print("setns", outcome(libc.setns(os.open("/proc/self/ns/user", os.O_RDONLY), 0)))
tool = subprocess.run(["unshare", "--user", "true"], capture_output=True, text=True)
print("unshare-command", tool.returncode)`);
    assert.equal(result.error, undefined, result.error?.traceback);
    const lines = result.output.trim().split("\n");
    assert.match(lines[0] ?? "", /^unshare (Operation not permitted|No space left on device)$/);
    assert.match(lines[1] ?? "", /^clone (Operation not permitted|No space left on device)$/);
    assert.notEqual(lines[2], "setns allowed");
    assert.notEqual(lines[3], "unshare-command 0");
  } finally {
    await dispose();
  }
});

test("with the filter in place, threads, fork, subprocess, multiprocessing and numpy still work", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    const result = await kernel.run(`
import multiprocessing, os, subprocess, threading
import numpy
def square(value):
    return value * value
with multiprocessing.Pool(2) as pool:
    print("pool", pool.map(square, range(4)))
thread = threading.Thread(target=print, args=("thread",))
thread.start(); thread.join()
pid = os.fork()
if pid == 0:
    os._exit(7)
print("fork", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
print("subprocess", subprocess.run(["echo", "spawned"], capture_output=True, text=True).stdout.strip())
print("numpy", numpy.ones((300, 300)).dot(numpy.ones(300)).sum())`);
    assert.equal(result.error, undefined, result.error?.traceback);
    assert.equal(result.output, "pool [0, 1, 4, 9]\nthread\nfork 7\nsubprocess spawned\nnumpy 90000.0\n");
  } finally {
    await dispose();
  }
});
