import type { Page, Response } from "playwright-core";
import type { ActionReport } from "./browser-call.js";
import type { ResolvedBrowserSettings } from "./browser-settings.js";
import { navigationFailure } from "./navigation-errors.js";
import { checkUrl } from "./url-check.js";
import { logged, logger } from "../../logging/logger.js";

const log = logger("tools.browser");

/** How long to wait, after the document is ready, for its images and scripts to finish loading. */
const loadGraceMs = 3_000;
/** How long Chromium takes to show its error page after a failed load, at most. */
const errorPageGraceMs = 2_000;

export async function openPage(page: Page, input: string, settings: ResolvedBrowserSettings): Promise<ActionReport> {
  const url = checkUrl(input, settings.allowFileUrls);
  // A tab on Chromium's error page (the last load failed) cannot navigate to file:// directly.
  if (page.url().startsWith("chrome-error:") && url.startsWith("file:")) await navigate(page, "about:blank", settings);
  let response: Response | null;
  try {
    response = await navigate(page, url, settings);
  } catch (error) {
    const failure = navigationFailure(error, url, settings.navigationTimeoutMs);
    if (!failure) throw error;
    // Chromium goes on to load its error page after the failure is reported; waiting for it
    // keeps that load from cutting into the next navigation.
    if (error instanceof Error && error.message.includes("net::ERR_")) {
      await page
        .waitForURL((current) => current.protocol === "chrome-error:", { timeout: errorPageGraceMs })
        .catch(logged(log, "debug", "Chromium's error page did not load in time"));
    }
    throw failure;
  }
  // A page still loading after the grace time is read as it is.
  await page
    .waitForLoadState("load", { timeout: loadGraceMs })
    .catch(logged(log, "debug", "a page did not finish loading in the grace time"));
  // Where it landed comes from the site, so it is shown only inside the page view.
  const redirect = page.url() !== url ? " It redirected to another address (the URL below)." : "";
  return { summary: `Opened ${url}.${redirect}`, response };
}

/**
 * Goes to `url`, waiting for the document only: waiting for every image would make slow sites
 * time out. A load the page itself started at the same moment (a script's redirect, an error
 * page) can cut in; the address is then asked for again.
 */
async function navigate(page: Page, url: string, settings: ResolvedBrowserSettings): Promise<Response | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await page.goto(url, { waitUntil: "domcontentloaded", timeout: settings.navigationTimeoutMs });
    } catch (error) {
      const interrupted = error instanceof Error && /is interrupted by another navigation/.test(error.message);
      if (!interrupted || attempt >= 3) throw error;
      await page.waitForLoadState("domcontentloaded").catch(logged(log, "debug", "the interrupting navigation failed; trying again"));
    }
  }
}
