import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Page } from "playwright-core";
import { launchTestChromium } from "../support/test-chromium.js";
import { conversationScript, firstAnswer, firstQuestion, followUpQuestion, rememberedAnswer } from "../support/conversation-script.js";
import { startServerFixture } from "./server-fixture.js";

// A conversation in the web UI, in the system Chromium: answer, follow-up from the reply box, both
// turns on the page and one entry in the runs list. The follow-up is answered right only if it saw
// turn 1's tool output and file (real Python, fake model over real HTTP).
const screenshotFolder = join(tmpdir(), "ponder-web-ui-screenshots");

async function waitForStatus(page: Page, status: string): Promise<void> {
  await page.locator(".run-status-line .status", { hasText: new RegExp(`^${status}$`) }).waitFor();
}

test("web UI: answer, reply with a follow-up, see both turns and one conversation in the list", async () => {
  mkdirSync(screenshotFolder, { recursive: true });
  const fixture = await startServerFixture(conversationScript);
  const browser = await launchTestChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${fixture.server.url}/#/new`);
    await page.getByRole("textbox", { name: /^Task/ }).fill(firstQuestion);
    await page.getByRole("button", { name: "Start" }).click();
    await page.waitForURL(/#\/runs\/[^/]+$/);
    const firstUrl = page.url();
    await waitForStatus(page, "completed");
    await page.locator(".answer", { hasText: firstAnswer }).waitFor();

    await page.getByRole("textbox", { name: /^Reply/ }).fill(followUpQuestion);
    await page.getByRole("button", { name: "Reply" }).click();
    await page.waitForURL((url) => url.toString() !== firstUrl && /#\/runs\/[^/]+$/.test(url.hash));
    await waitForStatus(page, "completed");
    assert.match(((await page.locator(".answer .prose").textContent()) ?? "").trim(), rememberedAnswer);
    // Turn 1 is one line, collapsed, above the latest turn; opened, it shows its answer.
    const earlier = page.locator(".earlier-turns details.turn");
    assert.equal(await earlier.count(), 1);
    assert.match((await earlier.locator("summary").textContent()) ?? "", /Turn 1[\s\S]*Pick a secret token/);
    assert.equal(await earlier.getAttribute("open"), null, "collapsed");
    await earlier.locator("summary").click();
    await earlier.locator(".turn-answer", { hasText: firstAnswer }).waitFor();
    await page.screenshot({ path: join(screenshotFolder, "conversation-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok((await page.evaluate<number>("document.documentElement.scrollWidth")) <= 390, "no sideways scrolling on a phone");
    await page.screenshot({ path: join(screenshotFolder, "conversation-390.png"), fullPage: true });

    await page.goto(`${fixture.server.url}/#/`);
    const rows = page.locator(".run-list li");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1, "the conversation is one entry");
    assert.match((await rows.first().textContent()) ?? "", /2 turns[\s\S]*Pick a secret token/);
    await page.screenshot({ path: join(screenshotFolder, "conversation-list-390.png"), fullPage: true });
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
    await fixture.close();
  }
});
