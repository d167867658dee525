// Which cgroup layout Ponder picks, on made-up hosts: the machines here have the memory
// controller on cgroup v1, so the v2 path (a delegated subtree, as under systemd) is checked
// against a directory tree shaped like one. The kernel's own behaviour is covered for real by
// sandbox-cgroup.test.ts and test/security/memory-bombs.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findHost } from "../../../src/tools/python/cgroup-host.js";
import { SandboxCgroup } from "../../../src/tools/python/sandbox-cgroup.js";

function madeUpHost(membership: string, mounts: { type: "cgroup" | "cgroup2"; at: string; options?: string }[]) {
  const root = mkdtempSync(join(tmpdir(), "ponder-cgroup-host-"));
  const cgroupFile = join(root, "proc-self-cgroup");
  const mountInfoFile = join(root, "proc-self-mountinfo");
  writeFileSync(cgroupFile, membership);
  writeFileSync(
    mountInfoFile,
    mounts
      .map(
        (mount, index) =>
          `${30 + index} 25 0:${26 + index} / ${join(root, mount.at)} rw,nosuid - ${mount.type} ${mount.type} rw${mount.options ? `,${mount.options}` : ""}\n`,
      )
      .join(""),
  );
  const folder = (path: string, files: Record<string, string> = {}) => {
    mkdirSync(join(root, path), { recursive: true });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(root, path, name), content);
  };
  return { root, view: { cgroupFile, mountInfoFile }, folder, remove: () => rmSync(root, { recursive: true, force: true }) };
}

test("cgroup v2, delegated: Ponder moves itself into a leaf, hands memory and pids to sandbox groups, and sets their limits", async () => {
  const host = madeUpHost("0::/user.slice/ponder.service\n", [{ type: "cgroup2", at: "unified" }]);
  try {
    host.folder("unified/user.slice/ponder.service", { "cgroup.controllers": "cpu memory pids", "cgroup.subtree_control": "" });
    const found = await findHost(host.view);
    const parent = join(host.root, "unified/user.slice/ponder.service");
    assert.deepEqual(found, { version: 2, parent });
    assert.equal(readFileSync(join(parent, "ponder-host/cgroup.procs"), "utf8"), String(process.pid));
    assert.equal(readFileSync(join(parent, "cgroup.subtree_control"), "utf8"), "+memory +pids");

    const cgroup = (await SandboxCgroup.create(
      { memoryBytes: 1536 * 1024 * 1024, maxTasks: 72 },
      found as { version: 2; parent: string },
    ))!;
    const [procs] = cgroup.procsFiles;
    const group = join(procs!, "..");
    assert.match(group, new RegExp(`^${parent}/ponder-sandbox-${process.pid}-[0-9a-f]{12}$`));
    assert.equal(readFileSync(join(group, "memory.max"), "utf8"), String(1536 * 1024 * 1024));
    assert.equal(readFileSync(join(group, "memory.swap.max"), "utf8"), "0");
    assert.equal(readFileSync(join(group, "pids.max"), "utf8"), "72");

    // Only an OOM of the group's own limit during the call is the code's.
    writeFileSync(join(group, "memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
    cgroup.startCall();
    assert.equal(cgroup.memoryReport().killedAtLimit, false);
    writeFileSync(join(group, "memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n");
    assert.equal(cgroup.memoryReport().killedAtLimit, false, "a host OOM kill raises oom_kill alone");
    writeFileSync(join(group, "memory.events"), "low 0\nhigh 0\nmax 9\noom 2\noom_kill 3\n");
    assert.equal(cgroup.memoryReport().killedAtLimit, true);

    // Frozen while the work runs, thawed after.
    writeFileSync(join(group, "cgroup.events"), "populated 1\nfrozen 1\n");
    const seen = await cgroup.whileFrozen(async () => readFileSync(join(group, "cgroup.freeze"), "utf8"));
    assert.equal(seen, "1");
    assert.equal(readFileSync(join(group, "cgroup.freeze"), "utf8"), "0");
  } finally {
    host.remove();
  }
});

test("cgroup v2 where memory is already handed down: nothing moves", async () => {
  const host = madeUpHost("0::/system.slice/ponder.service\n", [{ type: "cgroup2", at: "cgroup" }]);
  try {
    host.folder("cgroup/system.slice/ponder.service", { "cgroup.controllers": "memory pids", "cgroup.subtree_control": "memory pids" });
    assert.deepEqual(await findHost(host.view), { version: 2, parent: join(host.root, "cgroup/system.slice/ponder.service") });
  } finally {
    host.remove();
  }
});

test("a hybrid host (v2 mounted without controllers, memory on v1) uses the v1 hierarchies under Ponder's own groups", async () => {
  const host = madeUpHost("8:pids:/\n6:freezer:/\n4:memory:/jobs/ponder\n0::/\n", [
    { type: "cgroup2", at: "unified" },
    { type: "cgroup", at: "memory", options: "memory" },
    { type: "cgroup", at: "pids", options: "pids" },
    { type: "cgroup", at: "freezer", options: "freezer" },
  ]);
  try {
    host.folder("unified", { "cgroup.controllers": "" });
    host.folder("memory/jobs/ponder");
    host.folder("pids");
    host.folder("freezer");
    assert.deepEqual(await findHost(host.view), {
      version: 1,
      memoryParent: join(host.root, "memory/jobs/ponder"),
      pidsParent: join(host.root, "pids"),
      freezerParent: join(host.root, "freezer"),
    });
  } finally {
    host.remove();
  }
});

test("a v2 host that does not hand Ponder the memory controller is named as the reason", async () => {
  const host = madeUpHost("0::/user.slice/user-1000.slice/session-1.scope\n", [{ type: "cgroup2", at: "cgroup" }]);
  try {
    host.folder("cgroup/user.slice/user-1000.slice/session-1.scope", { "cgroup.controllers": "pids" });
    const found = await findHost(host.view);
    assert.ok("reason" in found);
    assert.match(found.reason, /memory controller is not available in .*session-1\.scope \(not enabled or not delegated to Ponder\)/);
  } finally {
    host.remove();
  }
});
