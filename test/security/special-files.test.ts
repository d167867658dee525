// FIFOs and device nodes in a workspace: every host-side reader refuses them without opening
// them, so nothing ever blocks a thread. Each reader is given more FIFOs at once than Node has
// threads for file work (4); a FIFO opened for reading blocks until a writer comes, which here
// never does, so one that was opened would leave the normal read after them waiting forever.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { emptyUsage } from "../../src/core/budget.js";
import { ConfigError, ToolError } from "../../src/core/errors.js";
import { runSchemaVersion } from "../../src/core/run.js";
import { runWorkspaceOf } from "../../src/config/ponder-home.js";
import { copyAttachments } from "../../src/library/attachments.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { keepArtifact } from "../../src/tools/files/kept-artifacts.js";
import { createListFilesTool, createReadFileTool } from "../../src/tools/files/index.js";
import { createImageCropTool, createImageInfoTool } from "../../src/tools/image/index.js";
import { giveWorkspaceTo } from "../../src/tools/python/sandbox-identity.js";
import { snapshotWorkspace } from "../../src/tools/python/workspace-files.js";
import { startServerFixture } from "../server/server-fixture.js";
import { readingToolContext, textOf } from "../tools/web-read/tool-context.js";

/** More than libuv's default thread pool of 4. */
const concurrent = 8;

/** FIFOs named pipe-0..7 and a character device (the null device's numbers) in `workspace`. */
function plantSpecialFiles(workspace: string): string[] {
  const names = Array.from({ length: concurrent }, (_, index) => `pipe-${index}.png`);
  for (const name of names) execFileSync("mkfifo", [join(workspace, name)]);
  execFileSync("mknod", [join(workspace, "device.png"), "c", "1", "3"]);
  writeFileSync(join(workspace, "normal.txt"), "a normal file");
  return [...names, "device.png"];
}

async function refusal(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    assert.ok(error instanceof ToolError || error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail("a special file was accepted");
}

test("read_file, list_files, the image tools, artifact copies, Python's scan and the hand-over refuse FIFOs and devices without blocking", async () => {
  const { context, dispose } = await readingToolContext();
  try {
    const special = plantSpecialFiles(context.workspace);
    const readFile = createReadFileTool();
    const info = createImageInfoTool();
    const crop = createImageCropTool();
    const messages = await Promise.all(
      special.flatMap((name) => [
        refusal(() => readFile.run({ path: name }, context)),
        refusal(() => info.run({ path: name }, context)),
        refusal(() => crop.run(crop.parameters.parse({ path: name, box: { left: 0, top: 0, width: 1, height: 1 } }), context)),
      ]),
    );
    for (const message of messages)
      assert.match(message, /is a (named pipe \(FIFO\)|character device), not a regular file; it was not opened/);
    // Every thread for file work is free: a normal read still completes.
    assert.match(textOf((await readFile.run({ path: "normal.txt" }, context)).content), /a normal file/);

    const copies = await Promise.all(special.map((name) => keepArtifact(context.workspace, join(context.workspace, name))));
    assert.deepEqual(
      copies,
      special.map(() => undefined),
      "no artifact is recorded for a special file",
    );
    assert.deepEqual([...(await snapshotWorkspace(context.workspace)).keys()], ["normal.txt"]);
    await giveWorkspaceTo(context.workspace, { uid: 2_000_000_200, gid: 2_000_000_200 });
    const listing = textOf((await createListFilesTool().run({}, context)).content);
    assert.match(listing, /pipe-0\.png {2}\(named pipe \(FIFO\)\)/);
    assert.match(listing, /device\.png {2}\(character device\)/);
    assert.match(textOf((await info.run({}, context)).content), /no image files|There are no image files/);
  } finally {
    await dispose();
  }
});

test("a FIFO attached by the user is refused without blocking", async () => {
  const { context, dispose } = await readingToolContext();
  try {
    const fifo = join(context.workspace, "..", `ponder-attached-${process.pid}.fifo`);
    execFileSync("mkfifo", [fifo]);
    const target = join(context.workspace, "run");
    const messages = await Promise.all(Array.from({ length: concurrent }, () => refusal(() => copyAttachments([fifo], target))));
    for (const message of messages) assert.match(message, /Cannot attach .*: it is not a regular file/);
    execFileSync("rm", [fifo]);
  } finally {
    await dispose();
  }
});

test("the artifacts endpoint never opens a FIFO or device planted where an artifact was, and other requests go on", async () => {
  const fixture = await startServerFixture(() => ({ text: "hi" }));
  try {
    const store = new SqliteRunStore(join(fixture.home, "ponder.db"));
    const now = new Date().toISOString();
    const id = "run_special";
    await store.createRun({
      schemaVersion: runSchemaVersion,
      id,
      status: "completed",
      spec: { model: "openai:gpt-5-mini", input: "plot", effort: "low", budget: {}, tools: [] },
      createdAt: now,
      updatedAt: now,
      usage: emptyUsage(),
    });
    const workspace = runWorkspaceOf(fixture.home, id);
    mkdirSync(workspace, { recursive: true });
    const special = plantSpecialFiles(workspace);
    // Items naming workspace files (as before copies were kept), and a FIFO where a kept copy would be.
    const keptFifo = join(fixture.home, "runs", id, "artifacts", "planted", "pipe.png");
    mkdirSync(join(keptFifo, ".."), { recursive: true });
    execFileSync("mkfifo", [keptFifo]);
    const paths = [...special.map((name) => join(workspace, name)), keptFifo];
    await store.appendItems(
      id,
      1,
      paths.map((path, index) => ({
        type: "artifact" as const,
        id: `art_${index}`,
        name: "x.png",
        path,
        media_type: "image/png",
        bytes: 0,
      })),
    );
    await store.close();
    const responses = await Promise.all(paths.map((_, index) => fixture.request("GET", `/v1/runs/${id}/artifacts/art_${index}`)));
    for (const response of responses) {
      assert.equal(response.status, 410);
      assert.match(await response.text(), /"code":"artifact_(not_kept|gone)"/);
    }
    assert.equal((await fixture.request("GET", `/v1/runs/${id}`)).status, 200, "the server still answers");
  } finally {
    await fixture.close();
  }
});
