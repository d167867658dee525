// Scripts that scroll inside the page. Plain JavaScript in strings for the same reason as the
// snapshot script (they run where the DOM is). Scrolling is instant, never smooth, so the view
// taken right after shows the new position.

export type ScrollDirection = "up" | "down" | "top" | "bottom";

export type ScrollOutcome = { moved: boolean; atTop: boolean; atBottom: boolean };

export type FindOutcome = { matches: number; index: number };

// The element that scrolls: the document when it can, else the largest visible panel that does
// (single-page apps often keep the document fixed and scroll an inner element).
const findScroller = String.raw`() => {
  const root = document.scrollingElement || document.documentElement;
  if (root.scrollHeight > root.clientHeight + 1 && getComputedStyle(document.body).overflowY !== "hidden") return root;
  let best = root;
  let bestArea = 0;
  for (const element of document.body.querySelectorAll("*")) {
    if (element.scrollHeight <= element.clientHeight + 1) continue;
    const overflow = getComputedStyle(element).overflowY;
    if (overflow !== "auto" && overflow !== "scroll") continue;
    const area = element.clientWidth * element.clientHeight;
    if (area > bestArea) {
      best = element;
      bestArea = area;
    }
  }
  return best;
}`;

const scrollFunction = String.raw`(options) => {
  const scroller = (${findScroller})();
  const before = scroller.scrollTop;
  const page = Math.max(100, Math.round(Math.min(scroller.clientHeight, window.innerHeight) * 0.85));
  const targets = { up: before - page, down: before + page, top: 0, bottom: scroller.scrollHeight };
  scroller.scrollTo({ top: targets[options.direction], behavior: "instant" });
  const after = scroller.scrollTop;
  return {
    moved: Math.abs(after - before) >= 1,
    atTop: after <= 1,
    atBottom: after + scroller.clientHeight >= scroller.scrollHeight - 1,
  };
}`;

// Finds visible text (case-insensitive) and brings it to the middle of the screen. Asked again
// for the same text, it goes to the next match below, then wraps around to the first.
const findFunction = String.raw`(options) => {
  const needle = options.text.replace(/\s+/g, " ").trim().toLowerCase();
  const visible = (element) => element.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true });
  let matches = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script,style,noscript,template") || !visible(parent)) continue;
    if (node.nodeValue.replace(/\s+/g, " ").toLowerCase().includes(needle)) matches.push(parent);
  }
  if (matches.length === 0) {
    // Text split across elements ("Hello <b>world</b>"): the innermost elements that contain it.
    const containing = [...document.body.querySelectorAll("*")].filter(
      (element) => visible(element) && (element.innerText || "").replace(/\s+/g, " ").toLowerCase().includes(needle),
    );
    matches = containing.filter((element) => !containing.some((other) => other !== element && element.contains(other)));
  }
  if (matches.length === 0) return { matches: 0, index: -1 };
  const middle = window.innerHeight / 2 + 1;
  let index = matches.findIndex((element) => element.getBoundingClientRect().top > middle);
  if (index === -1) index = 0;
  matches[index].scrollIntoView({ block: "center", behavior: "instant" });
  return { matches: matches.length, index };
}`;

export function scrollExpression(direction: ScrollDirection): string {
  return `(${scrollFunction})(${JSON.stringify({ direction })})`;
}

export function findTextExpression(text: string): string {
  return `(${findFunction})(${JSON.stringify({ text })})`;
}
