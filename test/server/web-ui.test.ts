import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, type Locator, type Page } from "playwright-core";
import { launchTestChromium } from "../support/test-chromium.js";
import { sourceIdOf } from "../../src/tools/sources.js";
import { addFolders, localIndexDirectoryOf } from "../../src/tools/web/search/index.js";
import { call, classify, notesTurn, planTurn } from "../strategies/research-script.js";
import { toolResults, userTexts } from "../support/conversation.js";
import type { FakeTurn, RequestBody } from "../support/fake-openai-server.js";
import { startServerFixture, type ServerFixture } from "./server-fixture.js";

// The web UI end to end: the built page served by `ponder serve`, driven in the system Chromium,
// against runs advanced by the real loop with a scripted model over real HTTP.

const screenshotFolder = join(tmpdir(), "ponder-web-ui-screenshots");
const plotCode = [
  "import matplotlib",
  'matplotlib.use("Agg")',
  "import matplotlib.pyplot as plt",
  "plt.figure(figsize=(3, 2))",
  "plt.plot([1, 2, 3], [1, 4, 9])",
  'plt.savefig("squares.png")',
  "print(sum(range(1, 10)))",
].join("\n");

/** The scripted model: each task of the test is told apart by a phrase of its question. */
function scriptedModel(steerGate: Promise<void>) {
  let samples = 0;
  return async (body: RequestBody): Promise<FakeTurn> => {
    const conversation = JSON.stringify(body);
    const results = toolResults(body);
    if (conversation.includes("plot the squares")) {
      if (results.length === 0)
        return {
          reasoning: "A chart and a sum: Python does both.",
          text: "Plotting first.",
          toolCalls: [{ name: "python", arguments: JSON.stringify({ code: plotCode }) }],
        };
      return { text: `The sum is ${/\d+/.exec(results[0] ?? "")?.[0] ?? "unknown"}; the chart is squares.png.` };
    }
    if (conversation.includes("count in some base")) {
      if (results.length === 0) {
        await steerGate;
        return { toolCalls: [{ name: "no_such_tool", arguments: "{}" }] };
      }
      return { text: userTexts(body).some((text) => text.includes("Use base 7")) ? "Steered: ten is 13 in base 7." : "Not steered." };
    }
    if (conversation.includes("sleep forever")) return { delayMs: 30_000, text: "never" };
    if (conversation.includes("which number wins")) return { text: samples++ % 3 === 2 ? "41" : "42" };
    return { text: "ok" };
  };
}

/**
 * A laptop-sized page that collects what went wrong on it: page errors, console errors and HTTP
 * errors. A 401 is expected where the page asks for the key (Chromium logs it as a failed load).
 */
async function watchedPage(browser: Browser): Promise<{ page: Page; pageErrors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) pageErrors.push(message.text());
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && response.status() !== 401) pageErrors.push(`${response.status()} ${response.url()}`);
  });
  return { page, pageErrors };
}

/** Fills the new-task form and submits it; resolves with the new run's id from the page's URL. */
async function submitTask(page: Page, input: string, strategy?: { label: string; samples?: string }): Promise<string> {
  await page.getByRole("link", { name: "New task" }).click();
  await page.getByRole("textbox", { name: /^Task/ }).fill(input);
  await page.getByRole("combobox", { name: /^Effort/ }).selectOption("low");
  await page.getByRole("combobox", { name: /^Model/ }).selectOption("ponder/openai:gpt-5-mini");
  if (strategy) {
    await page.getByLabel(strategy.label).check();
    if (strategy.samples) await page.getByRole("spinbutton", { name: /^Samples/ }).fill(strategy.samples);
  }
  await page.getByRole("button", { name: "Start" }).click();
  await page.waitForURL(/#\/runs\/[^/]+$/);
  return decodeURIComponent(new URL(page.url()).hash.replace("#/runs/", ""));
}

async function statusOf(page: Page): Promise<string> {
  return (await page.locator(".run-status-line .status").textContent()) ?? "";
}

async function waitForStatus(page: Page, status: string): Promise<void> {
  await page.locator(".run-status-line .status", { hasText: new RegExp(`^${status}$`) }).waitFor();
}

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>("document.documentElement.scrollWidth");
}

