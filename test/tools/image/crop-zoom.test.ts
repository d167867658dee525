// image_crop and image_zoom on a real picture: sizes, colours at known points, boxes in pixels
// and in fractions, clipping, and boxes that cannot work.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { ToolError } from "../../../src/core/errors.js";
import { createImageCropTool } from "../../../src/tools/image/crop-tool.js";
import { createImageZoomTool } from "../../../src/tools/image/zoom-tool.js";
import { call, imageWorkspace, near, pixelAt, quadrantColours, resultImage } from "./image-test-support.js";

const crop = createImageCropTool();
const zoom = createImageZoomTool();
const path = "attachments/quadrants.png";

test("crop by pixels: the expected size and colours, saved under images/ and returned as an artifact", async () => {
  const { context, workspace, dispose } = await imageWorkspace();
  try {
    const output = await call(crop, { path, box: { left: 150, top: 100, width: 200, height: 150 } }, context);
    const image = await resultImage(output);
    assert.equal(image.width, 200);
    assert.equal(image.height, 150);
    assert.equal(image.mediaType, "image/png");
    // (150,100) in the source is red; (350,100) green; (150,240) blue: at these offsets in the crop.
    assert.ok(near(await pixelAt(image.data, 10, 10), quadrantColours.topLeft));
    assert.ok(near(await pixelAt(image.data, 190, 10), quadrantColours.topRight));
    assert.ok(near(await pixelAt(image.data, 10, 140), quadrantColours.bottomLeft));
    assert.equal(
      image.text,
      "Cropped attachments/quadrants.png (400x300 PNG) to left 150, top 100, width 200, height 150 → images/crop-1.png (200x150 PNG).",
    );
    assert.deepEqual(output.artifacts, [{ path: join(workspace, "images/crop-1.png"), name: "images/crop-1.png", mediaType: "image/png" }]);
    assert.deepEqual(await readFile(join(workspace, "images/crop-1.png")), image.data);
  } finally {
    await dispose();
  }
});

test("crop by fractions, stated or inferred, and results are numbered so they can be chained", async () => {
  const { context, dispose } = await imageWorkspace();
  try {
    const stated = await resultImage(
      await call(crop, { path, box: { left: 0.5, top: 0.5, width: 0.5, height: 0.5 }, unit: "fraction" }, context),
    );
    assert.equal(stated.width, 200);
    assert.equal(stated.height, 150);
    assert.ok(near(await pixelAt(stated.data, 190, 140), quadrantColours.bottomRight));
    assert.ok(near(await pixelAt(stated.data, 100, 75), { r: 0, g: 0, b: 0 }), "the disc is at the centre of the bottom-right quarter");

    const inferred = await resultImage(await call(crop, { path, box: { left: 0, top: 0, width: 0.25, height: 1 } }, context));
    assert.equal(inferred.width, 100);
    assert.equal(inferred.height, 300);
    assert.match(inferred.text, /images\/crop-2\.png .*read as fractions/);

    const chained = await resultImage(
      await call(crop, { path: "images/crop-2.png", box: { left: 0, top: 200, width: 50, height: 50 } }, context),
    );
    assert.equal(chained.width, 50);
    assert.ok(near(await pixelAt(chained.data, 25, 25), quadrantColours.bottomLeft));
    assert.match(
      chained.text,
      /^Cropped images\/crop-2\.png \(100x300 PNG\) .* → images\/crop-3\.png \(50x50 PNG\)\. The crop is small; image_zoom/,
    );
  } finally {
    await dispose();
  }
});

test("a box that sticks out is clipped to the image and the model is told", async () => {
  const { context, dispose } = await imageWorkspace();
  try {
    const image = await resultImage(await call(crop, { path, box: { left: 300, top: -20, width: 200, height: 100 } }, context));
    assert.equal(image.width, 100);
    assert.equal(image.height, 80);
    assert.match(image.text, /left 300, top 0, width 100, height 80 .*cut to it \(the image is 400x300\)/);
  } finally {
    await dispose();
  }
});

