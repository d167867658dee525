// image_rotate, image_enhance, image_grid, image_view and image_info on a real picture.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import sharp from "sharp";
import { createImageEnhanceTool } from "../../../src/tools/image/enhance-tool.js";
import { createImageGridTool } from "../../../src/tools/image/grid-tool.js";
import { createImageInfoTool } from "../../../src/tools/image/info-tool.js";
import { createImageRotateTool } from "../../../src/tools/image/rotate-tool.js";
import { createImageViewTool } from "../../../src/tools/image/view-tool.js";
import { niceSpacing } from "../../../src/tools/image/grid-overlay.js";
import { call, imageWorkspace, near, pixelAt, putFile, quadrantColours, resultImage } from "./image-test-support.js";

const path = "attachments/quadrants.png";

test("rotate 90 swaps width and height and turns clockwise; other angles fill the corners", async () => {
  const { context, dispose } = await imageWorkspace();
  const rotate = createImageRotateTool();
  try {
    const quarter = await resultImage(await call(rotate, { path, degrees: 90 }, context));
    assert.equal(quarter.width, 300);
    assert.equal(quarter.height, 400);
    // Clockwise: the source's top-left (red) goes to the top-right, its bottom-left (blue) to the top-left.
    assert.ok(near(await pixelAt(quarter.data, 290, 10), quadrantColours.topLeft));
    assert.ok(near(await pixelAt(quarter.data, 10, 10), quadrantColours.bottomLeft));
    assert.match(
      quarter.text,
      /^Rotated attachments\/quadrants\.png \(400x300 PNG\) 90° clockwise → images\/rotate-1\.png \(300x400 PNG\)\.$/,
    );

    const tilted = await resultImage(await call(rotate, { path, degrees: -30, background: "#000000" }, context));
    assert.ok(tilted.width > 400 && tilted.height > 300, "the canvas grows to hold the turned image");
    assert.ok(near(await pixelAt(tilted.data, 1, 1), { r: 0, g: 0, b: 0 }), "corners take the background colour");
    assert.match(tilted.text, /30° counter-clockwise/);

    await assert.rejects(call(rotate, { path, degrees: 10, background: "sky-ish" }, context), /"sky-ish" is not a colour/);
  } finally {
    await dispose();
  }
});

test("enhance gives a valid PNG of the same size; a threshold leaves only black and white", async () => {
  const { context, dispose } = await imageWorkspace();
  const enhance = createImageEnhanceTool();
  try {
    const plain = await resultImage(await call(enhance, { path }, context));
    assert.equal(plain.format, "png");
    assert.equal(plain.width, 400);
    assert.equal(plain.height, 300);
    assert.match(plain.text, /: contrast stretched, sharpened → images\/enhance-1\.png \(400x300 PNG\)\.$/);

    const binary = await resultImage(await call(enhance, { path, threshold: 128, invert: true }, context));
    const { data } = await sharp(binary.data).raw().toBuffer({ resolveWithObject: true });
    assert.ok(
      data.every((value) => value === 0 || value === 255),
      "every channel is 0 or 255",
    );
    assert.match(binary.text, /black and white at threshold 128, inverted/);
    assert.ok(!enhance.parameters.safeParse({ path, threshold: 300 }).success);
  } finally {
    await dispose();
  }
});

test("grid draws labelled lines at the stated pixel coordinates", async () => {
  const { context, dispose } = await imageWorkspace();
  const grid = createImageGridTool();
  try {
    const image = await resultImage(await call(grid, { path, spacing: 100 }, context));
    assert.equal(image.format, "png");
    assert.equal(image.width, 400);
    assert.equal(image.height, 300);
    assert.match(
      image.text,
      /lines every 100 px, x lines at 100, 200, 300 and y lines at 100, 200, labelled with pixel coordinates of attachments\/quadrants\.png → images\/grid-1\.png/,
    );
    // A line crosses the red quadrant at x = 100, away from the labels: magenta, not red.
    assert.ok(near(await pixelAt(image.data, 100, 120), { r: 255, g: 43, b: 214 }, 40));
    assert.ok(near(await pixelAt(image.data, 150, 120), quadrantColours.topLeft), "between lines the image is untouched");

    const cells = await resultImage(await call(grid, { path, cells: 4 }, context));
    assert.match(cells.text, /a 4x4 grid of cells, each about 100x75 px, x lines at 100, 200, 300 and y lines at 75, 150, 225/);
    assert.equal(niceSpacing(400 / 8), 50);
    assert.equal(niceSpacing(4000 / 8), 500);
    assert.equal(niceSpacing(1000 / 8), 200);

    await assert.rejects(call(grid, { path, spacing: 5 }, context), /would draw 79 lines .* at least 10 px/);
    await assert.rejects(call(grid, { path, spacing: 50, cells: 3 }, context), /either spacing .* or cells/);
  } finally {
    await dispose();
  }
});

test("grid on a large image labels the source's coordinates while showing it scaled down", async () => {
  const { context, workspace, dispose } = await imageWorkspace();
  try {
    await sharp({ create: { width: 3000, height: 1500, channels: 3, background: "#336699" } })
      .png()
      .toFile(join(workspace, "big.png"));
    const image = await resultImage(await call(createImageGridTool(), { path: "big.png" }, context));
    assert.equal(image.width, 2048);
    assert.equal(image.height, 1024);
    assert.match(
      image.text,
      /lines every 500 px, x lines at 500, 1000, 1500, 2000, 2500 and y lines at 500, 1000, labelled with pixel coordinates of big\.png \(not of the scaled-down picture\)/,
    );
  } finally {
    await dispose();
  }
});

test("view shows a file, info reports sizes and lists the workspace's images", async () => {
  const { context, dispose } = await imageWorkspace();
  try {
    const viewed = await resultImage(await call(createImageViewTool(), { path: "/workspace/attachments/quadrants.png" }, context));
    assert.equal(viewed.width, 400);
    assert.equal(viewed.text, "attachments/quadrants.png (400x300 PNG), shown as images/view-1.png (400x300 PNG).");

    const info = createImageInfoTool();
    assert.equal(info.effects, "read");
    const described = await call(info, { path }, context);
    assert.match(String(described.content), /^attachments\/quadrants\.png: 400x300 pixels, PNG, (with|no) transparency, \d+\.\d kB\.$/);

    await putFile(context.workspace, "notes/readme.txt", "not an image");
    const listed = String((await call(info, {}, context)).content);
    assert.match(listed, /^2 images in the workspace:\nattachments\/quadrants\.png: 400x300 PNG, .*\nimages\/view-1\.png: 400x300 PNG/);
  } finally {
    await dispose();
  }
});

test("EXIF orientation is applied: a photo stored sideways is measured and cropped upright", async () => {
  const { context, workspace, dispose } = await imageWorkspace();
  try {
    // Stored 40x20 with orientation 6 (turn 90° clockwise to view): seen as 20x40.
    await sharp({ create: { width: 40, height: 20, channels: 3, background: "#ff0000" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toFile(join(workspace, "photo.jpg"));
    const described = String((await call(createImageInfoTool(), { path: "photo.jpg" }, context)).content);
    assert.match(described, /^photo\.jpg: 20x40 pixels, JPEG, .*turned upright from its EXIF orientation/);
    const cropped = await resultImage(await call(createImageViewTool(), { path: "photo.jpg" }, context));
    assert.equal(cropped.width, 20);
    assert.equal(cropped.height, 40);
  } finally {
    await dispose();
  }
});
