// The disk quota's measurement: what the workspace's own files take, never what a link leads to.
import { test } from "node:test";
import assert from "node:assert/strict";
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { maxWorkspaceEntries, measureWorkspace } from "../../../src/tools/python/workspace-usage.js";

test("the workspace's files are counted once each, and links to folders outside are not followed", async () => {
  const workspace = await mkdtemp(join(tmpdir(), "ponder-usage-"));
  try {
    await mkdir(join(workspace, "data/deeper"), { recursive: true });
    await writeFile(join(workspace, "data/deeper/one.bin"), Buffer.alloc(2 * 1024 * 1024, 1));
    await link(join(workspace, "data/deeper/one.bin"), join(workspace, "same-inode.bin"));
    const before = await measureWorkspace(workspace);
    assert.ok(before.bytes >= 2 * 1024 * 1024 && before.bytes < 3 * 1024 * 1024, `${before.bytes} bytes`);
    assert.equal(before.tooManyEntries, false);
    // /usr holds gigabytes: a walk that followed these links would count them.
    await symlink("/usr", join(workspace, "usr-link"));
    await symlink("/usr", join(workspace, "data/usr-link"));
    const after = await measureWorkspace(workspace);
    assert.ok(after.bytes < before.bytes + 64 * 1024, `${after.bytes} bytes after adding links, ${before.bytes} before`);
    assert.equal(after.entries, before.entries + 2);
    assert.ok(maxWorkspaceEntries > after.entries);
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
});

test("a workspace that does not exist measures as empty", async () => {
  assert.deepEqual(await measureWorkspace(join(tmpdir(), "ponder-usage-missing-folder")), { bytes: 0, entries: 0, tooManyEntries: false });
});
