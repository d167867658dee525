// `image_enhance`: make faint or low-contrast content legible: stretch the contrast, sharpen,
// and for reading text optionally drop colour or cut to pure black and white at a threshold.
import type { Sharp } from "sharp";
import { z } from "zod";
import { defineTool } from "../tool.js";
import type { Tool } from "../tool.js";
import { imageResult } from "./image-result.js";
import { defaultImageToolSettings } from "./image-settings.js";
import type { ImageToolSettings } from "./image-settings.js";
import { describeSource, loadImage } from "./load-image.js";
import { decodeRegion, pipelineOf, shrinkNotes, toRaw } from "./raw-image.js";
import { imagePathSchema } from "./workspace-image-path.js";

const parameters = z.object({
  path: imagePathSchema,
  normalize: z
    .boolean()
    .default(true)
    .describe("Stretch the contrast so the darkest part becomes black and the lightest white (default true)."),
  sharpen: z.boolean().default(true).describe("Sharpen edges and lettering (default true)."),
  grayscale: z.boolean().default(false).describe("Drop colour (default false)."),
  threshold: z
    .number()
    .int()
    .min(1)
    .max(254)
    .optional()
    .describe("Turn every pixel black or white: lighter than this value (1-254, try 128) becomes white. For faint or noisy text."),
  invert: z.boolean().default(false).describe("Swap light and dark, e.g. for light text on a dark background (default false)."),
});

export type ImageEnhanceArguments = z.infer<typeof parameters>;

export function createImageEnhanceTool(settings: ImageToolSettings = defaultImageToolSettings): Tool<ImageEnhanceArguments> {
  return defineTool({
    name: "image_enhance",
    description:
      "Make an image in the workspace easier to read: stretch contrast and sharpen (both on by default), optionally grayscale, " +
      "invert, or threshold to pure black and white for faint text. The result is saved as images/enhance-<n>.png. Works on the " +
      "whole image: crop or zoom first to enhance one part.",
    parameters,
    effects: "write",
    idempotent: true,
    async run(args, context) {
      const source = await loadImage(context.workspace, args.path, settings, context.signal);
      const raw = await decodeRegion(source, settings, {}, context.signal);
      // sharp applies the operations of one pipeline in its own fixed order (threshold before
      // normalise), so each step runs as its own pass, in the order written here: contrast first,
      // so sharpening and the threshold work on the full range of tones.
      const steps: { name: string; apply: (pipeline: Sharp) => Sharp }[] = [];
      if (args.normalize) steps.push({ name: "contrast stretched", apply: (pipeline) => pipeline.normalise() });
      if (args.sharpen) steps.push({ name: "sharpened", apply: (pipeline) => pipeline.sharpen({ sigma: 1 }) });
      if (args.grayscale && args.threshold === undefined) steps.push({ name: "grayscale", apply: (pipeline) => pipeline.grayscale() });
      if (args.threshold !== undefined) {
        const threshold = args.threshold;
        steps.push({ name: `black and white at threshold ${threshold}`, apply: (pipeline) => pipeline.threshold(threshold) });
      }
      if (args.invert) steps.push({ name: "inverted", apply: (pipeline) => pipeline.negate({ alpha: false }) });
      let enhanced = raw;
      for (const step of steps) enhanced = await toRaw(step.apply(pipelineOf(enhanced)), context.signal);
      const done = steps.length > 0 ? steps.map((step) => step.name).join(", ") : "unchanged (every option was off)";
      return imageResult(
        enhanced,
        {
          operation: "enhance",
          describe: (output) => `Enhanced ${describeSource(source)}: ${done} → ${output}.`,
          notes: shrinkNotes(source, raw, settings),
        },
        context,
        settings,
      );
    },
  });
}
