// `image_grid`: the image with a labelled coordinate grid over it. Models are poor at guessing
// pixel positions from a picture but good at reading numbers off one, so this is the step
// before a precise crop or zoom.
import { z } from "zod";
import { defineTool } from "../tool.js";
import type { Tool } from "../tool.js";
import { gridOverlaySvg, planGrid } from "./grid-overlay.js";
import { imageResult } from "./image-result.js";
import { defaultImageToolSettings } from "./image-settings.js";
import type { ImageToolSettings } from "./image-settings.js";
import { describeSource, loadImage } from "./load-image.js";
import { decodeRegion, pipelineOf, toRaw } from "./raw-image.js";
import { imagePathSchema } from "./workspace-image-path.js";

const parameters = z.object({
  path: imagePathSchema,
  spacing: z
    .number()
    .int()
    .min(4)
    .optional()
    .describe("Pixels between grid lines, in the image's own pixels (default: a round number giving about 8 cells along the longer side)."),
  cells: z.number().int().min(2).max(26).optional().describe("Instead of spacing: divide each side into this many equal cells (2-26)."),
});

export type ImageGridArguments = z.infer<typeof parameters>;

export function createImageGridTool(settings: ImageToolSettings = defaultImageToolSettings): Tool<ImageGridArguments> {
  return defineTool({
    name: "image_grid",
    description:
      "Draw a labelled coordinate grid over an image in the workspace, to read positions off it: each line is labelled with " +
      "its pixel coordinate in the original image (x along the top, y down the left side). Then crop or zoom the ORIGINAL " +
      "image with a box in those coordinates. The result is saved as images/grid-<n>.png.",
    parameters,
    effects: "write",
    idempotent: true,
    async run(args, context) {
      const source = await loadImage(context.workspace, args.path, settings, context.signal);
      const grid = planGrid(source, {
        ...(args.spacing !== undefined ? { spacing: args.spacing } : {}),
        ...(args.cells !== undefined ? { cells: args.cells } : {}),
      });
      const raw = await decodeRegion(source, settings, {}, context.signal);
      const overlay = Buffer.from(gridOverlaySvg(raw, source, grid));
      const drawn = await toRaw(pipelineOf(raw).composite([{ input: overlay, left: 0, top: 0 }]), context.signal);
      const scaled = raw.width !== source.width ? " (not of the scaled-down picture)" : "";
      return imageResult(
        drawn,
        {
          operation: "grid",
          describe: (output) =>
            `Drew a grid on ${describeSource(source)}: ${grid.description}, x lines at ${listed(grid.xs)} and y lines at ${listed(grid.ys)}, ` +
            `labelled with pixel coordinates of ${source.path}${scaled} → ${output}. Crop or zoom ${source.path} with a box in these coordinates.`,
        },
        context,
        settings,
      );
    },
  });
}

/** "50, 100, …, 350": the positions, shortened when there are many. */
function listed(positions: number[]): string {
  if (positions.length === 0) return "none";
  if (positions.length <= 6) return positions.join(", ");
  return `${positions.slice(0, 3).join(", ")}, …, ${positions.at(-1)}`;
}
