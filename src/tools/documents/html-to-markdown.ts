// HTML → Markdown: Readability picks the article out of the page (dropping menus, ads and
// footers); turndown writes it as Markdown, with the GFM plugin so tables stay tables. Pages
// where Readability finds no article (link lists, app shells, tiny pages) are converted whole.
import type * as ReadabilityModule from "@mozilla/readability";
import type * as Linkedom from "linkedom";
import type TurndownService from "turndown";
import type * as TurndownGfm from "turndown-plugin-gfm";
import { lazyRequire } from "../lazy-require.js";

const linkedom = lazyRequire<typeof Linkedom>("linkedom");
const readability = lazyRequire<typeof ReadabilityModule>("@mozilla/readability");
const turndownModule = lazyRequire<typeof TurndownService>("turndown");
const turndownGfm = lazyRequire<typeof TurndownGfm>("turndown-plugin-gfm");

export type HtmlDocument = { title: string; markdown: string };

// linkedom's types are its own DOM classes; the few calls here need only this much of them.
type Element = {
  innerHTML: string;
  childNodes: ArrayLike<{ nodeType: number; textContent: string | null; remove(): void }>;
  querySelectorAll(selector: string): Iterable<Element>;
  querySelector(selector: string): Element | null;
  getAttribute(name: string): string | null;
  remove(): void;
  replaceWith(node: Element): void;
  setAttribute(name: string, value: string): void;
};
type Document = Element & { title: string; body: Element | null; baseURI?: string; createElement(tag: string): Element };

const textNode = 3;
const ignoredTags = [
  "title",
  "meta",
  "link",
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "object",
  "embed",
  "svg",
  "canvas",
  "form",
  "button",
  "select",
  "input",
];

export function htmlToMarkdown(html: string, url?: string): HtmlDocument {
  const articleDocument = parseDocument(html, url);
  const pageTitle = articleDocument.title.trim();
  // Readability rewrites the document it reads, so a failed attempt leaves nothing to fall back
  // on: the page is parsed again for the whole-body conversion.
  const article = parseArticle(articleDocument);
  if (article) {
    const body = parseDocument(`<!doctype html><html><head></head><body>${article.content}</body></html>`, url);
    const markdown = markdownOf(body);
    if (markdown) return { title: article.title || pageTitle, markdown };
  }
  const whole = parseDocument(html, url);
  return { title: pageTitle, markdown: markdownOf(whole) };
}

function parseDocument(html: string, url: string | undefined): Document {
  const { document } = linkedom().parseHTML(withBody(html)) as unknown as { document: Document };
  if (url) {
    // Readability makes links absolute against these; linkedom has no location to derive them from.
    const baseHref = document.querySelector("base")?.getAttribute("href");
    const base = baseHref ? (resolveUrl(baseHref, url) ?? url) : url;
    Object.defineProperty(document, "baseURI", { value: base });
    Object.defineProperty(document, "documentURI", { value: url });
  }
  return document;
}

/**
 * HTML may leave out <html>, <head> and <body>, and browsers add them; linkedom does not, and
 * without them it finds no content at all. So a page missing them gets the structure rebuilt.
 */
function withBody(html: string): string {
  if (/<html[\s>]/i.test(html) && /<body[\s>]/i.test(html)) return html;
  const headPattern = /<head[\s>][\s\S]*?<\/head>/i;
  const titlePattern = /<title[\s>][\s\S]*?<\/title>/i;
  let head = headPattern.exec(html)?.[0] ?? "<head></head>";
  let rest = html
    .replace(headPattern, "")
    .replace(/<!doctype[^>]*>/i, "")
    .replace(/<\/?(html|body)(\s[^>]*)?>/gi, "");
  const strayTitle = titlePattern.exec(rest)?.[0];
  if (strayTitle && !titlePattern.test(head)) {
    head = head.replace("</head>", `${strayTitle}</head>`);
    rest = rest.replace(strayTitle, "");
  }
  return `<!doctype html><html>${head}<body>${rest}</body></html>`;
}

