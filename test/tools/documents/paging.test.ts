import { test } from "node:test";
import assert from "node:assert/strict";
import { findPassages } from "../../../src/tools/documents/find-passages.js";
import { pageNumberAt, splitIntoPages } from "../../../src/tools/documents/paged-text.js";

const paragraphs = (count: number) =>
  Array.from({ length: count }, (_, index) => `Paragraph ${index + 1}. ${"Words that fill the paragraph. ".repeat(12)}`).join("\n\n");

test("pages cover the text exactly, in order, each at most the page size, cut at paragraph breaks", () => {
  const text = paragraphs(60);
  const pages = splitIntoPages(text, 2_000);
  assert.ok(pages.length > 5);
  assert.equal(pages[0]?.start, 0);
  assert.equal(pages.at(-1)?.end, text.length);
  for (const [index, page] of pages.entries()) {
    assert.equal(page.number, index + 1);
    assert.ok(page.end - page.start <= 2_000);
    if (index > 0) assert.equal(page.start, pages[index - 1]?.end, "no gap and no overlap");
    if (page.end < text.length) assert.equal(text.slice(page.end - 2, page.end), "\n\n", "cut after a blank line");
  }
});

test("a page ends before a heading rather than leaving it at the bottom of the previous page", () => {
  const section = (number: number) => `## Section ${number}\n\n${"Text of the section goes on. ".repeat(20)}`;
  const text = Array.from({ length: 12 }, (_, index) => section(index + 1)).join("\n\n");
  const pages = splitIntoPages(text, 2_000);
  assert.ok(pages.length > 3);
  for (const page of pages) assert.match(text.slice(page.start, page.end), /^## Section \d+\n/);
});

test("text without breaks is cut at the page size; empty text is one empty page", () => {
  const pages = splitIntoPages("x".repeat(2_500), 1_000);
  assert.deepEqual(
    pages.map((page) => page.end - page.start),
    [1_000, 1_000, 500],
  );
  assert.deepEqual(splitIntoPages(""), [{ number: 1, start: 0, end: 0 }]);
  assert.equal(pageNumberAt(pages, 0), 1);
  assert.equal(pageNumberAt(pages, 1_999), 2);
  assert.equal(pageNumberAt(pages, 2_400), 3);
});

test("findPassages finds a phrase across case and line breaks and says which page it is on", () => {
  const text = `${paragraphs(30)}\n\nThe Harbour\nMaster counted 4,817 barrels.\n\n${paragraphs(5)}`;
  const pages = splitIntoPages(text, 2_000);
  const search = findPassages(text, pages, "harbour master counted");
  assert.equal(search.match, "phrase");
  assert.equal(search.total, 1);
  assert.equal(search.passages[0]?.page, pageNumberAt(pages, text.indexOf("The Harbour")));
  assert.match(search.passages[0]?.text ?? "", /The Harbour\nMaster counted 4,817 barrels\./);
});

test("without the exact phrase, the paragraphs holding all the words come back", () => {
  const text = "Alpha beta gamma.\n\nThe gamma ray hit the beta sensor, said alpha.\n\nOnly beta and gamma here.\n\nNothing relevant.";
  const pages = splitIntoPages(text);
  const all = findPassages(text, pages, "alpha gamma beta");
  assert.equal(all.match, "all words");
  assert.deepEqual(
    all.passages.map((passage) => passage.text),
    ["Alpha beta gamma.", "The gamma ray hit the beta sensor, said alpha."],
  );
});

test("paraphrases fall back to most of the words; nothing matching gives no passages", () => {
  const text = "Gamma and beta appear here.\n\nOnly gamma here.\n\nNothing.";
  const pages = splitIntoPages(text);
  const most = findPassages(text, pages, "gamma beta delta");
  assert.equal(most.match, "most words");
  assert.deepEqual(
    most.passages.map((passage) => passage.text),
    ["Gamma and beta appear here."],
  );
  assert.equal(findPassages(text, pages, "zebra").match, "none");
  assert.equal(findPassages(text, pages, "   ").passages.length, 0);
});

test("passages in PDF text carry their PDF page; the cap on passages keeps the total", () => {
  const text = [
    "--- PDF page 1 ---\nIntro.",
    "--- PDF page 2 ---\nThe revenue rose.",
    "--- PDF page 3 ---\nRevenue fell, revenue rose again.",
  ].join("\n\n");
  const search = findPassages(text, splitIntoPages(text), "revenue", { maxPassages: 2 });
  assert.equal(search.total, 3);
  assert.deepEqual(
    search.passages.map((passage) => passage.pdfPage),
    [2, 3],
  );
  assert.equal(findPassages(text, splitIntoPages(text), "a.b(c").match, "none", "regex characters in the query are taken literally");
});