test("a box outside the image, or with no area, is an error that states the image's size", async () => {
  const { context, dispose } = await imageWorkspace();
  try {
    await assert.rejects(call(crop, { path, box: { left: 500, top: 10, width: 100, height: 100 } }, context), (error: Error) => {
      assert.ok(error instanceof ToolError);
      assert.match(error.message, /lies outside the image: "attachments\/quadrants\.png" is 400x300 pixels/);
      assert.match(error.message, /"width": 200, "height": 150/);
      return true;
    });
    await assert.rejects(
      call(crop, { path, box: { left: 10, top: 10, width: 0, height: 100 } }, context),
      /has no area .* is 400x300 pixels/,
    );
    await assert.rejects(
      call(crop, { path, box: { left: 10, top: 10, width: 0.2, height: 50 }, unit: "pixels" }, context),
      /smaller than one pixel\. .* is 400x300 pixels/,
    );
  } finally {
    await dispose();
  }
});

test("zoom scales a region up by the factor, and the whole image by default", async () => {
  const { context, dispose } = await imageWorkspace();
  try {
    const region = await resultImage(await call(zoom, { path, box: { left: 270, top: 195, width: 60, height: 60 }, factor: 4 }, context));
    assert.equal(region.width, 240);
    assert.equal(region.height, 240);
    assert.ok(near(await pixelAt(region.data, 120, 120), { r: 0, g: 0, b: 0 }), "the disc fills the centre");
    assert.ok(near(await pixelAt(region.data, 2, 2), quadrantColours.bottomRight));
    assert.match(
      region.text,
      /^Zoomed 4x into left 270, top 195, width 60, height 60 of attachments\/quadrants\.png \(400x300 PNG\) → images\/zoom-1\.png \(240x240 PNG\)\.$/,
    );

    const whole = await resultImage(await call(zoom, { path }, context));
    assert.equal(whole.width, 800);
    assert.equal(whole.height, 600);
  } finally {
    await dispose();
  }
});

test("zoom lowers the factor to stay within the output limit and says so", async () => {
  const { context, dispose } = await imageWorkspace();
  try {
    const limited = createImageZoomTool({
      maxOutputSide: 600,
      maxOutputBytes: 3_500_000,
      maxInputPixels: 100_000_000,
      maxInputBytes: 50_000_000,
    });
    const image = await resultImage(await call(limited, { path, box: { left: 0, top: 0, width: 200, height: 150 }, factor: 8 }, context));
    assert.equal(image.width, 600);
    assert.equal(image.height, 450);
    assert.match(image.text, /Zoomed 3x .*factor was lowered from 8 to 3 to keep the longest side within 600 px/);
    assert.ok(!zoom.parameters.safeParse({ path, factor: 20 }).success, "factors above 8 are refused by the schema");
  } finally {
    await dispose();
  }
});

test("a crop larger than the output limit is scaled down and the model is told", async () => {
  const { context, dispose } = await imageWorkspace();
  try {
    const small = createImageCropTool({
      maxOutputSide: 256,
      maxOutputBytes: 3_500_000,
      maxInputPixels: 100_000_000,
      maxInputBytes: 50_000_000,
    });
    const image = await resultImage(await call(small, { path, box: { left: 0, top: 0, width: 400, height: 300 } }, context));
    assert.equal(image.width, 256);
    assert.equal(image.height, 192);
    assert.match(image.text, /scaled down from 400x300 to keep the longest side within 256 px/);
  } finally {
    await dispose();
  }
});

test("a result too large as PNG is sent as JPEG", async () => {
  const { context, workspace, dispose } = await imageWorkspace();
  try {
    const noise = randomBytes(300 * 200 * 3);
    await sharp(noise, { raw: { width: 300, height: 200, channels: 3 } })
      .png()
      .toFile(join(workspace, "noise.png"));
    const tight = createImageCropTool({
      maxOutputSide: 2048,
      maxOutputBytes: 150_000,
      maxInputPixels: 100_000_000,
      maxInputBytes: 50_000_000,
    });
    const output = await call(tight, { path: "noise.png", box: { left: 0, top: 0, width: 300, height: 200 } }, context);
    const image = await resultImage(output);
    assert.equal(image.mediaType, "image/jpeg");
    assert.equal(image.format, "jpeg");
    assert.equal(output.artifacts?.[0]?.name, "images/crop-1.jpg");
  } finally {
    await dispose();
  }
});
