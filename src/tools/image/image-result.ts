// Every operation ends here: the new image is saved under `images/` in the workspace (so the
// model can chain: crop the zoomed image again) and returned as an artifact, with one line of
// text saying what was done, the output's size and its path, then the image itself. A model
// that cannot see images gets the line and an explanation instead of the picture.
import { join } from "node:path";
import { ToolError, ToolInfraError, errorMessage } from "../../core/errors.js";
import { WorkspaceAccessError } from "../files/workspace-access-error.js";
import { WorkspaceDirectory } from "../files/workspace-directory.js";
import type { ToolContext, ToolOutput } from "../tool.js";
import { encodeBounded } from "./encode-image.js";
import type { EncodedImage } from "./encode-image.js";
import type { ImageToolSettings } from "./image-settings.js";
import type { RawImage } from "./raw-image.js";

/** The folder of results, relative to the workspace. */
export const resultFolder = "images";

export type ResultDescription = {
  /** Names the file: `images/<operation>-<n>.png`. */
  operation: string;
  /** The sentence about what was done, given "images/crop-1.png (200x150 PNG)". */
  describe: (output: string) => string;
  /** Further sentences: a clipped box, a reduced factor. */
  notes?: string[];
};

export async function imageResult(
  raw: RawImage,
  description: ResultDescription,
  context: ToolContext,
  settings: ImageToolSettings,
): Promise<ToolOutput> {
  const encoded = await encodeBounded(raw, settings, context.signal);
  const path = await saveResult(context.workspace, description.operation, encoded);
  context.signal.throwIfAborted();
  const output = `${path} (${encoded.width}x${encoded.height} ${encoded.format === "png" ? "PNG" : "JPEG"})`;
  const notes = [...(description.notes ?? [])];
  if (encoded.scaledFrom) {
    notes.push(
      `It was scaled down from ${encoded.scaledFrom.width}x${encoded.scaledFrom.height} to keep the longest side within ${settings.maxOutputSide} px.`,
    );
  }
  const text = [description.describe(output), ...notes].join(" ");
  const mediaType = encoded.format === "png" ? "image/png" : "image/jpeg";
  const artifacts = [{ path: join(context.workspace, path), name: path, mediaType }];
  if (!context.model.vision) {
    return {
      content:
        `${text}\nThe image was saved, but it is not shown to you: this model (${context.model.id}) cannot see images. ` +
        "Work from text instead (image_info still reports sizes and formats), or tell the user to run Ponder with a vision " +
        "model (for example openai:gpt-5-mini or anthropic:claude-sonnet-4-5) to look at it.",
      artifacts,
    };
  }
  return {
    content: [
      { type: "input_text", text },
      { type: "input_image", image_url: `data:${mediaType};base64,${encoded.data.toString("base64")}` },
    ],
    artifacts,
  };
}

/** Writes the image as the next free `images/<operation>-<n>.<ext>`; parallel calls never share a name. */
async function saveResult(workspace: string, operation: string, encoded: EncodedImage): Promise<string> {
  return WorkspaceDirectory.with(
    workspace,
    async (root) => {
      // Sandboxed code can write here too: the folder is held by its descriptor, so a link named
      // `images` (or one swapped in later) cannot send our writes elsewhere.
      const folder = await root.makeDirectory(resultFolder).catch((error: unknown) => {
        if (error instanceof WorkspaceAccessError) {
          throw new ToolError(
            `Cannot save the result: "${resultFolder}" in the workspace is not a folder (a file or link has that name). Rename or remove it, then try again.`,
          );
        }
        throw error;
      });
      try {
        const extension = encoded.format === "png" ? "png" : "jpg";
        const pattern = new RegExp(`^${operation}-(\\d+)\\.(png|jpg)$`);
        const taken = (await folder.entries()).map(({ name }) => Number(pattern.exec(name)?.[1] ?? 0));
        for (let number = Math.max(0, ...taken) + 1; ; number++) {
          const name = `${operation}-${number}.${extension}`;
          try {
            await folder.writeFile(name, encoded.data, { exclusive: true });
            return `${resultFolder}/${name}`;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EEXIST")
              throw new ToolInfraError(`Could not save the result image in the workspace: ${errorMessage(error)}`, error);
          }
        }
      } finally {
        await folder.close();
      }
    },
    { create: true },
  );
}
