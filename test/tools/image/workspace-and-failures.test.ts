// What the image tools refuse and how they say it: paths that leave the workspace, missing
// files, files that are not images or are broken, images too large to decode, models that
// cannot see, cancelled calls, and a results folder that points elsewhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { ToolError, isAbortError } from "../../../src/core/errors.js";
import { createImageCropTool } from "../../../src/tools/image/crop-tool.js";
import { createImageInfoTool } from "../../../src/tools/image/info-tool.js";
import { defaultImageToolSettings } from "../../../src/tools/image/image-settings.js";
import { call, imageWorkspace, pixelAt, putFile, quadrantImage, resultImage } from "./image-test-support.js";

const crop = createImageCropTool();
const info = createImageInfoTool();
const box = { left: 0, top: 0, width: 10, height: 10 };

/** A temporary folder outside the workspace, holding one image. */
async function outsideFolder() {
  const path = await mkdtemp(join(tmpdir(), "ponder-image-outside-"));
  await writeFile(join(path, "secret.png"), await quadrantImage());
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

test("paths that leave the workspace, and symbolic links (never followed), are refused with a ToolError", async () => {
  const { context, workspace, dispose } = await imageWorkspace();
  const outside = await outsideFolder();
  try {
    await assert.rejects(call(crop, { path: "../secret.png", box }, context), (error: Error) => {
      assert.ok(error instanceof ToolError);
      assert.match(error.message, /points outside the run's workspace.*Images in the workspace: attachments\/quadrants\.png\./);
      return true;
    });
    await assert.rejects(call(crop, { path: "attachments/../../secret.png", box }, context), /points outside the run's workspace/);
    await assert.rejects(
      call(crop, { path: join(outside.path, "secret.png"), box }, context),
      /is an absolute path outside the run's workspace\. Paths are relative/,
    );
    await symlink(join(outside.path, "secret.png"), join(workspace, "link.png"));
    await assert.rejects(
      call(crop, { path: "link.png", box }, context),
      /"link\.png" is a symbolic link \(to ".*secret\.png"\)\. Links in the workspace are not followed/,
    );
    await symlink(outside.path, join(workspace, "linked-folder"));
    await assert.rejects(call(crop, { path: "linked-folder/secret.png", box }, context), /"linked-folder" is a symbolic link/);
    // A link that stays inside the workspace is refused too, naming what to read instead.
    await symlink("attachments/quadrants.png", join(workspace, "inside.png"));
    await assert.rejects(
      call(crop, { path: "inside.png", box }, context),
      /"inside\.png" is a symbolic link \(to "attachments\/quadrants\.png"\)/,
    );
    assert.equal((await resultImage(await call(crop, { path: "attachments/quadrants.png", box }, context))).width, 10);
  } finally {
    await outside.remove();
    await dispose();
  }
});

test("a missing path lists the images that exist; a folder says it is one", async () => {
  const { context, dispose } = await imageWorkspace();
  try {
    await putFile(context.workspace, "screenshots/page-1.png", await quadrantImage(40, 30));
    await assert.rejects(
      call(crop, { path: "quadrants.png", box }, context),
      /^ToolError: There is no file at "quadrants\.png"\. Images in the workspace: attachments\/quadrants\.png, screenshots\/page-1\.png\.$/,
    );
    await assert.rejects(
      call(crop, { path: "screenshots", box }, context),
      /"screenshots" is a folder, not an image file\. Images in the workspace: screenshots\/page-1\.png\./,
    );
    const empty = await imageWorkspace();
    try {
      await rm(join(empty.workspace, "attachments"), { recursive: true });
      await assert.rejects(
        call(crop, { path: "photo.png", box }, empty.context),
        /no file at "photo\.png"\. There are no image files in the workspace yet\./,
      );
    } finally {
      await empty.dispose();
    }
  } finally {
    await dispose();
  }
});

test("corrupt, truncated, empty and non-image files are clear errors", async () => {
  const { context, dispose } = await imageWorkspace();
  try {
    await putFile(context.workspace, "garbage.png", Buffer.from("this is not an image at all"));
    await assert.rejects(
      call(crop, { path: "garbage.png", box }, context),
      /"garbage\.png" is not an image the tools can read \(PNG, JPEG, WebP, GIF, TIFF, AVIF or SVG\), or it is corrupt/,
    );
    const png = await quadrantImage();
    await putFile(context.workspace, "truncated.png", png.subarray(0, Math.floor(png.length / 2)));
    await assert.rejects(call(crop, { path: "truncated.png", box }, context), (error: Error) => {
      assert.ok(error instanceof ToolError);
      assert.match(
        error.message,
        /"truncated\.png" says it is a 400x300 PNG image, but its pixel data could not be decoded \(it is probably corrupt or truncated\)/,
      );
      return true;
    });
    await putFile(context.workspace, "empty.png", Buffer.alloc(0));
    await assert.rejects(call(info, { path: "empty.png" }, context), /"empty\.png" is an empty file/);
  } finally {
    await dispose();
  }
});

test("an SVG in the workspace cannot pull in files from outside it", async () => {
  const { context, dispose } = await imageWorkspace();
  const outside = await outsideFolder();
  try {
    const secret = join(outside.path, "secret.png");
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="#ffffff"/>` +
      `<image href="file://${secret}" width="100" height="100"/><image href="${secret}" width="100" height="100"/></svg>`;
    await putFile(context.workspace, "drawing.svg", svg);
    const image = await resultImage(await call(crop, { path: "drawing.svg", box: { left: 0, top: 0, width: 100, height: 100 } }, context));
    assert.match(image.text, /drawing\.svg \(100x100 SVG\)/);
    assert.deepEqual(await pixelAt(image.data, 10, 10), { r: 255, g: 255, b: 255 });
  } finally {
    await outside.remove();
    await dispose();
  }
});

test("images too large to decode safely are refused unread", async () => {
  const { context, dispose } = await imageWorkspace();
  try {
    // A PNG header claiming 100000x100000 pixels: ten gigapixels from a few bytes.
    await putFile(context.workspace, "bomb.png", pngClaiming(100_000, 100_000));
    await assert.rejects(
      call(crop, { path: "bomb.png", box }, context),
      /"bomb\.png" is 100000x100000 pixels \(10000 megapixels\), more than the 100 megapixel limit .*refused unread/,
    );
    const strict = createImageCropTool({ ...defaultImageToolSettings, maxInputBytes: 1_000 });
    await assert.rejects(
      call(strict, { path: "attachments/quadrants.png", box }, context),
      /"attachments\/quadrants\.png" is \d+\.\d kB, more than the 1\.0 kB limit of the image tools/,
    );
  } finally {
    await dispose();
  }
});

test("a model without vision gets a clear message, and the file is still saved", async () => {
  const { context, workspace, dispose } = await imageWorkspace({ model: { id: "openai:gpt-3.5-turbo", vision: false } });
  try {
    const output = await call(crop, { path: "attachments/quadrants.png", box: { left: 0, top: 0, width: 100, height: 50 } }, context);
    assert.equal(typeof output.content, "string");
    assert.match(
      String(output.content),
      /^Cropped .* → images\/crop-1\.png \(100x50 PNG\)\..*\nThe image was saved, but it is not shown to you: this model \(openai:gpt-3\.5-turbo\) cannot see images\..*vision model/s,
    );
    assert.equal(output.artifacts?.[0]?.name, "images/crop-1.png");
    const saved = await sharp(join(workspace, "images/crop-1.png")).metadata();
    assert.equal(saved.width, 100);
  } finally {
    await dispose();
  }
});

test("parallel calls save under distinct names; a cancelled call stops", async () => {
  const { context, workspace, dispose } = await imageWorkspace();
  try {
    const outputs = await Promise.all(
      [1, 2, 3].map((size) =>
        call(crop, { path: "attachments/quadrants.png", box: { left: 0, top: 0, width: size * 10, height: 10 } }, context),
      ),
    );
    const names = outputs.map((output) => output.artifacts?.[0]?.name).sort();
    assert.deepEqual(names, ["images/crop-1.png", "images/crop-2.png", "images/crop-3.png"]);

    const controller = new AbortController();
    controller.abort();
    await assert.rejects(call(crop, { path: "attachments/quadrants.png", box }, { ...context, signal: controller.signal }), (error) =>
      isAbortError(error),
    );
    assert.equal((await readdir(join(workspace, "images"))).length, 3, "nothing saved by the cancelled call");
  } finally {
    await dispose();
  }
});

test("an `images` link placed in the workspace cannot redirect where results are written", async () => {
  const { context, workspace, dispose } = await imageWorkspace();
  const outside = await outsideFolder();
  try {
    await symlink(outside.path, join(workspace, "images"));
    await assert.rejects(call(crop, { path: "attachments/quadrants.png", box }, context), /"images" in the workspace is not a folder/);
    assert.deepEqual(await readdir(outside.path), ["secret.png"]);
  } finally {
    await outside.remove();
    await dispose();
  }
});

/** A valid PNG signature and header claiming the given size, with a few bytes of pixel data. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  const pixels = chunk("IDAT", deflateSync(Buffer.alloc(64)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    pixels,
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
