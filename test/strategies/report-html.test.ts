import assert from "node:assert/strict";
import { test } from "node:test";
import { reportHtml } from "../../src/strategies/research/report-html.js";

const chart = new Map([["chart.png", { mediaType: "image/png", bytes: new Uint8Array([1, 2, 3]) }]]);
const bodyOf = (markdown: string) => (reportHtml(markdown, "Report", chart).split("<body>")[1] ?? "").split("</body>")[0] ?? "";

test("the writer's Markdown becomes the report's HTML: headings, emphasis, tables, lists, code, citations", () => {
  const body = bodyOf(
    "# Herring\n\nLandings grew from **4,817** to *7,200* tonnes [1], see `landings.csv` and [the record](https://harbour.example/1900) or [the scan](file:///home/me/scan.pdf).\n\n| year | tonnes |\n| --- | ---: |\n| 1890 | 4,817 |\n\n1. first\n2. second\n\n```\nx < y\n```\n",
  );
  assert.match(body, /<h1>Herring<\/h1>/);
  assert.match(body, /<strong>4,817<\/strong> to <em>7,200<\/em>/);
  assert.match(body, /<code>landings\.csv<\/code>/);
  assert.match(body, /<a href="https:\/\/harbour\.example\/1900">the record<\/a>/);
  assert.match(body, /<a href="file:\/\/\/home\/me\/scan\.pdf">the scan<\/a>/);
  assert.match(body, /<th>year<\/th>\s*<th style="text-align:right">tonnes<\/th>/);
  assert.match(body, /<td>1890<\/td>/);
  assert.match(body, /<ol>\s*<li>first<\/li>\s*<li>second<\/li>\s*<\/ol>/);
  assert.match(body, /<pre><code>x &lt; y\n<\/code><\/pre>/);
});

test("the run's own images are inlined; any other image leaves only its description", () => {
  const body = bodyOf("![Herring landed](chart.png) ![a photo](photo.png) ![tracker](https://tracker.example/pixel.png)");
  assert.match(body, /<img alt="Herring landed" src="data:image\/png;base64,AQID" \/>/);
  assert.equal(body.match(/<img/g)?.length, 1);
  assert.match(body, /a photo/);
  assert.match(body, /tracker/);
});

test("what a model or a hostile page slipped into the Markdown stays text: no script, no handler, no javascript: link", () => {
  const body = bodyOf(
    '# Title <script>alert(1)</script>\n\n<img src=x onerror="alert(1)"> [click](javascript:alert(1)) [data](data:text/html,<b>x</b>)\n\n<a href="https://x.example" onclick="steal()">x</a>',
  );
  assert.doesNotMatch(body, /<(?:script|img)\b/i);
  assert.doesNotMatch(body, /<a [^>]*(?:on\w+=|href="(?:javascript|data):)/i);
  assert.match(body, /&lt;img src=x onerror="alert\(1\)"&gt;/);
  assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(reportHtml("text", "A <b>title</b>", chart), /<title>A &lt;b&gt;title&lt;\/b&gt;<\/title>/);
});