/** A whole page, or one element: full-page shots leave frames blank, so a frame is taken alone. */
async function screenshot(target: Page | Locator, name: string): Promise<string> {
  const path = join(screenshotFolder, name);
  await ("goto" in target ? target.screenshot({ path, fullPage: true }) : target.screenshot({ path }));
  const bytes = readFileSync(path);
  assert.ok(bytes.length > 1000, `${name} has content`);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name} is a PNG`);
  return path;
}

test("web UI: ask for the key, run a task through approval, steer, cancel, best-of-N, on a laptop and a phone", async () => {
  let releaseSteer: () => void = () => undefined;
  const steerGate = new Promise<void>((resolve) => (releaseSteer = resolve));
  const fixture: ServerFixture & { keys: Record<string, string> } = await startServerFixture(scriptedModel(steerGate), {
    tenants: ["alice"],
    config: { policy: { tools: { python: "ask" } } },
  });
  mkdirSync(screenshotFolder, { recursive: true });
  const browser = await launchTestChromium();
  try {
    const { page, pageErrors } = await watchedPage(browser);

    // The server has a key, so the first API call answers 401 and the page asks for it.
    await page.goto(fixture.server.url);
    await page.getByPlaceholder("key id.secret").fill(fixture.keys.alice as string);
    await page.getByRole("button", { name: "Save key" }).click();
    await page.getByText("No runs yet.").waitFor();

    // (a) A task whose tool call the policy sends to a person.
    const approvedId = await submitTask(page, "Please plot the squares of 1 to 3 and sum 1 to 9.");
    await page.getByRole("heading", { name: "Waiting for your approval" }).waitFor();
    await page.getByRole("heading", { name: "Step 1" }).waitFor();
    assert.match((await page.locator(".approvals pre").textContent()) ?? "", /plt\.savefig/);
    assert.equal(await statusOf(page), "awaiting approval");
    await page.getByRole("button", { name: "Approve" }).click();
    await page.locator(".answer", { hasText: "The sum is 45; the chart is squares.png." }).waitFor();
    await waitForStatus(page, "completed");
    const toolCall = page.locator(".tool-call", { hasText: "python" });
    await toolCall.locator("summary").click();
    assert.match((await toolCall.locator(".tool-output").textContent()) ?? "", /45/);
    assert.match((await toolCall.locator("summary").textContent()) ?? "", /approved/);
    assert.match((await page.locator(".reasoning").first().textContent()) ?? "", /Python does both/);
    const chart = page.locator("img.artifact-image[alt='squares.png']");
    await chart.waitFor();
    await chart.evaluate((image: { decode(): Promise<void> }) => image.decode());
    assert.ok(
      await chart.evaluate((image: { naturalWidth: number }) => image.naturalWidth > 0),
      "the chart loaded through the artifacts endpoint",
    );
    const stored = (await (await fixture.request("GET", `/v1/runs/${approvedId}`, { key: fixture.keys.alice })).json()) as {
      status: string;
    };
    assert.equal(stored.status, "completed");
    const laptopShot = await screenshot(page, "run-1280.png");

    // (b) Steer a running run from the steer box: the model's next request carries the message.
    await submitTask(page, "Please count in some base.");
    await page.getByRole("textbox", { name: /^Steer:/ }).fill("Use base 7");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("Sent: “Use base 7”").waitFor();
    releaseSteer();
    await page.locator(".answer", { hasText: "Steered: ten is 13 in base 7." }).waitFor();
    assert.ok(
      fixture.model.requests.some((request) => userTexts(request.body).some((text) => text.includes("Use base 7"))),
      "the model received the steer",
    );

    // Cancel a run that is waiting on its model.
    await submitTask(page, "Please sleep forever.");
    await waitForStatus(page, "running");
    await page.getByRole("button", { name: "Cancel" }).click();
    await waitForStatus(page, "cancelled");

    // Best-of-N: every sample in the grid, the spread of answers, the winner.
    await submitTask(page, "Tell me which number wins.", { label: "Best of N", samples: "3" });
    await waitForStatus(page, "completed");
    await page.locator(".distribution .cluster").nth(1).waitFor();
    assert.equal(await page.locator(".children-grid .cell").count(), 3);
    assert.equal(await page.locator(".children-grid .cell.status-completed").count(), 3);
    assert.match((await page.locator(".cluster.winner").textContent()) ?? "", /42.*2 · 67%/);
    assert.match((await page.locator(".answer").textContent()) ?? "", /Winner\s*42/);
    const bestOfShot = await screenshot(page, "best-of-1280.png");

    // The list shows the top-level runs only: four tasks, not the three samples.
    await page.getByRole("link", { name: "Runs", exact: true }).click();
    await page.locator(".run-list li").nth(3).waitFor();
    assert.equal(await page.locator(".run-list li").count(), 4);

    // A phone: the same pages fit 390 px without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok((await pageWidth(page)) <= 390, "runs list fits a phone");
    const phoneListShot = await screenshot(page, "runs-390.png");
    await page.goto(`${fixture.server.url}/#/runs/${approvedId}`);
    await chart.waitFor();
    assert.ok((await pageWidth(page)) <= 390, "run page fits a phone");
    const phoneRunShot = await screenshot(page, "run-390.png");
    await page.getByRole("link", { name: "New task" }).click();
    await page.getByLabel("Best of N").check();
    assert.ok((await pageWidth(page)) <= 390, "new-task form fits a phone");
    const phoneFormShot = await screenshot(page, "new-task-390.png");
    assert.deepEqual(pageErrors, []);
    console.log(`screenshots: ${[laptopShot, bestOfShot, phoneListShot, phoneRunShot, phoneFormShot].join(", ")}`);

    // A dropped event stream: the page reconnects with Last-Event-ID and shows every item once.
    const reconnecting = await browser.newPage();
    await reconnecting.addInitScript(`localStorage.setItem("ponder.apiKey", ${JSON.stringify(fixture.keys.alice)})`);
    const lastEventIds: (string | undefined)[] = [];
    await reconnecting.route("**/v1/runs/*/events", async (route, request) => {
      lastEventIds.push(request.headers()["last-event-id"]);
      if (lastEventIds.length > 1) return route.continue();
      const response = await route.fetch();
      // The first two items, then the connection ends without `done`.
      const cut = (await response.text()).split("\n\n").slice(0, 2).join("\n\n") + "\n\n";
      return route.fulfill({ response, body: cut });
    });
    const reconnected = reconnecting.waitForRequest(
      (request) => request.url().endsWith("/events") && request.headers()["last-event-id"] !== undefined,
    );
    await reconnecting.goto(`${fixture.server.url}/#/runs/${approvedId}`);
    await reconnected;
    await reconnecting.locator(".step .message-assistant", { hasText: "The sum is 45" }).waitFor();
    assert.equal(lastEventIds[0], undefined, "the first connection asks for every item");
    // The page also reads the run's items with GET, so it may know more than the cut stream sent.
    assert.ok(Number(lastEventIds[1]) >= 1, `reconnected after the last item seen, not from the start (${lastEventIds[1]})`);
    assert.equal(await reconnecting.locator(".step .message-assistant").count(), 2, "no item twice");
    const storedItems = (
      (await (await fixture.request("GET", `/v1/runs/${approvedId}`, { key: fixture.keys.alice })).json()) as {
        items: { item: { type: string; role?: string; content?: { text?: string }[] } }[];
      }
    ).items;
    // Ponder's own notices to the model (a resumed run's "[Ponder] ...") are user messages to the
    // model but not the user's words: the page shows them as notes.
    const userMessages = storedItems.filter(({ item }) => item.type === "message" && item.role === "user");
    const notices = userMessages.filter(({ item }) => item.content?.[0]?.text?.startsWith("[Ponder]"));
    assert.ok(notices.length >= 1, "the approved run was resumed after the approval, with a notice");
    assert.equal(await reconnecting.locator(".step .message-user").count(), userMessages.length - notices.length);
    assert.equal(await reconnecting.locator(".step .note-ponder").count(), notices.length);
  } finally {
    releaseSteer();
    await browser.close();
    await fixture.close();
  }
});

