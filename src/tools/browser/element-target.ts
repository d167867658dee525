// Finds the element the model means. Models name elements in several ways, so each is tried in
// turn: the number from the page view ("12" or "[12]"), the visible name of a link, button or
// field (exact, then partial), a field's label or placeholder, a CSS selector, and last any
// visible text. The first visible match wins, and the model is told when several matched.
import type { Locator, Page } from "playwright-core";
import { ToolError } from "../../core/errors.js";
import type { PageElement } from "./page-snapshot-script.js";
import { refAttribute } from "./page-snapshot-script.js";
import { latestElementOf, readPage } from "./read-page.js";

export type FoundElement = {
  locator: Locator;
  /** `[4] link`, or how the element was found, for the summary. */
  description: string;
  /** Set when more than one element matched. */
  ambiguity?: string;
};

export type TargetPurpose = "click" | "type";

/** The element the model named is not on the page: it gets the page as it is now with the message. */
export class ElementNotFoundError extends ToolError {}

const fieldKinds = /field$|^text area$|^select$|^combobox$|^searchbox$/;

export async function findElement(page: Page, target: string, purpose: TargetPurpose, timeoutMs: number): Promise<FoundElement> {
  const wanted = target.trim();
  const ref = /^\[?\s*(\d+)\s*\]?$/.exec(wanted)?.[1];
  const numbered = ref === undefined ? undefined : await byRef(page, Number(ref));
  if (numbered) return numbered;

  // Fresh numbers, so matching by name sees the page as it is now.
  const { elements } = await readPage(page, timeoutMs);
  const candidates = purpose === "type" ? elements.filter((element) => fieldKinds.test(element.kind)) : elements;
  const named = matchByName(candidates, wanted);
  if (named.length > 0) return fromElement(page, named);

  const fallbacks: [string, Locator][] =
    purpose === "type"
      ? [
          ["label", page.getByLabel(wanted)],
          ["placeholder", page.getByPlaceholder(wanted)],
          ["CSS selector", page.locator(wanted)],
          ["name", page.locator(`[name=${JSON.stringify(wanted)}]`)],
        ]
      : [
          ["CSS selector", page.locator(wanted)],
          ["text", page.getByText(wanted)],
        ];
  for (const [how, locator] of fallbacks) {
    const visible = locator.filter({ visible: true });
    const count = await visible.count().catch(() => 0); // Text that is not a valid CSS selector.
    if (count === 0) continue;
    return {
      locator: visible.first(),
      description: `the element with ${how} ${JSON.stringify(wanted)}`,
      ...(count > 1 ? { ambiguity: `${count} elements matched ${JSON.stringify(wanted)}; the first was used.` } : {}),
    };
  }
  if (ref !== undefined) {
    throw new ElementNotFoundError(
      `There is no element [${ref}] on the page now: the numbers change whenever the page changes. Use a number from the page view below.`,
    );
  }
  const what = purpose === "type" ? "No field on the page matches" : "Nothing on the page matches";
  throw new ElementNotFoundError(
    `${what} ${JSON.stringify(wanted)}. Use an element's number from the page view below, its exact visible text, or a CSS selector; the element may also be further down (browser_scroll).`,
  );
}

/** The element numbered `ref` in the latest page view; a number that is gone may still be a name ("2024"). */
async function byRef(page: Page, ref: number): Promise<FoundElement | undefined> {
  const locator = page.locator(`[${refAttribute}="${ref}"]`);
  if ((await locator.count()) === 0) return undefined;
  const known = latestElementOf(page, ref);
  return { locator: locator.first(), description: known ? describe(known) : `element [${ref}]` };
}

function fromElement(page: Page, matches: PageElement[]): FoundElement {
  const [chosen] = matches as [PageElement, ...PageElement[]];
  return {
    locator: page.locator(`[${refAttribute}="${chosen.ref}"]`).first(),
    description: describe(chosen),
    ...(matches.length > 1
      ? {
          ambiguity: `${matches.length} elements matched (${matches
            .slice(0, 5)
            .map((match) => `[${match.ref}]`)
            .join(", ")}); the first was used.`,
        }
      : {}),
  };
}

/** Exact names first (ignoring case and spacing), then names that contain the words. */
function matchByName(elements: PageElement[], wanted: string): PageElement[] {
  const normal = (text: string) => text.replace(/\s+/g, " ").trim().toLowerCase();
  const needle = normal(wanted);
  if (needle === "") return [];
  const exact = elements.filter((element) => normal(element.name) === needle);
  return exact.length > 0 ? exact : elements.filter((element) => normal(element.name).includes(needle));
}

/** `[4] link`: the element's name comes from the page, so it stays inside the page view. */
function describe(element: PageElement): string {
  return `[${element.ref}] ${element.kind}`;
}
