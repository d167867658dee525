import type { Page } from "playwright-core";
import { ToolError } from "../../core/errors.js";
import type { ActionReport } from "./browser-call.js";
import type { ResolvedBrowserSettings } from "./browser-settings.js";
import { ElementNotFoundError, findElement, type FoundElement } from "./element-target.js";
import { navigationFailure } from "./navigation-errors.js";
import { checkResponsive, settle } from "./read-page.js";

/** Replaces a field's content with `text` (a select picks the option with that label), then presses Enter when asked. */
export async function typeText(
  page: Page,
  field: string,
  text: string,
  submit: boolean,
  settings: ResolvedBrowserSettings,
): Promise<ActionReport> {
  const found = await findElement(page, field, "type", settings.actionTimeoutMs);
  const seconds = Math.round(settings.actionTimeoutMs / 1000);
  try {
    const tag = await found.locator.evaluate((element: { tagName: string }) => element.tagName.toLowerCase(), undefined, {
      timeout: settings.actionTimeoutMs,
    });
    if (tag === "select")
      await found.locator.selectOption(
        { label: await optionLabel(found, text, settings.actionTimeoutMs) },
        { timeout: settings.actionTimeoutMs },
      );
    else await found.locator.fill(text, { timeout: settings.actionTimeoutMs });
  } catch (error) {
    if (error instanceof ToolError) throw error;
    if (error instanceof Error && /cannot be filled|Element is not an <input>/i.test(error.message)) {
      throw new ToolError(
        `${found.description} is not a text field, so it cannot be typed into. Click it instead, or pick a field from the page view.`,
      );
    }
    if (error instanceof Error && error.name === "TimeoutError") {
      await checkResponsive(page, settings.actionTimeoutMs);
      throw new ToolError(`${found.description} could not be typed into within ${seconds} s: it may be disabled or read-only.`);
    }
    throw error;
  }
  if (submit) {
    await found.locator.press("Enter", { timeout: settings.actionTimeoutMs });
    try {
      await settle(page, settings);
    } catch (error) {
      throw navigationFailure(error, page.url(), settings.navigationTimeoutMs) ?? error;
    }
  }
  const typed = text === "" ? "Cleared" : `Typed ${JSON.stringify(text)} into`;
  return { summary: [`${typed} ${found.description}${submit ? " and pressed Enter" : ""}.`, found.ambiguity].filter(Boolean).join(" ") };
}

type SelectElement = { options: ArrayLike<{ label: string }> };

/**
 * The label of the drop-down option the model asked for, ignoring case and spacing. Checked up
 * front because Playwright waits out its whole timeout for an option that does not exist.
 */
async function optionLabel(found: FoundElement, wanted: string, timeoutMs: number): Promise<string> {
  const labels = await found.locator.evaluate((select: SelectElement) => Array.from(select.options, (option) => option.label), undefined, {
    timeout: timeoutMs,
  });
  const normal = (text: string) => text.replace(/\s+/g, " ").trim().toLowerCase();
  const match = labels.find((label) => normal(label) === normal(wanted));
  if (match !== undefined) return match;
  throw new ElementNotFoundError(
    `${found.description} has no option ${JSON.stringify(wanted)}. Use one of the options the page view below lists for it.`,
  );
}
