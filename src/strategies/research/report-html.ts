// A self-contained HTML page from the report's Markdown, which a model wrote: rendered by
// markdown-it (CommonMark and GitHub tables; raw HTML in the Markdown stays text), then passed
// through sanitize-html, which keeps only the elements a report uses and links to http(s) and
// file URLs. Every image is inlined as a data: URL so the file opens anywhere, offline, on its own.
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

/** Image bytes by the file name the Markdown uses (`![chart](chart.png)`). */
export type InlineImages = ReadonlyMap<string, { mediaType: string; bytes: Uint8Array }>;

type RenderEnvironment = { images: InlineImages };

const markdown = new MarkdownIt({ html: false, linkify: true });
const { escapeHtml } = markdown.utils;
// A link goes to the web or to a local document the research read; an image is only ever one
// of the run's own files (looked up below), never fetched from elsewhere.
markdown.validateLink = (url) => /^(?:https?|file):\/\//i.test(url) || !/^[a-z][a-z\d+.-]*:/i.test(url);
markdown.renderer.rules.image = (tokens, index, options, environment: RenderEnvironment, renderer) => {
  const token = tokens[index];
  const alt = escapeHtml(renderer.renderInlineAsText(token?.children ?? [], options, environment));
  const image = environment.images.get(token?.attrGet("src") ?? "");
  // An image the run did not make is left out; its description stays.
  return image ? `<img alt="${alt}" src="data:${image.mediaType};base64,${Buffer.from(image.bytes).toString("base64")}">` : alt;
};

const allowed: sanitizeHtml.IOptions = {
  allowedTags: [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "blockquote",
    "ul",
    "ol",
    "li",
    "pre",
    "code",
    "em",
    "strong",
    "s",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href"], img: ["alt", "src"], ol: ["start"], th: ["style"], td: ["style"] },
  allowedStyles: { "*": { "text-align": [/^(?:left|right|center)$/] } },
  allowedSchemes: ["http", "https", "file"],
  allowedSchemesByTag: { img: ["data"] },
  allowProtocolRelative: false,
};

export function reportHtml(text: string, title: string, images: InlineImages): string {
  const environment: RenderEnvironment = { images };
  const body = sanitizeHtml(markdown.render(text, environment), allowed);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 16px/1.6 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
img { max-width: 100%; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.25rem 0.5rem; }
code { background: #f3f3f3; padding: 0 0.2rem; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
