import type { Page } from "playwright-core";
import type { ActionReport } from "./browser-call.js";
import { ElementNotFoundError } from "./element-target.js";
import { evaluateWithin } from "./read-page.js";
import { findTextExpression, scrollExpression, type FindOutcome, type ScrollDirection, type ScrollOutcome } from "./scroll-scripts.js";

export async function scrollPage(page: Page, direction: ScrollDirection, timeoutMs: number): Promise<ActionReport> {
  const outcome = await evaluateWithin<ScrollOutcome>(page, scrollExpression(direction), timeoutMs);
  if (outcome.moved) {
    const edge = outcome.atBottom ? " This is the bottom of the page." : outcome.atTop ? " This is the top of the page." : "";
    return {
      summary: `Scrolled ${direction === "up" || direction === "down" ? `${direction} one screen` : `to the ${direction}`}.${edge}`,
    };
  }
  const edge = direction === "up" || direction === "top" ? "top" : "bottom";
  return { summary: `The page is already at the ${edge}; it did not move.` };
}

export async function scrollToText(page: Page, text: string, timeoutMs: number): Promise<ActionReport> {
  const outcome = await evaluateWithin<FindOutcome>(page, findTextExpression(text), timeoutMs);
  if (outcome.matches === 0) {
    throw new ElementNotFoundError(
      `The text ${JSON.stringify(text)} is not on this page (as visible text; case is ignored). Try a shorter phrase, or another page.`,
    );
  }
  const others =
    outcome.matches > 1 ? ` (match ${outcome.index + 1} of ${outcome.matches}; scroll to the same text again for the next one)` : "";
  return { summary: `Scrolled to ${JSON.stringify(text)}${others}. The view starts at the top of the screen, a little above it.` };
}
