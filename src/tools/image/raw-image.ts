// Decoded pixels between the steps of an operation. Each tool first decodes the part of the
// source it needs at the size it will show (so a zoom never decodes more than it must, and a
// 100-megapixel photo is shrunk while it is read), then works on raw 8-bit sRGB pixels.
import type SharpModule from "sharp";
import type { Sharp } from "sharp";
import { lazyRequire } from "../lazy-require.js";

const sharp = lazyRequire<typeof SharpModule>("sharp");
import type { ImageToolSettings } from "./image-settings.js";
import type { PixelBox } from "./image-box.js";
import { decoderOf, withDecodeErrors } from "./load-image.js";
import type { SourceImage } from "./load-image.js";

export type RawImage = { data: Buffer; width: number; height: number; channels: 1 | 2 | 3 | 4 };

export type Size = { width: number; height: number };

/** The size `size` is shown at when its longest side may be at most `maxSide`. */
export function fitWithin(size: Size, maxSide: number): Size {
  const scale = Math.min(1, maxSide / Math.max(size.width, size.height));
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/**
 * Decodes `region` of the source (default: all of it), upright and in sRGB, resized to `size`
 * when given (Lanczos, sharp for text and edges both ways), otherwise shrunk to fit the output
 * limit.
 */
export async function decodeRegion(
  source: SourceImage,
  settings: ImageToolSettings,
  options: { region?: PixelBox; size?: Size },
  signal: AbortSignal,
): Promise<RawImage> {
  const region = options.region ?? { left: 0, top: 0, width: source.width, height: source.height };
  const size = options.size ?? fitWithin(region, settings.maxOutputSide);
  let pipeline = decoderOf(source, settings);
  if (region.width !== source.width || region.height !== source.height) pipeline = pipeline.extract(region);
  if (size.width !== region.width || size.height !== region.height) {
    pipeline = pipeline.resize(size.width, size.height, { fit: "fill", kernel: "lanczos3" });
  }
  return withDecodeErrors(source, () => toRaw(pipeline, signal));
}

/** A sharp pipeline over raw pixels. */
export function pipelineOf(raw: RawImage): Sharp {
  return sharp()(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
}

/** Runs a pipeline to raw 8-bit sRGB pixels (3 channels, or 4 with alpha). */
export async function toRaw(pipeline: Sharp, signal: AbortSignal): Promise<RawImage> {
  signal.throwIfAborted();
  const { data, info } = await pipeline.toColourspace("srgb").raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  signal.throwIfAborted();
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The sentence that says a result was shrunk to the output limit, or nothing. */
export function shrinkNotes(region: Size, raw: RawImage, settings: ImageToolSettings): string[] {
  if (raw.width === region.width && raw.height === region.height) return [];
  return [
    `It is shown scaled down from ${region.width}x${region.height} to keep the longest side within ${settings.maxOutputSide} px; ` +
      "crop or zoom a smaller region to see full detail.",
  ];
}
