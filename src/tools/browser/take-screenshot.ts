import type { Page } from "playwright-core";
import { ToolError, ToolInfraError, errorMessage } from "../../core/errors.js";
import { WorkspaceAccessError } from "../files/workspace-access-error.js";
import type { ActionReport } from "./browser-call.js";
import type { ResolvedBrowserSettings } from "./browser-settings.js";
import { evaluateWithin } from "./read-page.js";
import { pngDimensions, saveScreenshot } from "./screenshot-file.js";

export type ScreenshotRequest = { fullPage: boolean; workspace: string; vision: boolean };

const pageHeightExpression = "Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)";

export async function takeScreenshot(page: Page, request: ScreenshotRequest, settings: ResolvedBrowserSettings): Promise<ActionReport> {
  const pageHeight = request.fullPage ? await evaluateWithin<number>(page, pageHeightExpression, settings.actionTimeoutMs) : 0;
  const cut = pageHeight > settings.maxScreenshotHeight;
  const png = await page.screenshot({
    type: "png",
    fullPage: request.fullPage,
    timeout: settings.actionTimeoutMs,
    // Very long pages are cut: one image taller than this is unreadable for a model and costly.
    ...(cut ? { clip: { x: 0, y: 0, width: settings.viewportWidth, height: settings.maxScreenshotHeight } } : {}),
  });
  let saved;
  try {
    saved = await saveScreenshot(request.workspace, png);
  } catch (error) {
    // A link or file planted where the screenshots folder goes is the run's own doing, not an infrastructure fault.
    if (error instanceof WorkspaceAccessError) throw new ToolError(`The screenshot could not be saved in the workspace: ${error.message}`);
    throw new ToolInfraError(`The screenshot could not be saved in the workspace: ${errorMessage(error)}`, error);
  }
  const { width, height } = pngDimensions(png);
  const what = request.fullPage
    ? cut
      ? `the first ${height} px of the page (it is ${pageHeight} px tall)`
      : "the whole page"
    : "the visible screen";
  const artifact = { path: saved.path, name: saved.name, mediaType: "image/png" };
  const summary = `Screenshot of ${what}, ${width}×${height} px, saved as ${saved.name} in the workspace (Python and the image tools can open it).`;
  if (!request.vision) {
    return {
      summary: `${summary} This model cannot see images, so the screenshot is not shown; the page is described as text below.`,
      artifacts: [artifact],
    };
  }
  return {
    summary,
    images: [{ type: "input_image", image_url: `data:image/png;base64,${png.toString("base64")}` }],
    artifacts: [artifact],
  };
}
