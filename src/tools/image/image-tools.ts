// The image tools as one set. They are separate small tools rather than one `image` tool with an
// `operation` union: a top-level schema must be a plain object for OpenAI and Anthropic, so a
// union would be nested or flattened into a bag of optional fields that apply to some operations
// only, and both are where small models go wrong. Here the tool's name picks the operation and
// its schema lists only what that operation takes.
import type { AnyTool } from "../tool.js";
import { createImageCropTool } from "./crop-tool.js";
import { createImageEnhanceTool } from "./enhance-tool.js";
import { createImageGridTool } from "./grid-tool.js";
import { createImageInfoTool } from "./info-tool.js";
import { createImageRotateTool } from "./rotate-tool.js";
import { createImageViewTool } from "./view-tool.js";
import { createImageZoomTool } from "./zoom-tool.js";
import { resolveImageToolSettings } from "./image-settings.js";
import type { ImageToolSettings } from "./image-settings.js";

export function createImageTools(overrides: Partial<ImageToolSettings> = {}): AnyTool[] {
  const settings = resolveImageToolSettings(overrides);
  return [
    createImageViewTool(settings),
    createImageInfoTool(settings),
    createImageGridTool(settings),
    createImageCropTool(settings),
    createImageZoomTool(settings),
    createImageEnhanceTool(settings),
    createImageRotateTool(settings),
  ];
}

export const imageTools: AnyTool[] = createImageTools();
