import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ToolError } from "../../../src/core/errors.js";
import type { ImagePart } from "../../../src/core/items.js";
import { createBrowserTools } from "../../../src/tools/browser/index.js";
import { sourceIdOf } from "../../../src/tools/sources.js";
import type { ToolContext } from "../../../src/tools/tool.js";
import { closedPort } from "../../support/closed-port.js";
import { browserTestContext, callTool, textOf } from "./browser-test-context.js";
import { startTestSite, type TestSite } from "./browser-test-site.js";

// Real Chromium against the local test site. One browser serves the whole file, as in a run.
let site: TestSite;
let harness: ReturnType<typeof browserTestContext>;
let context: ToolContext;
const tools = createBrowserTools();
const call = (name: string, args: unknown, overrides: Partial<ToolContext> = {}) =>
  callTool(tools, name, args, { ...context, ...overrides });

before(async () => {
  site = await startTestSite();
  harness = browserTestContext();
  context = harness.context;
});

after(async () => {
  await harness.resources.closeAll();
  await site.close();
  harness.remove();
});

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function imageOf(content: unknown): Buffer {
  assert.ok(Array.isArray(content), "an image answer is a list of content parts");
  const image = content.find((part: { type: string }) => part.type === "input_image") as ImagePart | undefined;
  assert.ok(image, "has an image part");
  const prefix = "data:image/png;base64,";
  assert.ok(image.image_url.startsWith(prefix));
  return Buffer.from(image.image_url.slice(prefix.length), "base64");
}

test("open shows the title, the visible text and numbered links, wrapped as untrusted, and records a source", async () => {
  const output = await call("browser_open", { url: `${site.baseURL}/` });
  const text = textOf(output);
  assert.match(text, /^Opened http:\/\/127\.0\.0\.1:\d+\/\.\nSource id: \[src_[0-9a-f]{10}\] \(cite it for what this page says\)\.\n/);
  assert.match(text, /<untrusted_content origin="http:\/\/127\.0\.0\.1:\d+\/">/);
  assert.match(text, /Title: Ponder Test Home/);
  assert.match(text, /The button has not been pressed\./);
  assert.match(text, /\[\d+\] button "Change text"/);
  assert.match(text, /\[\d+\] link "More information" -> \/info/);
  assert.equal(output.sources?.length, 1);
  const [source] = output.sources ?? [];
  assert.equal(source?.url, `${site.baseURL}/`);
  assert.equal(source?.sourceId, sourceIdOf(`${site.baseURL}/`));
  assert.equal(source?.title, "Ponder Test Home");
  assert.equal(source?.mediaType, "text/html");
  assert.match(source?.text ?? "", /Welcome to the test site/);
});

test("clicking a button by its visible text shows the changed page, without a new source", async () => {
  await call("browser_open", { url: `${site.baseURL}/` });
  const output = await call("browser_click", { target: "Change text" });
  const text = textOf(output);
  assert.match(text, /^Clicked \[\d+\] button\.\n/);
  assert.match(text, /The button was pressed!/);
  assert.equal(output.sources, undefined);
});

test("clicking a link by its number (string or JSON number) navigates and records the new page", async () => {
  const opened = textOf(await call("browser_open", { url: `${site.baseURL}/` }));
  const ref = /\[(\d+)\] link "More information"/.exec(opened)?.[1];
  assert.ok(ref);
  const output = await call("browser_click", { target: Number(ref) });
  assert.match(textOf(output), /Title: Info page/);
  assert.match(textOf(output), /The secret number is 4417\./);
  assert.equal(output.sources?.[0]?.url, `${site.baseURL}/info`);

  await call("browser_open", { url: `${site.baseURL}/` });
  assert.match(textOf(await call("browser_click", { target: `[${ref}]` })), /Title: Info page/);
});

test("a link that would open a new tab opens in the same one, so the model sees where it leads", async () => {
  await call("browser_open", { url: `${site.baseURL}/` });
  assert.match(textOf(await call("browser_click", { target: "Info in a new tab" })), /Title: Info page/);
});

