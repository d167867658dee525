// HTML documents shared by the extraction, page-reading and benchmark code.

const filler = (topic: string, sentences: number) =>
  Array.from(
    { length: sentences },
    (_, index) => `Sentence ${index + 1} about ${topic} keeps the article long enough to read as one.`,
  ).join(" ");

/** A news-like article with a menu, a footer and a data table Readability should keep. */
export function articleHtml(title = "Orchard yields in 2024"): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} | Farm Weekly</title></head>
<body>
  <nav class="menu"><a href="/">Home</a> <a href="/subscribe">Subscribe</a> <a href="/login">Log in</a></nav>
  <main><article>
    <h1>${title}</h1>
    <p class="byline">By A. Grower</p>
    <p>Apple growers reported a strong season. ${filler("apples", 8)} Read the <a href="/methods">methods</a>.</p>
    <table>
      <thead><tr><th>Fruit</th> <th>Tonnes</th> <th>Change</th></tr></thead>
      <tbody>
        <tr><td>Apples</td> <td>1,200</td> <td>+4%</td></tr>
        <tr><td>Pears</td> <td>310</td> <td>-2% | revised</td></tr>
      </tbody>
    </table>
    <p>Pear growers had a harder time. ${filler("pears", 8)}</p>
  </article></main>
  <footer>Copyright Farm Weekly. All rights reserved.</footer>
  <script>window.tracking = true;</script>
</body></html>`;
}

/**
 * A long article (about `sections` × 1,000 characters) whose one unusual fact sits near the end,
 * so finding it takes paging or searching.
 */
export function longArticleHtml(sections = 40): string {
  const parts = Array.from({ length: sections }, (_, index) => {
    const fact = index === sections - 3 ? " The harbour master's ledger records exactly 4,817 barrels of herring landed that winter." : "";
    return `<h2>Chapter ${index + 1}</h2><p>${filler(`the harbour in chapter ${index + 1}`, 10)}${fact}</p>`;
  });
  return `<!doctype html><html><head><title>A history of the harbour</title></head><body><article><h1>A history of the harbour</h1>${parts.join("\n")}</article></body></html>`;
}

/** An article of about `kilobytes` KB, for the benchmark. */
export function sizedArticleHtml(kilobytes: number): string {
  const perSection = longArticleHtml(2).length - longArticleHtml(1).length;
  return longArticleHtml(Math.max(1, Math.round((kilobytes * 1024) / perSection)));
}