test("web UI: a research run shows its plan and its cited report once, rendered from Markdown", async () => {
  const subQuestion = "When was the harbour founded?";
  let fileUrl = "";
  const fixture = await startServerFixture((body: RequestBody): FakeTurn => {
    const request = classify(body);
    if (request.kind === "planner") return planTurn([subQuestion]);
    if (request.kind === "writer") return { text: "# The harbour\n\nThe harbour was founded in 1642 [1]." };
    if (request.kind !== "reader") return { text: "?" };
    if (request.final || request.step >= 2)
      return notesTurn([
        { claim: "The harbour was founded in 1642.", source_id: sourceIdOf(fileUrl), quote: "founded in 1642 by Dutch traders" },
      ]);
    return request.step === 0
      ? { toolCalls: [call("web_search", { query: "harbour founded" })] }
      : { toolCalls: [call("read_page", { url: fileUrl })] };
  });
  const corpus = join(fixture.home, "corpus");
  mkdirSync(corpus);
  writeFileSync(
    join(corpus, "history.md"),
    "# A history of the harbour\n\nThe harbour was founded in 1642 by Dutch traders who needed a safe anchorage.\n",
  );
  fileUrl = pathToFileURL(join(corpus, "history.md")).href;
  await addFolders(localIndexDirectoryOf(fixture.home), [corpus]);
  const browser = await launchTestChromium();
  try {
    const { page, pageErrors } = await watchedPage(browser);
    await page.goto(fixture.server.url);
    await submitTask(page, "What is the history of the harbour?", { label: "Research" });
    await waitForStatus(page, "completed");
    await page.locator(".plan-node", { hasText: subQuestion }).waitFor();
    assert.match((await page.locator(".plan-node", { hasText: subQuestion }).textContent()) ?? "", /completed/);
    const report = page.locator(".report .markdown");
    await report.getByText("The harbour was founded in 1642").waitFor();
    assert.equal(await page.getByText("The harbour was founded in 1642 [1].").count(), 1, "the report is shown once");
    const citation = report.locator(`a[href="${fileUrl}"]`);
    await citation.waitFor();
    assert.equal(await citation.getAttribute("target"), "_blank", "citations open in a new tab");
    await page.locator(".report-files", { hasText: "report.html" }).waitFor();
    const reportShot = await screenshot(page, "research-report-1280.png");
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok((await pageWidth(page)) <= 390, "research page fits a phone");
    const phoneShot = await screenshot(page, "research-390.png");
    assert.deepEqual(pageErrors, []);
    console.log(`screenshots: ${reportShot}, ${phoneShot}`);
  } finally {
    await browser.close();
    await fixture.close();
  }
});
