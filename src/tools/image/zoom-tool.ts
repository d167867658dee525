// `image_zoom`: a region scaled up, for small text, dense charts and fine detail. Lanczos
// resampling keeps edges and lettering sharp; the factor shrinks if the result would pass the
// output limit, and the model is told the factor it got.
import { z } from "zod";
import { defineTool } from "../tool.js";
import type { Tool } from "../tool.js";
import { boxSchema, describeBox, resolveBox, unitSchema, wholeImage } from "./image-box.js";
import { imageResult } from "./image-result.js";
import { defaultImageToolSettings } from "./image-settings.js";
import type { ImageToolSettings } from "./image-settings.js";
import { describeSource, loadImage } from "./load-image.js";
import { decodeRegion } from "./raw-image.js";
import { imagePathSchema } from "./workspace-image-path.js";

const parameters = z.object({
  path: imagePathSchema,
  box: boxSchema
    .optional()
    .describe('The region to enlarge (default: the whole image), in pixels or, with unit "fraction", fractions 0..1.'),
  unit: unitSchema,
  factor: z.number().min(1).max(8).default(2).describe("How many times larger to show the region: 1 to 8 (default 2)."),
});

export type ImageZoomArguments = z.infer<typeof parameters>;

export function createImageZoomTool(settings: ImageToolSettings = defaultImageToolSettings): Tool<ImageZoomArguments> {
  return defineTool({
    name: "image_zoom",
    description:
      "Enlarge a region of an image in the workspace to read small text or see fine detail: the region is scaled up by factor " +
      `(2 to 8 times) and saved as images/zoom-<n>.png, which you can crop or zoom again. Results are at most ${settings.maxOutputSide} px ` +
      "on their longest side, so zoom into small regions for big factors. The box is in pixels ({left, top, width, height}) or " +
      'fractions 0..1 with unit "fraction".',
    parameters,
    effects: "write",
    idempotent: true,
    async run(args, context) {
      const source = await loadImage(context.workspace, args.path, settings, context.signal);
      const resolved = args.box ? resolveBox(args.box, args.unit, source) : { box: wholeImage(source), clipped: false, fractional: false };
      const { box } = resolved;
      const requested = args.factor;
      const factor = Math.min(requested, settings.maxOutputSide / Math.max(box.width, box.height));
      const size = { width: Math.max(1, Math.round(box.width * factor)), height: Math.max(1, Math.round(box.height * factor)) };
      const raw = await decodeRegion(source, settings, { region: box, size }, context.signal);
      const notes: string[] = [];
      if (resolved.fractional) notes.push("The box was read as fractions of the image's size.");
      if (resolved.clipped)
        notes.push(`The box reached outside the image and was cut to it (the image is ${source.width}x${source.height}).`);
      if (factor < requested) {
        notes.push(
          `The factor was lowered from ${requested} to ${round(factor)} to keep the longest side within ${settings.maxOutputSide} px; ` +
            "zoom into a smaller box to enlarge more.",
        );
      }
      return imageResult(
        raw,
        {
          operation: "zoom",
          describe: (output) => `Zoomed ${round(factor)}x into ${describeBox(box)} of ${describeSource(source)} → ${output}.`,
          notes,
        },
        context,
        settings,
      );
    },
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
