// Limits of the image tools. Outputs are bounded because every result is sent to the model as
// base64 (providers cap images at a few megabytes and shrink anything larger than about 2000 px
// themselves); inputs are bounded because a tiny compressed file can claim billions of pixels.
import { z } from "zod";
import { definedFields } from "../../core/defined-fields.js";

export type ImageToolSettings = {
  /** Longest side of every result, in pixels; larger results are scaled down (and the model is told). */
  maxOutputSide: number;
  /** Encoded size of a result; a PNG above it is sent as JPEG instead. */
  maxOutputBytes: number;
  /** Pixels (width x height) an input may have: refuses decompression bombs before decoding. */
  maxInputPixels: number;
  /** Size of an input file. */
  maxInputBytes: number;
};

export const defaultImageToolSettings: ImageToolSettings = {
  maxOutputSide: 2048,
  maxOutputBytes: 3_500_000,
  maxInputPixels: 100_000_000,
  maxInputBytes: 50_000_000,
};

/** The config file's `images` section; every field is optional and falls back to the default. */
export const imageToolSettingsSchema = z
  .object({
    maxOutputSide: z.number().int().min(256).max(8192).optional(),
    maxOutputBytes: z.number().int().min(100_000).optional(),
    maxInputPixels: z.number().int().min(1_000_000).optional(),
    maxInputBytes: z.number().int().min(100_000).optional(),
  })
  .strict();

export function resolveImageToolSettings(overrides: Partial<ImageToolSettings> = {}): ImageToolSettings {
  return { ...defaultImageToolSettings, ...definedFields(overrides) };
}
