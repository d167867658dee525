// The compact text view of a page the model reads after every action: title, URL, the visible
// text from the top of the screen down (up to a bound), and the interactive elements in that
// part of the page with numbers to click or type by. It says how much text and how many
// elements lie above and below, so the model knows when scrolling would show more.
import type { PageElement, PageSnapshot } from "./page-snapshot-script.js";

export type ViewLimits = { maxTextCharacters: number; maxElements: number };

/** The whole visible text of the page, one block a line: what a source records. */
export function fullTextOf(snapshot: PageSnapshot): string {
  return snapshot.blocks.map((block) => block.text).join("\n");
}

export function formatPageView(snapshot: PageSnapshot, limits: ViewLimits): string {
  // By position, not by order: a sticky header early in the page stays on screen while the
  // paragraphs after it scroll away above.
  const above = snapshot.blocks.filter((block) => block.bottom <= 0);
  const onward = snapshot.blocks.filter((block) => block.bottom > 0);
  const shown: string[] = [];
  let used = 0;
  let cutCharacters = 0;
  for (const { text } of onward) {
    const room = limits.maxTextCharacters - used;
    if (text.length > room) {
      // A single huge block (a page without structure) is cut rather than left out.
      if (shown.length === 0) {
        shown.push(`${text.slice(0, room)}…`);
        cutCharacters = text.length - room;
      }
      break;
    }
    shown.push(text);
    used += text.length + 1;
  }
  const charactersOf = (blocks: { text: string }[]) => blocks.reduce((sum, block) => sum + block.text.length + 1, 0);
  const below = charactersOf(onward.slice(shown.length)) + cutCharacters;
  const lastShown = onward[shown.length - 1];
  const windowBottom = Math.max(snapshot.viewportHeight, lastShown?.bottom ?? 0);

  const lines = [`Title: ${snapshot.title || "(none)"}`, `URL: ${snapshot.url}`, ""];
  const truncated = snapshot.truncated ? "; the page is very long, only its start was read" : "";
  lines.push(`Visible text from the top of the screen (${describeAround(charactersOf(above), below, "character")}${truncated}):`);
  lines.push(shown.length > 0 ? shown.join("\n") : "(no text here)");
  lines.push("", ...formatElements(snapshot.elements, windowBottom, limits.maxElements));
  return lines.join("\n");
}

function formatElements(elements: PageElement[], windowBottom: number, maxElements: number): string[] {
  const inWindow = elements.filter((element) => element.bottom > 0 && element.top < windowBottom);
  if (elements.length === 0) return ["Interactive elements: none."];
  const listed = inWindow.slice(0, maxElements);
  const above = elements.filter((element) => element.bottom <= 0).length;
  const below = elements.length - above - listed.length;
  const lines = ["Interactive elements in this part of the page:"];
  for (const element of listed) {
    lines.push(
      [`[${element.ref}] ${element.kind}`, element.name ? JSON.stringify(element.name) : "", element.detail].filter(Boolean).join(" "),
    );
  }
  if (listed.length === 0) lines.push("(none here)");
  if (above > 0 || below > 0) lines.push(`(${describeAround(above, below, "element")}: scroll to reach them.)`);
  return lines;
}

function describeAround(above: number, below: number, unit: "character" | "element"): string {
  const count = (value: number) => `${Math.max(0, value).toLocaleString("en-US")} ${value === 1 ? unit : `${unit}s`}`;
  return `${count(above)} above, ${count(below)} below`;
}
