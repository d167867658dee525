// Model text and reports as HTML: markdown-it renders it (raw HTML in the text stays text), then
// sanitize-html keeps only the tags and attributes Markdown makes, so nothing that a model, or a
// page it read, wrote can run script, load a resource or restyle the page.
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

const renderer = new MarkdownIt({ html: false, linkify: true });
// markdown-it refuses file: links too, but the local search index cites file:// URLs; scripts
// and data stay refused here, and sanitize-html below allows only the schemes it names.
renderer.validateLink = (url) => !/^\s*(javascript|vbscript|data):/i.test(url);

const sanitizeOptions: sanitizeHtml.IOptions = {
  // No <img>: a remote image in model text would tell its server that the page was opened.
  allowedTags: [
    ...["p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em", "strong", "s", "a"],
    ...["ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub"],
  ],
  allowedAttributes: { a: ["href", "title", "target", "rel"], ol: ["start"], th: ["style"], td: ["style"], code: ["class"] },
  allowedStyles: { "*": { "text-align": [/^(left|right|center)$/] } },
  allowedSchemes: ["http", "https", "mailto", "file"],
  allowedClasses: { code: [/^language-[\w-]+$/] },
  // Links leave the page: a new tab, with no handle back to this one and no referrer.
  transformTags: { a: sanitizeHtml.simpleTransform("a", { target: "_blank", rel: "noopener noreferrer" }) },
};

/** Safe HTML for a Markdown text. */
export function markdownHtml(text: string): string {
  return sanitizeHtml(renderer.render(text), sanitizeOptions);
}
