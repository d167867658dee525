import { readFile } from "node:fs/promises";
import { ConfigError } from "../core/errors.js";
import type { ImagePart } from "../core/items.js";
import { mediaTypeOf } from "../tools/media-types.js";

const imageTypes = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** An image file attached by the user, as a data URL the model can see. */
export async function imagePartFromFile(path: string): Promise<ImagePart> {
  const mediaType = mediaTypeOf(path);
  if (!imageTypes.has(mediaType))
    throw new ConfigError(`Cannot attach ${path}: not a PNG, JPEG, GIF or WebP image.`, "Convert it to PNG or JPEG.");
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`Cannot read image ${path}: ${error.code === "ENOENT" ? "no such file" : error.message}.`);
  });
  return { type: "input_image", image_url: `data:${mediaType};base64,${bytes.toString("base64")}` };
}
