import type { Page } from "playwright-core";
import { ToolError } from "../../core/errors.js";
import { snapshotExpression, type PageElement, type PageSnapshot } from "./page-snapshot-script.js";

const snapshotOptions = { maxTotalCharacters: 200_000, maxRefs: 2_000, nameCharacters: 80 };

// The elements of each page's latest snapshot: the numbers the model last saw, so "click 4"
// can be described back to it by name.
const latestElements = new WeakMap<Page, PageElement[]>();

/** A script on the page keeps it busy (an endless loop): the session closes the tab. */
export class PageUnresponsiveError extends ToolError {}

/**
 * Runs a script in the page, bounded: Playwright gives `evaluate` no timeout, and a page stuck
 * in a loop would otherwise hold the call until the run's own limit.
 */
export async function evaluateWithin<T>(page: Page, expression: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const seconds = Math.round(timeoutMs / 1000);
      reject(
        new PageUnresponsiveError(
          `The page did not respond within ${seconds} s (a script on it may be stuck), so its tab was closed. Open the page again, or try another page.`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([page.evaluate(expression) as Promise<T>, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** After an action timed out: throws PageUnresponsiveError when the page itself no longer answers. */
export async function checkResponsive(page: Page, timeoutMs: number): Promise<void> {
  await evaluateWithin(page, "true", Math.min(timeoutMs, 2_000));
}

/**
 * Reads the page's visible text and numbers its interactive elements. A page that navigates
 * while being read (a redirect, a script) is read again once it has loaded.
 */
export async function readPage(page: Page, timeoutMs: number): Promise<PageSnapshot> {
  let snapshot: PageSnapshot;
  try {
    snapshot = await evaluateWithin<PageSnapshot>(page, snapshotExpression(snapshotOptions), timeoutMs);
  } catch (error) {
    if (!isNavigationRace(error)) throw error;
    await page.waitForLoadState("domcontentloaded");
    snapshot = await evaluateWithin<PageSnapshot>(page, snapshotExpression(snapshotOptions), timeoutMs);
  }
  latestElements.set(page, snapshot.elements);
  return snapshot;
}

export function latestElementOf(page: Page, ref: number): PageElement | undefined {
  return latestElements.get(page)?.find((element) => element.ref === ref);
}

/** Lets a click's or key press's effects land: a started navigation loads, the DOM settles for a frame. */
export async function settle(page: Page, timeouts: { navigationTimeoutMs: number; actionTimeoutMs: number }): Promise<void> {
  await page.waitForLoadState("domcontentloaded", { timeout: timeouts.navigationTimeoutMs });
  try {
    await evaluateWithin(page, settleExpression, timeouts.actionTimeoutMs);
  } catch (error) {
    if (!isNavigationRace(error)) throw error;
    await page.waitForLoadState("domcontentloaded", { timeout: timeouts.navigationTimeoutMs });
  }
}

// Two animation frames let handlers that update the page after a click finish and lay out;
// the timer bounds the wait where frames do not run.
const settleExpression =
  "new Promise((resolve) => { requestAnimationFrame(() => requestAnimationFrame(resolve)); setTimeout(resolve, 100); })";

function isNavigationRace(error: unknown): boolean {
  return (
    error instanceof Error &&
    !(error instanceof ToolError) &&
    /Execution context was destroyed|Cannot find context|navigation/i.test(error.message)
  );
}
