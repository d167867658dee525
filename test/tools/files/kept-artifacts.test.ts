// Artifact copies: made once when recorded, immutable after, only of regular files, within the
// per-file and per-run limits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  artifactStorageOf,
  isKeptArtifactPath,
  keepArtifacts,
  maxKeptArtifactBytes,
  maxKeptBytesPerRun,
} from "../../../src/tools/files/kept-artifacts.js";

function temporaryRun() {
  const home = mkdtempSync(join(tmpdir(), "ponder-kept-"));
  const workspace = join(home, "runs", "run_kept", "workspace");
  mkdirSync(workspace, { recursive: true });
  return { home, workspace, remove: () => rmSync(home, { recursive: true, force: true }) };
}

const artifact = (workspace: string, name: string) => ({ path: join(workspace, name), name, mediaType: "text/plain" });

test("a kept copy is what the file was when recorded, read-only, beside the workspace; special files are left out", async () => {
  const run = temporaryRun();
  try {
    writeFileSync(join(run.workspace, "a.txt"), "first");
    writeFileSync(join(run.workspace, "b.txt"), "other");
    execFileSync("mkfifo", [join(run.workspace, "pipe.txt")]);
    const recorded = await keepArtifacts(run.workspace, [
      artifact(run.workspace, "a.txt"),
      artifact(run.workspace, "pipe.txt"),
      artifact(run.workspace, "b.txt"),
    ]);
    assert.deepEqual(
      recorded.map((item) => item.name),
      ["a.txt", "b.txt"],
    );
    const [first] = recorded;
    assert.ok(first && first.path.startsWith(`${artifactStorageOf(run.workspace)}/`) && first.path.endsWith("/a.txt"));
    assert.ok(isKeptArtifactPath(run.home, first.path));
    assert.ok(!isKeptArtifactPath(run.home, join(run.workspace, "a.txt")));
    writeFileSync(join(run.workspace, "a.txt"), "changed later");
    assert.equal(readFileSync(first.path, "utf8"), "first");
    assert.equal(statSync(first.path).mode & 0o777, 0o444);
    assert.equal(first.bytes, 5);
  } finally {
    run.remove();
  }
});

test("a file over 100 MB, or past 1 GB of copies for the run, is recorded with its workspace path and not copied", async () => {
  const run = temporaryRun();
  try {
    // Sparse files: their size is what counts, and nothing is read before the size is checked.
    writeFileSync(join(run.workspace, "huge.bin"), "");
    truncateSync(join(run.workspace, "huge.bin"), maxKeptArtifactBytes + 1);
    writeFileSync(join(run.workspace, "small.txt"), "small");
    const [huge] = await keepArtifacts(run.workspace, [artifact(run.workspace, "huge.bin")]);
    assert.deepEqual(huge, {
      name: "huge.bin",
      path: join(run.workspace, "huge.bin"),
      media_type: "text/plain",
      bytes: maxKeptArtifactBytes + 1,
    });
    const earlier = join(artifactStorageOf(run.workspace), "earlier", "big.bin");
    mkdirSync(join(earlier, ".."), { recursive: true });
    writeFileSync(earlier, "");
    truncateSync(earlier, maxKeptBytesPerRun);
    const [small] = await keepArtifacts(run.workspace, [artifact(run.workspace, "small.txt")]);
    assert.equal(small?.path, join(run.workspace, "small.txt"), "the run's copies are full");
  } finally {
    run.remove();
  }
});