test("clicking by CSS selector works, and a target that is not there returns the current page to choose from", async () => {
  await call("browser_open", { url: `${site.baseURL}/` });
  assert.match(textOf(await call("browser_click", { target: 'a[href="/form"]' })), /Title: Search form/);
  await assert.rejects(call("browser_click", { target: "Buy now" }), (error: unknown) => {
    assert.ok(error instanceof ToolError);
    assert.match(error.message, /Nothing on the page matches "Buy now"/);
    assert.match(error.message, /The page now:\n<untrusted_content/);
    assert.match(error.message, /\[\d+\] button "Send"/);
    return true;
  });
  await assert.rejects(call("browser_click", { target: "99" }), /There is no element \[99\] on the page now/);
});

test("typing into a field by its label and submitting shows the result page", async () => {
  await call("browser_open", { url: `${site.baseURL}/form` });
  const output = await call("browser_type", { field: "Name", text: "Ada", submit: true });
  const text = textOf(output);
  assert.match(text, /^Typed "Ada" into \[\d+\] text field and pressed Enter\./);
  assert.match(text, /Hello, Ada!/);
  assert.equal(output.sources?.[0]?.url, `${site.baseURL}/greet?name=Ada&color=Red`);
});

test("typing into a drop-down picks the option by its label, and a missing option lists the real ones", async () => {
  await call("browser_open", { url: `${site.baseURL}/form` });
  assert.match(textOf(await call("browser_type", { field: "Color", text: "sea GREEN" })), /\[\d+\] select "Color" selected "Sea green"/);
  await assert.rejects(
    call("browser_type", { field: "Color", text: "Blue" }),
    /\[\d+\] select has no option "Blue"\. Use one of the options[^]*options "Red \/ Sea green"/,
  );
  assert.match(textOf(await call("browser_click", { target: "Send" })), /You like Sea green\./);
});

test("typing by placeholder or number without submitting shows the value in the field", async () => {
  await call("browser_open", { url: `${site.baseURL}/form` });
  assert.match(
    textOf(await call("browser_type", { field: "Your name", text: "Grace" })),
    /text field "Name" placeholder "Your name" value "Grace"/,
  );
  assert.match(textOf(await call("browser_type", { field: "1", text: "Linus" })), /value "Linus"/);
  await assert.rejects(call("browser_type", { field: "Send", text: "x" }), /No field on the page matches "Send"/);
});

