// `image_info`: the size and format of an image, or a list of the images in the workspace.
// Reads headers only, so it is cheap, and works for models that cannot see images too.
import type SharpModule from "sharp";
import { lazyRequire } from "../lazy-require.js";

const sharp = lazyRequire<typeof SharpModule>("sharp");
import { z } from "zod";
import { defineTool } from "../tool.js";
import type { Tool } from "../tool.js";
import { defaultImageToolSettings } from "./image-settings.js";
import type { ImageToolSettings } from "./image-settings.js";
import { formatBytes } from "./format-bytes.js";
import { loadImage } from "./load-image.js";
import { imagePathSchema } from "./workspace-image-path.js";
import { listWorkspaceImages } from "./workspace-images.js";
import { WorkspaceAccessError } from "../files/workspace-access-error.js";
import { WorkspaceDirectory } from "../files/workspace-directory.js";

const parameters = z.object({
  path: imagePathSchema
    .optional()
    .describe("The image to describe, relative to the workspace. Leave it out to list every image in the workspace with its size."),
});

export type ImageInfoArguments = z.infer<typeof parameters>;

/** How many images a listing describes; the rest are counted. */
const maxListed = 50;

export function createImageInfoTool(settings: ImageToolSettings = defaultImageToolSettings): Tool<ImageInfoArguments> {
  return defineTool({
    name: "image_info",
    description:
      "Width, height and format of an image in the workspace; without a path, a list of the images in the workspace " +
      "(attachments/ holds the user's images, images/ the results of the image tools).",
    parameters,
    effects: "read",
    idempotent: true,
    async run(args, context) {
      if (args.path === undefined) return { content: await listing(context.workspace, settings, context.signal) };
      const image = await loadImage(context.workspace, args.path, settings, context.signal);
      const parts = [
        `${image.path}: ${image.width}x${image.height} pixels, ${image.format}`,
        `${image.hasAlpha ? "with" : "no"} transparency`,
        formatBytes(image.data.length),
      ];
      if (image.pages > 1) parts.push(`${image.pages} frames (the image tools use the first)`);
      if (image.reoriented) parts.push("turned upright from its EXIF orientation (the tools see it this way up)");
      return { content: `${parts.join(", ")}.` };
    },
  });
}

async function listing(workspace: string, settings: ImageToolSettings, signal: AbortSignal): Promise<string> {
  const paths = await listWorkspaceImages(workspace);
  if (paths.length === 0) return "There are no image files in the workspace yet.";
  const lines: string[] = [];
  await WorkspaceDirectory.with(workspace, async (directory) => {
    for (const path of paths.slice(0, maxListed)) {
      signal.throwIfAborted();
      // Read through the descriptor walk like every other workspace read; headers only are decoded.
      const file = await directory.readFile(path, { maxBytes: settings.maxInputBytes, signal }).catch((error: unknown) => {
        if (error instanceof WorkspaceAccessError) return error;
        throw error;
      });
      if (file instanceof WorkspaceAccessError) {
        lines.push(
          `${path}: ${file.reason === "too-large" ? `more than the ${formatBytes(settings.maxInputBytes)} limit of the image tools` : "no longer a readable file"}`,
        );
        continue;
      }
      const size = await sharp()(file.bytes)
        .metadata()
        .then((metadata) => `${metadata.autoOrient.width}x${metadata.autoOrient.height} ${metadata.format.toUpperCase()}`)
        .catch(() => "not readable as an image");
      lines.push(`${path}: ${size}, ${formatBytes(file.bytes.length)}`);
    }
  });
  if (paths.length > maxListed) lines.push(`(and ${paths.length - maxListed} more)`);
  return `${paths.length} image${paths.length === 1 ? "" : "s"} in the workspace:\n${lines.join("\n")}`;
}
