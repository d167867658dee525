import { test } from "node:test";
import assert from "node:assert/strict";
import type { PageElement, PageSnapshot } from "../../../src/tools/browser/page-snapshot-script.js";
import { formatPageView, fullTextOf } from "../../../src/tools/browser/page-view.js";

// The page view from snapshots as Chromium returns them (positions relative to the viewport).
const limits = { maxTextCharacters: 100, maxElements: 2 };

function snapshot(blocks: [string, number][], elements: Partial<PageElement>[] = []): PageSnapshot {
  return {
    title: "T",
    url: "https://example.org/",
    viewportHeight: 800,
    blocks: blocks.map(([text, top]) => ({ text, top, bottom: top + 20 })),
    elements: elements.map((element, index) => ({
      ref: index + 1,
      kind: "link",
      name: `link ${index + 1}`,
      detail: "",
      top: 0,
      bottom: 20,
      ...element,
    })),
    truncated: false,
  };
}

test("the view starts at the top of the screen and counts the text above and below", () => {
  const view = formatPageView(
    snapshot([
      ["gone above", -300],
      ["on screen", 10],
      ["x".repeat(95), 40],
    ]),
    limits,
  );
  assert.match(view, /\(11 characters above, 96 characters below\):\non screen\n\nInteractive elements: none\./);
  assert.doesNotMatch(view, /gone above/);
});

test("a sticky header stays in the view while the text after it that scrolled away does not", () => {
  const view = formatPageView(
    snapshot([
      ["Sticky header", 0],
      ["scrolled away", -500],
      ["now on screen", 30],
    ]),
    limits,
  );
  assert.match(view, /\n(Sticky header\nnow on screen)\n/);
  assert.match(view, /14 characters above/);
});

test("one block longer than the bound is cut, and the rest is counted below", () => {
  const view = formatPageView(snapshot([["y".repeat(250), 0]]), limits);
  assert.match(view, new RegExp(`\\n${"y".repeat(100)}…\\n`));
  assert.match(view, /0 characters above, 150 characters below/);
});

test("only the elements in the part shown are listed, up to the bound, and the others are counted", () => {
  const view = formatPageView(
    snapshot([["text", 0]], [{ top: -200, bottom: -180 }, { detail: "-> /a" }, {}, {}, { top: 5000, bottom: 5020 }]),
    limits,
  );
  assert.match(view, /\[2\] link "link 2" -> \/a\n\[3\] link "link 3"\n\(1 element above, 2 elements below: scroll to reach them\.\)/);
});

test("the source text is every block, one a line", () => {
  assert.equal(
    fullTextOf(
      snapshot([
        ["a", -100],
        ["b", 0],
      ]),
    ),
    "a\nb",
  );
});
