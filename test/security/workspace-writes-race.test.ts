// The swap race against the host's other ways into a workspace, with a fast swapper on the host:
// writes (screenshots, attachments), the hand-over of the workspace to the sandbox's uid (chown),
// Python's scan for new files, and the copy made when an artifact is recorded. A folder is
// swapped with a link to a host folder; nothing may be written, chowned, listed or copied there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyAttachments } from "../../src/library/attachments.js";
import { saveScreenshot } from "../../src/tools/browser/screenshot-file.js";
import { keepArtifact } from "../../src/tools/files/kept-artifacts.js";
import { giveWorkspaceTo } from "../../src/tools/python/sandbox-identity.js";
import { snapshotWorkspace } from "../../src/tools/python/workspace-files.js";
import { Tally, createSecret, startHostSwapper, type Secret } from "./workspace-attack-support.js";

const attempts = 200;

/** A workspace whose folder `name` is swapped with a link to `target` while `body` runs. */
async function underSwap(
  name: string,
  target: string,
  prepare: (workspace: string) => void,
  body: (workspace: string) => Promise<void>,
): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "ponder-race-"));
  const workspace = join(home, "runs", "run_race", "workspace");
  mkdirSync(join(workspace, name), { recursive: true });
  prepare(workspace);
  symlinkSync(target, join(workspace, `${name}-elsewhere`));
  const swapper = await startHostSwapper(join(workspace, name), join(workspace, `${name}-elsewhere`));
  try {
    await body(workspace);
  } finally {
    await swapper.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

async function attempt(tally: Tally, secret: Secret, work: () => Promise<string>, refused: RegExp): Promise<void> {
  try {
    tally.count("done", await work(), secret);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    tally.count(refused.test(message) ? "refused" : message, message, secret);
  }
}

function assertRaced(name: string, tally: Tally): void {
  console.log(`${name}: ${tally.summary()}`);
  assert.equal(tally.leaked, 0, tally.summary());
  assert.ok((tally.seen.get("done") ?? 0) > 0, `some attempts found the real folder: ${tally.summary()}`);
  assert.ok(
    [...tally.seen.keys()].every((outcome) => outcome === "done" || outcome === "refused"),
    tally.summary(),
  );
}

test("screenshots and attachments are never written through a swapped-in link", async () => {
  const secret = createSecret();
  const attachment = join(secret.directory, "..", "user-file.csv");
  writeFileSync(attachment, "a,b\n1,2\n");
  try {
    const screenshots = new Tally();
    await underSwap(
      "screenshots",
      secret.writeTarget,
      () => undefined,
      async (workspace) => {
        for (let index = 0; index < attempts; index++)
          await attempt(screenshots, secret, async () => (await saveScreenshot(workspace, Buffer.from("PNG"))).name, /symbolic link/);
      },
    );
    const attachments = new Tally();
    await underSwap(
      "attachments",
      secret.writeTarget,
      () => undefined,
      async (workspace) => {
        for (let index = 0; index < attempts; index++)
          await attempt(attachments, secret, async () => (await copyAttachments([attachment], workspace)) ?? "", /symbolic link/);
      },
    );
    assertRaced("screenshots", screenshots);
    assertRaced("attachments", attachments);
    assert.ok((screenshots.seen.get("refused") ?? 0) > 0 && (attachments.seen.get("refused") ?? 0) > 0, "both sides of the race were hit");
    assert.deepEqual(readdirSync(secret.writeTarget), [], "nothing was written outside the workspace");
  } finally {
    secret.remove();
  }
});

test("handing the workspace to the sandbox's uid never changes the owner of a host file", async () => {
  const secret = createSecret({ "host-file.txt": "host " });
  try {
    const handOvers = new Tally();
    await underSwap(
      "d",
      secret.directory,
      (workspace) => writeFileSync(join(workspace, "d", "inside.txt"), "inside"),
      async (workspace) => {
        for (let index = 0; index < attempts; index++) {
          // Two identities in turn, so that every attempt has owners to change.
          const uid = 2_000_000_100 + (index % 2);
          await attempt(handOvers, secret, async () => (await giveWorkspaceTo(workspace, { uid, gid: uid }), "given"), /ENOENT/);
        }
      },
    );
    assertRaced("giveWorkspaceTo", handOvers);
    for (const name of [".", ...readdirSync(secret.directory)]) {
      const stats = lstatSync(join(secret.directory, name));
      assert.equal(stats.uid, 0, `${name} still belongs to root`);
    }
  } finally {
    secret.remove();
  }
});

test("Python's scan for new files and the copy of an artifact never see a host file", async () => {
  const secret = createSecret({ "notes.txt": "host notes " });
  try {
    const scans = new Tally();
    const copies = new Tally();
    await underSwap(
      "a",
      secret.directory,
      (workspace) => writeFileSync(join(workspace, "a", "notes.txt"), "inside notes"),
      async (workspace) => {
        for (let index = 0; index < attempts; index++) {
          await attempt(scans, secret, async () => [...(await snapshotWorkspace(workspace)).keys()].join(","), /$^/);
          await attempt(
            copies,
            secret,
            async () => {
              const kept = await keepArtifact(workspace, join(workspace, "a", "notes.txt"));
              if (!kept) throw new Error("refused: not a regular file in the workspace");
              return readFileSync(kept.path, "utf8");
            },
            /refused/,
          );
        }
      },
    );
    assertRaced("python workspace scan", scans);
    assertRaced("artifact copies", copies);
    assert.ok((copies.seen.get("refused") ?? 0) > 0, `both sides of the race were hit: ${copies.summary()}`);
  } finally {
    secret.remove();
  }
});
