// Encodes a result within the output limits: longest side at most `maxOutputSide`, and at most
// `maxOutputBytes` encoded. PNG is preferred (lossless: text and thin lines stay crisp); a photo
// whose PNG is too large goes out as JPEG, which is a tenth of the size and looks the same.
import { ToolError } from "../../core/errors.js";
import type { ImageToolSettings } from "./image-settings.js";
import { fitWithin, pipelineOf } from "./raw-image.js";
import type { RawImage, Size } from "./raw-image.js";

export type EncodedImage = {
  data: Buffer;
  format: "png" | "jpeg";
  width: number;
  height: number;
  /** Set when the pixels were larger than the limit and were scaled down. */
  scaledFrom?: Size;
};

const jpegQualities = [90, 75, 60];

export async function encodeBounded(raw: RawImage, settings: ImageToolSettings, signal: AbortSignal): Promise<EncodedImage> {
  const size = fitWithin(raw, settings.maxOutputSide);
  const scaled = size.width !== raw.width || size.height !== raw.height;
  const fitted = () => {
    const pipeline = pipelineOf(raw);
    return scaled ? pipeline.resize(size.width, size.height, { fit: "fill", kernel: "lanczos3" }) : pipeline;
  };
  const result = (data: Buffer, format: EncodedImage["format"]): EncodedImage => ({
    data,
    format,
    ...size,
    ...(scaled ? { scaledFrom: { width: raw.width, height: raw.height } } : {}),
  });

  signal.throwIfAborted();
  const png = await fitted().png({ compressionLevel: 6 }).toBuffer();
  if (png.length <= settings.maxOutputBytes) return result(png, "png");
  for (const quality of jpegQualities) {
    signal.throwIfAborted();
    // JPEG has no transparency: transparent areas become white, as most viewers show them.
    const jpeg = await fitted().flatten({ background: "#ffffff" }).jpeg({ quality, mozjpeg: true }).toBuffer();
    if (jpeg.length <= settings.maxOutputBytes) return result(jpeg, "jpeg");
  }
  throw new ToolError(
    `The result (${size.width}x${size.height}) is larger than ${(settings.maxOutputBytes / 1_000_000).toFixed(1)} MB even as a JPEG. Work on a smaller region of the image.`,
  );
}
