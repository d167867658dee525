import type { Page } from "playwright-core";
import { ToolError } from "../../core/errors.js";
import type { ActionReport } from "./browser-call.js";
import type { ResolvedBrowserSettings } from "./browser-settings.js";
import { findElement } from "./element-target.js";
import { navigationFailure } from "./navigation-errors.js";
import { checkResponsive, settle } from "./read-page.js";

export async function clickElement(page: Page, target: string, settings: ResolvedBrowserSettings): Promise<ActionReport> {
  const found = await findElement(page, target, "click", settings.actionTimeoutMs);
  try {
    await found.locator.click({ timeout: settings.actionTimeoutMs });
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") {
      await checkResponsive(page, settings.actionTimeoutMs);
      throw new ToolError(
        `${found.description} could not be clicked within ${Math.round(settings.actionTimeoutMs / 1000)} s: it may be disabled, or covered by something else (a cookie banner, a dialog). Close what covers it, or try another element.`,
      );
    }
    throw error;
  }
  try {
    await settle(page, settings);
  } catch (error) {
    throw navigationFailure(error, page.url(), settings.navigationTimeoutMs) ?? error;
  }
  return { summary: [`Clicked ${found.description}.`, found.ambiguity].filter(Boolean).join(" ") };
}
