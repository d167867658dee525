// Regions of an image, as the model names them: a pixel box, or the same box in fractions of the
// width and height (0..1), which needs no knowledge of the image's size. A box that sticks out of
// the image is clipped to it (models often overshoot by a few pixels); a box with no overlap or
// no area is an error that states the image's real size.
import { z } from "zod";
import { ToolError } from "../../core/errors.js";

export type PixelBox = { left: number; top: number; width: number; height: number };

export const boxSchema = z
  .object({
    left: z.number().describe("Distance of the box's left edge from the image's left edge."),
    top: z.number().describe("Distance of the box's top edge from the image's top edge."),
    width: z.number().describe("Width of the box."),
    height: z.number().describe("Height of the box."),
  })
  .describe('A rectangle of the image: pixels, or fractions 0..1 of the width and height when unit is "fraction".');

export const unitSchema = z
  .enum(["pixels", "fraction"])
  .optional()
  .describe("Unit of the box. Default: pixels, except that a box whose four values are all between 0 and 1 is read as fractions.");

export type BoxArgument = z.infer<typeof boxSchema>;
export type BoxUnit = z.infer<typeof unitSchema>;

export type ResolvedBox = {
  box: PixelBox;
  /** The requested box stuck out of the image and was cut to it. */
  clipped: boolean;
  /** The box was read as fractions of the image's size. */
  fractional: boolean;
};

type ImageSize = { path: string; width: number; height: number };

export function resolveBox(requested: BoxArgument, unit: BoxUnit, image: ImageSize): ResolvedBox {
  const values = [requested.left, requested.top, requested.width, requested.height];
  const fractional = unit === "fraction" || (unit === undefined && values.every((value) => value >= 0 && value <= 1));
  const size = `"${image.path}" is ${image.width}x${image.height} pixels`;
  if (requested.width <= 0 || requested.height <= 0) {
    throw new ToolError(
      `The box has no area (width ${requested.width}, height ${requested.height}). ${size}; give a box with a positive width and height. ${example(image)}`,
    );
  }
  const scaleX = fractional ? image.width : 1;
  const scaleY = fractional ? image.height : 1;
  const left = Math.round(requested.left * scaleX);
  const top = Math.round(requested.top * scaleY);
  const right = Math.round((requested.left + requested.width) * scaleX);
  const bottom = Math.round((requested.top + requested.height) * scaleY);
  const clippedLeft = Math.max(0, left);
  const clippedTop = Math.max(0, top);
  const clippedRight = Math.min(image.width, right);
  const clippedBottom = Math.min(image.height, bottom);
  const asPixels = `left ${left}, top ${top}, right ${right}, bottom ${bottom} in pixels${fractional ? " (read as fractions of the image)" : ""}`;
  if (right <= left || bottom <= top) {
    throw new ToolError(`The box (${asPixels}) is smaller than one pixel. ${size}. ${example(image)}`);
  }
  if (clippedRight <= clippedLeft || clippedBottom <= clippedTop) {
    throw new ToolError(
      `The box (${asPixels}) lies outside the image: ${size}, so x runs from 0 to ${image.width} and y from 0 to ${image.height}. ${example(image)}`,
    );
  }
  return {
    box: { left: clippedLeft, top: clippedTop, width: clippedRight - clippedLeft, height: clippedBottom - clippedTop },
    clipped: clippedLeft !== left || clippedTop !== top || clippedRight !== right || clippedBottom !== bottom,
    fractional,
  };
}

/** The whole image as a box. */
export function wholeImage(image: { width: number; height: number }): PixelBox {
  return { left: 0, top: 0, width: image.width, height: image.height };
}

export function describeBox(box: PixelBox): string {
  return `left ${box.left}, top ${box.top}, width ${box.width}, height ${box.height}`;
}

function example(image: ImageSize): string {
  const width = Math.max(1, Math.round(image.width / 2));
  const height = Math.max(1, Math.round(image.height / 2));
  return `For example, its top-left quarter is the box {"left": 0, "top": 0, "width": ${width}, "height": ${height}}, or the box {"left": 0, "top": 0, "width": 0.5, "height": 0.5} with "unit": "fraction".`;
}
