import { test } from "node:test";
import assert from "node:assert/strict";
import { ToolError } from "../../../src/core/errors.js";
import { extractText, mediaTypeOfPath } from "../../../src/tools/documents/extract-text.js";
import { minimalPdf } from "./minimal-pdf.js";
import { articleHtml } from "./sample-documents.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

test("an HTML article becomes Markdown: the article only, its table as a GFM table, links made absolute", async () => {
  const document = await extractText(utf8(articleHtml()), "text/html; charset=utf-8", { url: "https://farm.example/news/orchards" });
  assert.match(document.title, /Orchard yields in 2024/);
  assert.match(document.text, /\| Fruit \| Tonnes \| Change \|\n\| --- \| --- \| --- \|\n\| Apples \| 1,200 \| \+4% \|/);
  assert.match(document.text, /\| Pears \| 310 \| -2% \\\| revised \|/, "a pipe inside a cell is escaped");
  assert.match(document.text, /\[methods\]\(https:\/\/farm\.example\/methods\)/);
  assert.doesNotMatch(document.text, /Subscribe|Copyright|tracking/, "menu, footer and scripts are dropped");
});

test("a table without a header row still becomes a Markdown table", async () => {
  const rows = Array.from({ length: 3 }, (_, index) => `<tr><td>r${index}a</td><td>r${index}b</td></tr>`).join("");
  const html = `<html><body><p>${"Some words about the table below. ".repeat(20)}</p><table>${rows}</table></body></html>`;
  const document = await extractText(utf8(html), "text/html");
  assert.match(document.text, /\| r0a \| r0b \|\n\| --- \| --- \|\n\| r1a \| r1b \|/);
});

test("a page Readability finds no article in is converted whole", async () => {
  const html =
    "<html><head><title>Links</title></head><body><ul><li><a href='/a'>First</a></li><li><a href='b.html'>Second</a></li></ul></body></html>";
  const document = await extractText(utf8(html), "text/html", { url: "https://links.example/dir/" });
  assert.equal(document.title, "Links");
  assert.match(document.text, /\[First\]\(https:\/\/links\.example\/a\)/);
  assert.match(document.text, /\[Second\]\(https:\/\/links\.example\/dir\/b\.html\)/);
});

test("links are made absolute against the page's <base>", async () => {
  const html =
    "<html><head><base href='/docs/'></head><body><p><a href='guide.html'>Guide</a> <img src='logo.png' alt='Logo'></p></body></html>";
  const document = await extractText(utf8(html), "text/html", { url: "https://site.example/start/index.html" });
  assert.match(document.text, /\[Guide\]\(https:\/\/site\.example\/docs\/guide\.html\)/);
  assert.match(document.text, /!\[Logo\]\(https:\/\/site\.example\/docs\/logo\.png\)/);
});

test("HTML that leaves out <html>, <head> or <body> is still read", async () => {
  assert.equal((await extractText(utf8("<p>Just a <b>fragment</b></p>"), "text/html")).text, "Just a **fragment**");
  const stray = await extractText(utf8("<title>Loose title</title><p>Body text</p>"), "text/html");
  assert.deepEqual(stray, { title: "Loose title", text: "Body text" });
  assert.equal((await extractText(utf8("<body><p>Unclosed body"), "text/html")).text, "Unclosed body");
});

test("a PDF gives its text per page, with the page numbers in the joined text", async () => {
  const pdf = minimalPdf(["First page text.", "Second page, line one.\nLine two (with parentheses)."], "The report");
  const document = await extractText(pdf, "application/pdf", { url: "https://example.com/files/report.pdf" });
  assert.equal(document.title, "The report");
  assert.deepEqual(
    document.pages?.map((page) => page.number),
    [1, 2],
  );
  assert.equal(document.pages?.[0]?.text, "First page text.");
  assert.match(document.pages?.[1]?.text ?? "", /Second page, line one\.\s+Line two \(with parentheses\)\./);
  assert.match(document.text, /^--- PDF page 1 ---\nFirst page text\.\n\n--- PDF page 2 ---\n/);
});