function resolveUrl(relative: string, base: string): string | undefined {
  try {
    return new URL(relative, base).href;
  } catch {
    return undefined;
  }
}

function parseArticle(document: Document): { title: string; content: string } | undefined {
  try {
    const article = new (readability().Readability)(document as never, { keepClasses: false }).parse();
    if (!article?.content || !article.textContent?.trim()) return undefined;
    return { title: article.title?.trim() ?? "", content: article.content };
  } catch {
    // Readability throws on some malformed documents; the whole-body conversion still works.
    return undefined;
  }
}

function markdownOf(document: Document): string {
  const root = document.body;
  if (!root) return "";
  for (const tag of ignoredTags) for (const element of [...root.querySelectorAll(tag)]) element.remove();
  for (const table of root.querySelectorAll("table")) normaliseTable(table, document);
  if (document.baseURI) makeLinksAbsolute(root, document.baseURI);
  return turndown()
    .turndown(root.innerHTML)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Readability already does this for the article; a page converted whole needs it too, so the model can follow links. */
function makeLinksAbsolute(root: Element, base: string): void {
  for (const [selector, attribute] of [
    ["a[href]", "href"],
    ["img[src]", "src"],
  ] as const) {
    for (const element of root.querySelectorAll(selector)) {
      const value = element.getAttribute(attribute);
      const absolute = value && !value.startsWith("#") ? resolveUrl(value, base) : undefined;
      if (absolute) element.setAttribute(attribute, absolute);
    }
  }
}

/**
 * The GFM plugin writes a Markdown table only when the first row is a header row of <th> cells
 * with no text between them; other tables would stay raw HTML. So whitespace between cells is
 * dropped and a table without a header gets its first row promoted to one.
 */
function normaliseTable(table: Element, document: Document): void {
  const rows = [...table.querySelectorAll("tr")];
  for (const row of rows) {
    for (const child of [...Array.from(row.childNodes)]) if (child.nodeType === textNode && !child.textContent?.trim()) child.remove();
  }
  const first = rows[0];
  if (!first || first.querySelector("th") || table.querySelector("thead")) return;
  for (const cell of [...first.querySelectorAll("td")]) {
    const header = document.createElement("th");
    header.innerHTML = cell.innerHTML;
    cell.replaceWith(header);
  }
}

let service: TurndownService | undefined;

function turndown(): TurndownService {
  if (service) return service;
  service = new (turndownModule())({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-", emDelimiter: "*" });
  // The reader is a model, not a Markdown renderer: escapes such as send\_email or 2024\. would
  // make it quote identifiers and numbers wrongly, so text is passed through as written.
  service.escape = (text) => text;
  service.use(turndownGfm().gfm);
  // Rules added later win: a cell's text must stay on one line, and a pipe inside it would end it.
  service.addRule("tableCellOnOneLine", {
    filter: ["th", "td"],
    replacement: (content, node) => {
      const cell = node as unknown as { parentNode: { childNodes: ArrayLike<unknown> } };
      const first = Array.prototype.indexOf.call(cell.parentNode.childNodes, node) === 0;
      const text = content
        .replace(/\s*\n+\s*/g, " ")
        .replace(/\|/g, "\\|")
        .trim();
      return `${first ? "| " : " "}${text} |`;
    },
  });
  // An inline image can be a data: URL of many kilobytes; the alt text says as much to a reader.
  service.addRule("imageWithoutDataUrl", {
    filter: (node) => node.nodeName === "IMG" && (node.getAttribute("src") ?? "").startsWith("data:"),
    replacement: (_content, node) => {
      const alt = (node as unknown as Element).getAttribute("alt")?.trim();
      return alt ? `[image: ${alt}]` : "";
    },
  });
  return service;
}
