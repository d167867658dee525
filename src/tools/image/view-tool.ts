// `image_view`: look at an image file as it is — a plot saved by Python, a browser screenshot,
// an attachment — within the output limit. Other tools name files; this one shows them.
import { z } from "zod";
import { defineTool } from "../tool.js";
import type { Tool } from "../tool.js";
import { imageResult } from "./image-result.js";
import { defaultImageToolSettings } from "./image-settings.js";
import type { ImageToolSettings } from "./image-settings.js";
import { describeSource, loadImage } from "./load-image.js";
import { decodeRegion, shrinkNotes } from "./raw-image.js";
import { imagePathSchema } from "./workspace-image-path.js";

const parameters = z.object({ path: imagePathSchema });

export type ImageViewArguments = z.infer<typeof parameters>;

export function createImageViewTool(settings: ImageToolSettings = defaultImageToolSettings): Tool<ImageViewArguments> {
  return defineTool({
    name: "image_view",
    description:
      "Look at an image file in the workspace: a plot your Python code saved, a browser screenshot, an attached image. " +
      `Images larger than ${settings.maxOutputSide} px are shown scaled down; use image_zoom or image_crop for detail.`,
    parameters,
    effects: "write",
    idempotent: true,
    async run(args, context) {
      const source = await loadImage(context.workspace, args.path, settings, context.signal);
      const raw = await decodeRegion(source, settings, {}, context.signal);
      return imageResult(
        raw,
        {
          operation: "view",
          describe: (output) => `${describeSource(source)}, shown as ${output}.`,
          notes: shrinkNotes(source, raw, settings),
        },
        context,
        settings,
      );
    },
  });
}