test("a PDF given as a Node Buffer is read, and the caller's bytes are left intact", async () => {
  const buffer = Buffer.from(minimalPdf(["From a buffer."]));
  const document = await extractText(buffer, "application/pdf");
  assert.equal(document.pages?.[0]?.text, "From a buffer.");
  assert.equal(buffer.subarray(0, 5).toString("latin1"), "%PDF-");
});

test("an untitled PDF is named after its file; a damaged one is a ToolError", async () => {
  const document = await extractText(minimalPdf(["x"]), "application/pdf", { url: "https://example.com/files/annual%20report.pdf" });
  assert.equal(document.title, "annual report.pdf");
  const damaged = minimalPdf(["x"]).slice(0, 200);
  await assert.rejects(
    extractText(damaged, "application/pdf"),
    (error: unknown) => error instanceof ToolError && /not a valid PDF/.test(error.message),
  );
});

test("charsets: the HTTP header, then a meta tag, then UTF-8 or windows-1252; bad bytes are replaced, never thrown", async () => {
  const latin1 = Buffer.from("<html><body><p>Café crème</p></body></html>", "latin1");
  assert.match((await extractText(latin1, "text/html; charset=ISO-8859-1")).text, /Café crème/);
  const withMeta = Buffer.from(
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body><p>Zürich €</p></body></html>',
    "latin1",
  );
  withMeta[withMeta.indexOf("€".charCodeAt(0) & 0xff)] = 0x80;
  assert.match((await extractText(withMeta, "text/html")).text, /Zürich/);
  assert.equal((await extractText(Buffer.from("déjà vu", "latin1"), "text/plain")).text, "déjà vu");
  assert.equal((await extractText(Uint8Array.from([0x6f, 0x6b, 0xff, 0x21]), "text/plain; charset=utf-8")).text, "ok\ufffd!");
  assert.equal((await extractText(utf8("ünïcode"), "text/plain; charset=no-such-charset")).text, "ünïcode");
});

test("text formats are kept as they are; Markdown takes its first heading as title", async () => {
  assert.equal((await extractText(utf8('{"a": [1, 2]}'), "application/json")).text, '{"a": [1, 2]}');
  assert.equal((await extractText(utf8("a,b\n1,2\n"), "text/csv")).text, "a,b\n1,2\n");
  const markdown = await extractText(utf8("\ufeffIntro\n\n## Setup guide ##\n\nSteps."), "text/markdown");
  assert.equal(markdown.title, "Setup guide");
  assert.ok(markdown.text.startsWith("Intro"), "the byte order mark is dropped");
  assert.equal((await extractText(utf8("plain"), "text/plain", { url: "https://example.com/notes/todo.txt" })).title, "todo.txt");
});

test("images and binaries are refused with a ToolError that names the type", async () => {
  await assert.rejects(
    extractText(Uint8Array.from([0x89, 0x50]), "image/png"),
    (error: unknown) => error instanceof ToolError && /image\/png/.test(error.message),
  );
  await assert.rejects(extractText(Uint8Array.from([0x50, 0x4b]), "application/zip"), ToolError);
});

test("mediaTypeOfPath knows the document extensions, in any case", () => {
  assert.equal(mediaTypeOfPath("notes/README.MD"), "text/markdown");
  assert.equal(mediaTypeOfPath("a.markdown"), "text/markdown");
  assert.equal(mediaTypeOfPath("a.txt"), "text/plain");
  assert.equal(mediaTypeOfPath("page.htm"), "text/html");
  assert.equal(mediaTypeOfPath("page.html"), "text/html");
  assert.equal(mediaTypeOfPath("paper.pdf"), "application/pdf");
  assert.equal(mediaTypeOfPath("data.json"), "application/json");
  assert.equal(mediaTypeOfPath("data.csv"), "text/csv");
  assert.equal(mediaTypeOfPath("photo.png"), undefined);
  assert.equal(mediaTypeOfPath("Makefile"), undefined);
});