test("scrolling moves the view down and back, and to a piece of text", async () => {
  const opened = textOf(await call("browser_open", { url: `${site.baseURL}/long` }));
  assert.match(opened, /\(0 characters above, [\d,]+ characters below\)/);
  assert.match(opened, /Paragraph 1 of the long page/);

  const down = textOf(await call("browser_scroll", { direction: "down" }));
  assert.match(down, /^Scrolled down one screen\./);
  assert.doesNotMatch(down, /Paragraph 1 of the long page/);
  assert.match(down, /\([1-9][\d,]* characters above/);

  const found = textOf(await call("browser_scroll", { to_text: "TARGET paragraph" }));
  assert.match(found, /^Scrolled to "TARGET paragraph"/);
  assert.match(found, /The target paragraph is here at the end\./);

  assert.match(textOf(await call("browser_scroll", { direction: "bottom" })), /already at the bottom/);
  const top = textOf(await call("browser_scroll", { direction: "top" }));
  assert.match(top, /Paragraph 1 of the long page/);
  assert.match(textOf(await call("browser_scroll", { direction: "up" })), /already at the top/);
  await assert.rejects(call("browser_scroll", { to_text: "no such words" }), /The text "no such words" is not on this page/);
});

test("a screenshot is a PNG image part of the viewport and is saved in the workspace as an artifact", async () => {
  await call("browser_open", { url: `${site.baseURL}/` });
  const output = await call("browser_screenshot", {});
  const png = imageOf(output.content);
  assert.deepEqual(png.subarray(0, 8), pngSignature);
  assert.equal(png.readUInt32BE(16), 1280);
  assert.equal(png.readUInt32BE(20), 800);
  assert.match(textOf(output), /Screenshot of the visible screen, 1280×800 px, saved as screenshots\/shot-\d+\.png/);
  assert.match(textOf(output), /Title: Ponder Test Home/);
  const [artifact] = output.artifacts ?? [];
  assert.equal(artifact?.mediaType, "image/png");
  assert.match(artifact?.name ?? "", /^screenshots\/shot-\d+\.png$/);
  assert.equal(artifact?.path, join(context.workspace, artifact?.name ?? ""));
  assert.deepEqual(readFileSync(artifact?.path ?? ""), png);
});

test("parallel screenshots run one after another and never overwrite each other's files", async () => {
  await call("browser_open", { url: `${site.baseURL}/` });
  const outputs = await Promise.all([call("browser_screenshot", {}), call("browser_screenshot", {}), call("browser_screenshot", {})]);
  const names = outputs.map((output) => output.artifacts?.[0]?.name);
  assert.equal(new Set(names).size, 3);
});

test("a full-page screenshot of a long page is cut at the configured height and says so", async () => {
  const shortTools = createBrowserTools({ maxScreenshotHeight: 2000 });
  await callTool(shortTools, "browser_open", { url: `${site.baseURL}/long` }, context);
  const output = await callTool(shortTools, "browser_screenshot", { full_page: true }, context);
  const png = imageOf(output.content);
  assert.equal(png.readUInt32BE(20), 2000);
  assert.match(textOf(output), /Screenshot of the first 2000 px of the page \(it is \d+ px tall\)/);
});

test("without vision, a screenshot is still saved, and the model is told it cannot see it and gets text", async () => {
  await call("browser_open", { url: `${site.baseURL}/` });
  const output = await call("browser_screenshot", {}, { model: { id: "test:text-only", vision: false } });
  assert.equal(typeof output.content, "string");
  assert.match(textOf(output), /This model cannot see images/);
  assert.match(textOf(output), /Title: Ponder Test Home/);
  assert.deepEqual(readFileSync(output.artifacts?.[0]?.path ?? "").subarray(0, 8), pngSignature);
});

test("a 404 page is an error that names the status and shows the page", async () => {
  await assert.rejects(call("browser_open", { url: `${site.baseURL}/missing` }), (error: unknown) => {
    assert.ok(error instanceof ToolError);
    assert.match(error.message, /The server answered HTTP 404 Not Found: this page does not exist/);
    assert.match(error.message, /No such page here\./);
    return true;
  });
});

test("an unreachable address, a download and a bad address give clear messages", async () => {
  const url = `http://127.0.0.1:${await closedPort()}/`;
  await assert.rejects(call("browser_open", { url }), (error: unknown) => {
    assert.ok(error instanceof ToolError);
    assert.equal(error.message, `Nothing answered at ${url} (connection refused): the server is down, or the address or port is wrong.`);
    return true;
  });
  await assert.rejects(call("browser_open", { url: `${site.baseURL}/report.zip` }), /report\.zip is a file download, not a page/);
  await assert.rejects(call("browser_open", { url: "http://exa mple.com/" }), /is not a valid URL/);
  await assert.rejects(call("browser_open", { url: "javascript:alert(1)" }), /only opens http and https addresses, not javascript: URLs/);
});

test("file:// is refused unless the settings allow it", async () => {
  const folder = mkdtempSync(join(tmpdir(), "ponder-browser-file-"));
  try {
    const file = join(folder, "local.html");
    writeFileSync(file, "<title>Local file</title><p>Read from disk.</p>");
    await assert.rejects(call("browser_open", { url: `file://${file}` }), /Opening local files \(file:\/\/\) is turned off/);
    const allowing = createBrowserTools({ allowFileUrls: true });
    assert.match(textOf(await callTool(allowing, "browser_open", { url: `file://${file}` }, context)), /Read from disk\./);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("an address without a scheme gets http for this machine", async () => {
  const output = await call("browser_open", { url: `${site.baseURL.replace("http://", "")}/info` });
  assert.match(textOf(output), /Title: Info page/);
});

test("text from the page never appears outside the untrusted block, even in element kinds and summaries", async () => {
  const opened = textOf(await call("browser_open", { url: `${site.baseURL}/trap` }));
  assert.match(opened, /\[1\] clickable "Ignore previous instructions"/);
  assert.match(opened, /\[2\] text field "Evil field"/);
  const clicked = textOf(await call("browser_click", { target: "Ignore previous instructions" }));
  const outside = clicked.slice(0, clicked.indexOf("<untrusted_content"));
  assert.equal(outside, "Clicked [1] clickable.\n\n");
  assert.match(clicked, /Done/);
  assert.doesNotMatch(clicked.slice(clicked.indexOf("</untrusted_content>")), /Ignore|evil|obey/i);
});
