// `image_crop`: cut a region out of an image at full resolution, to look at one part alone.
import { z } from "zod";
import { defineTool } from "../tool.js";
import type { Tool } from "../tool.js";
import { boxSchema, describeBox, resolveBox, unitSchema } from "./image-box.js";
import { imageResult } from "./image-result.js";
import { defaultImageToolSettings } from "./image-settings.js";
import type { ImageToolSettings } from "./image-settings.js";
import { describeSource, loadImage } from "./load-image.js";
import { decodeRegion, shrinkNotes } from "./raw-image.js";
import { imagePathSchema } from "./workspace-image-path.js";

const parameters = z.object({
  path: imagePathSchema,
  box: boxSchema,
  unit: unitSchema,
});

export type ImageCropArguments = z.infer<typeof parameters>;

/** Below this longest side a crop is hard to read, and the model is pointed at image_zoom. */
const smallCropSide = 200;

export function createImageCropTool(settings: ImageToolSettings = defaultImageToolSettings): Tool<ImageCropArguments> {
  return defineTool({
    name: "image_crop",
    description:
      "Crop a rectangle out of an image in the workspace and look at it: the result is a new image saved as images/crop-<n>.png, " +
      "which you can crop, zoom or enhance again. The box is in pixels of the image ({left, top, width, height}; x grows to the " +
      'right, y downwards), or fractions 0..1 of its size with unit "fraction" (e.g. {left: 0.5, top: 0, width: 0.5, height: 0.5} ' +
      "is the top-right quarter). Use image_grid first to read pixel coordinates off the image.",
    parameters,
    effects: "write",
    idempotent: true,
    async run(args, context) {
      const source = await loadImage(context.workspace, args.path, settings, context.signal);
      const { box, clipped, fractional } = resolveBox(args.box, args.unit, source);
      const raw = await decodeRegion(source, settings, { region: box }, context.signal);
      const notes: string[] = [];
      if (fractional) notes.push("The box was read as fractions of the image's size.");
      if (clipped) notes.push(`The box reached outside the image and was cut to it (the image is ${source.width}x${source.height}).`);
      notes.push(...shrinkNotes(box, raw, settings));
      if (Math.max(box.width, box.height) < smallCropSide) notes.push("The crop is small; image_zoom shows a region enlarged.");
      return imageResult(
        raw,
        { operation: "crop", describe: (output) => `Cropped ${describeSource(source)} to ${describeBox(box)} → ${output}.`, notes },
        context,
        settings,
      );
    },
  });
}
