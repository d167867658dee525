// The swap race against the image tools, with a fast swapper on the host: the image they read is
// swapped with a link to a host folder holding an image of another size, and the folder they
// write results into is swapped with a link to a host folder that must stay empty.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { ToolError } from "../../src/core/errors.js";
import { createImageCropTool, createImageInfoTool } from "../../src/tools/image/index.js";
import { call, imageWorkspace } from "../tools/image/image-test-support.js";
import { textOf } from "../tools/web-read/tool-context.js";
import { Tally, createSecret, startHostSwapper } from "./workspace-attack-support.js";

const attempts = 150;

function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png()
    .toBuffer();
}

test("image_info and image_crop never read a host image, and never write outside the workspace, while folders are swapped", async () => {
  // The host's image is 37x23: that size in any output is a leak.
  const secret = createSecret({ "pic.png": await png(37, 23) }, ["37x23"]);
  const { context, workspace, dispose } = await imageWorkspace();
  const info = createImageInfoTool();
  const crop = createImageCropTool();
  mkdirSync(join(workspace, "a"));
  writeFileSync(join(workspace, "a/pic.png"), await png(10, 10));
  symlinkSync(secret.directory, join(workspace, "b"));
  mkdirSync(join(workspace, "images"));
  symlinkSync(secret.writeTarget, join(workspace, "images-elsewhere"));
  const swappers = [
    await startHostSwapper(join(workspace, "a"), join(workspace, "b")),
    await startHostSwapper(join(workspace, "images"), join(workspace, "images-elsewhere")),
  ];
  const reads = new Tally();
  const writes = new Tally();
  try {
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        const text = textOf((await call(info, { path: "a/pic.png" }, context)).content);
        reads.count(/10x10 pixels/.test(text) ? "workspace image" : text, text, secret);
      } catch (error) {
        assert.ok(error instanceof ToolError, String(error));
        reads.count(/"a" is a symbolic link/.test(error.message) ? "link refused" : error.message, error.message, secret);
      }
      try {
        const text = textOf(
          (await call(crop, { path: "attachments/quadrants.png", box: { left: 0, top: 0, width: 20, height: 20 } }, context)).content,
        );
        writes.count(/→ images\/crop-\d+\.png/.test(text) ? "saved in the workspace" : text, text, secret);
      } catch (error) {
        assert.ok(error instanceof ToolError, String(error));
        writes.count(
          /"images" in the workspace is not a folder/.test(error.message) ? "link refused" : error.message,
          error.message,
          secret,
        );
      }
    }
    const listing = textOf((await call(info, {}, context)).content);
    reads.count("listing", listing, secret);
  } finally {
    for (const swapper of swappers) await swapper.stop();
    await dispose();
  }
  try {
    console.log(`image_info: ${reads.summary()}\nimage_crop (writes): ${writes.summary()}`);
    assert.equal(reads.leaked, 0, reads.summary());
    assert.equal(writes.leaked, 0, writes.summary());
    assert.deepEqual(readdirSync(secret.writeTarget), [], "no result was written outside the workspace");
    assert.ok(
      (reads.seen.get("workspace image") ?? 0) > 0 && (reads.seen.get("link refused") ?? 0) > 0,
      `both sides of the race were hit: ${reads.summary()}`,
    );
    assert.ok(
      (writes.seen.get("saved in the workspace") ?? 0) > 0 && (writes.seen.get("link refused") ?? 0) > 0,
      `both sides of the race were hit: ${writes.summary()}`,
    );
  } finally {
    secret.remove();
  }
});
