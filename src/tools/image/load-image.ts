// Reads an image from the workspace and checks it before any pixel is decoded: the file size,
// the format, and the pixel count its header claims (a few kilobytes of PNG can claim a
// gigapixel). Everything later decodes from the bytes read here, through `decoderOf`, so the
// file cannot be swapped for another between the checks and the work.
import type SharpModule from "sharp";
import type { Metadata, Sharp } from "sharp";
import { lazyRequire } from "../lazy-require.js";

const sharp = lazyRequire<typeof SharpModule>("sharp");
import { ToolError, errorMessage, isAbortError } from "../../core/errors.js";
import type { ImageToolSettings } from "./image-settings.js";
import { readWorkspaceImage } from "./workspace-image-path.js";

export type SourceImage = {
  /** Workspace-relative path, as shown to the model. */
  path: string;
  data: Buffer;
  /** Width and height as the image is seen: after its EXIF orientation is applied. */
  width: number;
  height: number;
  /** Display name of the format: PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG. */
  format: string;
  hasAlpha: boolean;
  /** Frames of an animated GIF or WebP, pages of a TIFF; the tools use the first. */
  pages: number;
  /** Whether an EXIF orientation other than "upright" was applied. */
  reoriented: boolean;
};

const supportedFormats = "PNG, JPEG, WebP, GIF, TIFF, AVIF or SVG";

export async function loadImage(
  workspace: string,
  requested: string,
  settings: ImageToolSettings,
  signal: AbortSignal,
): Promise<SourceImage> {
  const file = await readWorkspaceImage(workspace, requested, settings.maxInputBytes, signal);
  if (file.bytes.length === 0) throw new ToolError(`"${file.relative}" is an empty file (0 bytes), not an image.`);
  const data = file.bytes;
  signal.throwIfAborted();
  let metadata: Metadata;
  try {
    // Headers only, so no pixel limit here: the check below states the size the header claims.
    metadata = await sharp()(data, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ToolError(
      `"${file.relative}" is not an image the tools can read (${supportedFormats}), or it is corrupt: ${decoderMessage(error)}.`,
    );
  }
  const format = formatName(metadata);
  if (format === undefined) {
    const kind = metadata.format === "heif" ? "HEIC (HEVC-compressed)" : metadata.format.toUpperCase();
    throw new ToolError(
      `"${file.relative}" is a ${kind} image, which the image tools cannot decode; they read ${supportedFormats}. Convert it first, or ask the user for a PNG or JPEG.`,
    );
  }
  const { width, height } = metadata.autoOrient;
  if (width * height > settings.maxInputPixels) {
    throw new ToolError(
      `"${file.relative}" is ${width}x${height} pixels (${megapixels(width * height)} megapixels), more than the ${megapixels(settings.maxInputPixels)} megapixel limit ` +
        "of the image tools; it was refused unread (very large images can exhaust memory). Ask the user for a smaller version.",
    );
  }
  return {
    path: file.relative,
    data,
    width,
    height,
    format,
    hasAlpha: metadata.hasAlpha,
    pages: metadata.pages ?? 1,
    reoriented: (metadata.orientation ?? 1) !== 1,
  };
}

/** A sharp pipeline over the source: upright, the first frame, within the pixel limit. */
export function decoderOf(source: SourceImage, settings: ImageToolSettings): Sharp {
  return sharp()(source.data, { autoOrient: true, limitInputPixels: settings.maxInputPixels, failOn: "error" });
}

/** "attachments/photo.png (400x300 PNG)": how results name their source. */
export function describeSource(source: SourceImage): string {
  return `${source.path} (${source.width}x${source.height} ${source.format})`;
}

/**
 * Runs decoding work and turns a decoder failure into a message about the file. Errors that are
 * already ToolErrors, and aborts, pass through unchanged.
 */
export async function withDecodeErrors<T>(source: SourceImage, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ToolError || isAbortError(error)) throw error;
    throw new ToolError(
      `"${source.path}" says it is a ${source.width}x${source.height} ${source.format} image, but its pixel data could not be decoded ` +
        `(it is probably corrupt or truncated): ${decoderMessage(error)}.`,
    );
  }
}

function formatName(metadata: Metadata): string | undefined {
  switch (metadata.format) {
    case "jpeg":
      return "JPEG";
    case "png":
      return "PNG";
    case "webp":
      return "WebP";
    case "gif":
      return "GIF";
    case "tiff":
      return "TIFF";
    case "svg":
      return "SVG";
    case "heif":
      // The bundled libheif decodes AV1 only; HEVC (iPhone HEIC) needs a patented decoder.
      return metadata.compression === "av1" ? "AVIF" : undefined;
    default:
      return undefined;
  }
}

/** libvips messages end in a colon or a newline when they have no detail; keep only the words. */
function decoderMessage(error: unknown): string {
  return errorMessage(error)
    .trim()
    .replace(/[:.\s]+$/, "");
}

function megapixels(pixels: number): string {
  return (pixels / 1_000_000).toFixed(pixels < 10_000_000 ? 1 : 0);
}
