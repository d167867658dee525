// `image_rotate`: turn an image upright (a sideways scan, a tilted photo of a page). Positive
// degrees turn clockwise; any angle works, and the corners a non-right angle uncovers are filled
// with the background colour.
import { z } from "zod";
import { ToolError } from "../../core/errors.js";
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
  degrees: z
    .number()
    .min(-360)
    .max(360)
    .describe("Angle to turn by, clockwise; negative turns counter-clockwise. E.g. 90, -90, 180, 12.5."),
  background: z
    .string()
    .default("white")
    .describe(
      'Colour of the corners uncovered by angles that are not multiples of 90: a name ("white", "black") or "#rrggbb". Default white.',
    ),
});

export type ImageRotateArguments = z.infer<typeof parameters>;

export function createImageRotateTool(settings: ImageToolSettings = defaultImageToolSettings): Tool<ImageRotateArguments> {
  return defineTool({
    name: "image_rotate",
    description:
      "Rotate an image in the workspace by any angle (clockwise; negative for counter-clockwise), e.g. to turn a sideways page " +
      "upright before reading it. The result is saved as images/rotate-<n>.png. A big photo is scaled down to fit the output " +
      "limit, so to read fine print, crop the region first and rotate the crop.",
    parameters,
    effects: "write",
    idempotent: true,
    async run(args, context) {
      const source = await loadImage(context.workspace, args.path, settings, context.signal);
      const raw = await decodeRegion(source, settings, {}, context.signal);
      let rotated;
      try {
        rotated = await toRaw(pipelineOf(raw).rotate(args.degrees, { background: args.background }), context.signal);
      } catch (error) {
        if (error instanceof Error && /colou?r/i.test(error.message)) {
          throw new ToolError(`"${args.background}" is not a colour. Use a name such as white or black, or a hex value such as #808080.`);
        }
        throw error;
      }
      const direction = args.degrees >= 0 ? "clockwise" : "counter-clockwise";
      return imageResult(
        rotated,
        {
          operation: "rotate",
          describe: (output) => `Rotated ${describeSource(source)} ${Math.abs(args.degrees)}° ${direction} → ${output}.`,
          notes: shrinkNotes(source, raw, settings),
        },
        context,
        settings,
      );
    },
  });
}
