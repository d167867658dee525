import { z } from "zod";
import type { ImagePart } from "../core/items.js";
import { badRequest } from "./http-error.js";

/** A content part: `text`/`input_text`/`output_text`, Chat's `image_url`, or the Responses API's `input_image`. */
export const contentPartSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  image_url: z.union([z.string(), z.looseObject({ url: z.string().optional(), detail: z.string().optional() })]).optional(),
  detail: z.string().optional(),
});
export type ContentPart = z.infer<typeof contentPartSchema>;

const imageDataUrl = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/;
/** Larger images are refused rather than sent to a provider that would refuse them later, mid-run. */
const largestImageBytes = 20 * 1024 * 1024;

/**
 * Text and images of a message's content. Other parts (audio, files) are refused with a clear
 * error rather than dropped, because an answer about something the model never saw would be wrong.
 */
export function messageContent(content: string | null | undefined | ContentPart[], param: string): { text: string; images: ImagePart[] } {
  if (content === null || content === undefined) return { text: "", images: [] };
  if (typeof content === "string") return { text: content, images: [] };
  const texts: string[] = [];
  const images: ImagePart[] = [];
  for (const [index, part] of content.entries()) {
    if (typeof part.text === "string") texts.push(part.text);
    else if (part.type === "image_url" || part.type === "input_image") images.push(imageOf(part, `${param}.${index}`));
    else
      throw badRequest(
        `Content of type "${part.type}" is not supported by this server; send text and images.`,
        `${param}.${index}`,
        "unsupported_content",
      );
  }
  return { text: texts.join(""), images };
}

function imageOf(part: ContentPart, param: string): ImagePart {
  const url = typeof part.image_url === "string" ? part.image_url : part.image_url?.url;
  const detail = typeof part.image_url === "object" ? (part.image_url.detail ?? part.detail) : part.detail;
  if (typeof url !== "string" || url === "")
    throw badRequest("An image part needs an image URL (a data: URL or an http(s) URL).", `${param}.image_url`);
  if (url.startsWith("data:")) {
    if (!imageDataUrl.test(url))
      throw badRequest("An image data URL must be a base64 PNG, JPEG, GIF or WebP image.", `${param}.image_url`, "unsupported_image");
    if ((url.length - url.indexOf(",") - 1) * 0.75 > largestImageBytes)
      throw badRequest("The image is larger than 20 MB; send a smaller one.", `${param}.image_url`, "image_too_large");
  } else if (!/^https?:\/\//i.test(url)) {
    throw badRequest("An image URL must be a data: URL or an http(s) URL.", `${param}.image_url`, "unsupported_image");
  }
  return { type: "input_image", image_url: url, ...(detail === "low" || detail === "high" || detail === "auto" ? { detail } : {}) };
}
