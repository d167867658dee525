// A self-contained HTML page from the report's Markdown: the subset writers use (headings,
// paragraphs, lists, tables, emphasis, code, links, images), with every image inlined as a
// data: URL so the file opens anywhere, offline, on its own.

/** Image bytes by the file name the Markdown uses (`![chart](chart.png)`). */
export type InlineImages = ReadonlyMap<string, { mediaType: string; bytes: Uint8Array }>;

export function reportHtml(markdown: string, title: string, images: InlineImages): string {
  const body = blocks(markdown.split("\n"), images).join("\n");
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

function blocks(lines: string[], images: InlineImages): string[] {
  const html: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) html.push(`<p>${inline(paragraph.join(" "), images)}</p>`);
    paragraph = [];
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const listItem = /^\s*(?:[-*+]|(\d+)\.)\s+(.*)$/.exec(line);
    if (line.trim() === "") flush();
    else if (heading) {
      flush();
      const level = heading[1]?.length ?? 1;
      html.push(`<h${level}>${inline(heading[2] ?? "", images)}</h${level}>`);
    } else if (/^(-{3,}|\*{3,})\s*$/.test(line)) {
      flush();
      html.push("<hr>");
    } else if (line.startsWith("```")) {
      flush();
      const code: string[] = [];
      while (++index < lines.length && !(lines[index] ?? "").startsWith("```")) code.push(lines[index] ?? "");
      html.push(`<pre><code>${escapeHtml(code.join("\n"))}</code></pre>`);
    } else if (line.trim().startsWith("|")) {
      flush();
      const rows: string[] = [];
      for (; index < lines.length && (lines[index] ?? "").trim().startsWith("|"); index++) rows.push(lines[index] ?? "");
      index--;
      html.push(table(rows, images));
    } else if (listItem) {
      flush();
      const ordered = listItem[1] !== undefined;
      const items: string[] = [];
      for (; index < lines.length; index++) {
        const match = /^\s*(?:[-*+]|\d+\.)\s+(.*)$/.exec(lines[index] ?? "");
        if (!match) break;
        items.push(`<li>${inline(match[1] ?? "", images)}</li>`);
      }
      index--;
      html.push(`<${ordered ? "ol" : "ul"}>${items.join("")}</${ordered ? "ol" : "ul"}>`);
    } else paragraph.push(line.trim());
  }
  flush();
  return html;
}

function table(rows: string[], images: InlineImages): string {
  const cells = (row: string) => row.trim().replace(/^\||\|$/g, "").split("|").map((cell) => cell.trim());
  const [head, ...rest] = rows.filter((row) => !/^\s*\|?\s*:?-{2,}/.test(row));
  const header = head ? `<tr>${cells(head).map((cell) => `<th>${inline(cell, images)}</th>`).join("")}</tr>` : "";
  return `<table>${header}${rest.map((row) => `<tr>${cells(row).map((cell) => `<td>${inline(cell, images)}</td>`).join("")}</tr>`).join("")}</table>`;
}

function inline(text: string, images: InlineImages): string {
  return escapeHtml(text)
    .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt: string, target: string) => {
      const image = images.get(target);
      return image ? `<img alt="${alt}" src="data:${image.mediaType};base64,${Buffer.from(image.bytes).toString("base64")}">` : alt;
    })
    .replace(/\[([^\]]+)\]\(((?:https?|file):\/\/[^)\s]+)\)/g, '<a href="$2">$1</a>')
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
