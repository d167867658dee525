import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Page } from "playwright-core";
import { launchTestChromium } from "../support/test-chromium.js";
import type { Item } from "../../src/core/items.js";
import { startPonderServer, type PonderServer } from "../../src/server/ponder-server.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { toolResults, userTexts } from "../support/conversation.js";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../support/fake-openai-server.js";
import { temporaryHome } from "../support/temporary-home.js";
import { startServerFixture } from "./server-fixture.js";

// The run viewer end to end, in the system Chromium against `ponder serve` and the real loop, with
// a scripted model over real HTTP: tool calls with their input and output in view and failures in
// red, hostile Markdown rendered harmless, the plan checklist, a live run followed step by step,
// the new-task form's budget, tools and files reaching the run, Resume after a server restart,
// best-of-N cells coloured by answer, Approve above the fold and no sideways scrolling on a phone.

const shots = process.env.PONDER_UI_SHOTS ?? "/tmp/ui-shots";
const hostileText = [
  "# Findings",
  "",
  "The answer is **42**, see `compute()`.",
  "",
  "<script>window.__pwned = 'script'</script>",
  '<img src="x" onerror="window.__pwned = \'onerror\'">',
  "",
  "[a trap](javascript:window.__pwned='link') and [a source](https://example.org/page)",
  "",
  "| a | b |",
  "| --- | --- |",
  "| 1 | 2 |",
].join("\n");
const plan = {
  explanation: "Check both tools.",
  plan: [
    { step: "Divide by zero in Python", status: "completed" },
    { step: "Call a tool that does not exist", status: "in_progress" },
    { step: "Report what failed", status: "pending" },
  ],
};
const followSteps = 6;

type Gates = { release: (index: number) => void; wait: (index: number) => Promise<void> };

function gates(): Gates {
  const opened = new Map<number, () => void>();
  const promises = new Map<number, Promise<void>>();
  const promiseOf = (index: number) => {
    let promise = promises.get(index);
    if (!promise) {
      promise = new Promise<void>((resolve) => opened.set(index, resolve));
      promises.set(index, promise);
    }
    return promise;
  };
  return {
    wait: promiseOf,
    release: (index) => {
      void promiseOf(index);
      opened.get(index)?.();
    },
  };
}

function scriptedModel(follow: Gates, firstResume: Promise<void>) {
  let samples = 0;
  let resumeCalls = 0;
  return async (body: RequestBody): Promise<FakeTurn> => {
    const conversation = JSON.stringify(body);
    const results = toolResults(body);
    if (conversation.includes("render some markdown")) return { text: hostileText };
    if (conversation.includes("break some tools")) {
      if (results.length > 0) return { text: "Both calls failed, as planned." };
      return {
        text: "Trying the tools.",
        toolCalls: [
          { name: "update_plan", arguments: JSON.stringify(plan) },
          { name: "python", arguments: JSON.stringify({ code: "total = 10\nprint('dividing')\ntotal / 0" }) },
          { name: "no_such_tool", arguments: JSON.stringify({ query: "anything" }) },
        ],
      };
    }
    if (conversation.includes("follow the steps")) {
      const step = results.length;
      await follow.wait(step);
      if (step >= followSteps) return { text: "All steps done." };
      const lines = Array.from({ length: 8 }, (_, line) => `Working on part ${step + 1}, line ${line + 1}.`).join("\n\n");
      return { text: lines, toolCalls: [{ name: "list_files", arguments: "{}" }] };
    }
    if (conversation.includes("wait for my approval")) {
      if (results.length > 0) return { text: "Listed." };
      return { toolCalls: [{ name: "read_file", arguments: JSON.stringify({ path: "notes.txt" }) }] };
    }
    if (conversation.includes("resume me")) {
      resumeCalls += 1;
      if (resumeCalls === 1) await firstResume;
      return { text: "Resumed and done." };
    }
    if (conversation.includes("which number wins")) return { text: samples++ % 3 === 2 ? "41" : "42" };
    if (conversation.includes("use the form")) {
      const attached = userTexts(body).some((text) => text.includes("attachments/data.csv"));
      return { text: attached ? "I see data.csv." : "No file." };
    }
    return { text: "ok" };
  };
}

type ScrollingWindow = { innerHeight: number; scrollY: number; document: { documentElement: { scrollHeight: number } } };

/** Run in the page (a function, not a string: the page's CSP allows no eval): whether it shows its end. */
function atBottom(wanted: boolean): boolean {
  const view = globalThis as unknown as ScrollingWindow;
  return view.innerHeight + view.scrollY >= view.document.documentElement.scrollHeight - 130 === wanted;
}

async function waitForStatus(page: Page, status: string): Promise<void> {
  await page.locator(".run-status-line .status", { hasText: new RegExp(`^${status}$`) }).waitFor();
}

async function startTask(page: Page, baseUrl: string, input: string, strategy?: { label: string; samples: string }): Promise<string> {
  await page.goto(`${baseUrl}/#/new`);
  await page.getByRole("textbox", { name: /^Task/ }).fill(input);
  if (strategy) {
    await page.getByLabel(strategy.label).check();
    await page.getByRole("spinbutton", { name: /^Samples/ }).fill(strategy.samples);
  }
  await page.getByRole("button", { name: "Start" }).click();
  await page.waitForURL(/#\/runs\/[^/]+$/);
  return decodeURIComponent(new URL(page.url()).hash.replace("#/runs/", ""));
}

/** Both sizes of the page, checked for sideways scrolling and saved for a person to look at. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    const scrollWidth = await page.evaluate<number>("document.documentElement.scrollWidth");
    assert.ok(scrollWidth <= width, `${name} fits ${width} px (${scrollWidth})`);
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("web UI viewer: tool previews and failures, safe Markdown, plan, live follow, form options, resume, answer clusters, phone", async () => {
  mkdirSync(shots, { recursive: true });
  const follow = gates();
  let releaseFirstResume: () => void = () => undefined;
  const firstResume = new Promise<void>((resolve) => (releaseFirstResume = resolve));
  const model = await startFakeOpenAIServer(scriptedModel(follow, firstResume));
  const home = temporaryHome();
  writeFileSync(join(home.path, "ponder.config.json"), JSON.stringify({ policy: { tools: { read_file: "ask" } } }));
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: model.baseURL, PONDER_MODEL: "openai:gpt-5-mini" };
  let server: PonderServer = await startPonderServer({ port: 0, host: "127.0.0.1", env, cwd: home.path });
  const browser = await launchTestChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("dialog", (dialog) => {
      pageErrors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });

    // Markdown from the model is rendered, and what it smuggled in does nothing.
    const markdownId = await startTask(page, server.url, "Please render some markdown.");
    await waitForStatus(page, "completed");
    const answer = page.locator(".answer .markdown");
    await answer.locator("h1", { hasText: "Findings" }).waitFor();
    assert.equal(await answer.locator("strong").textContent(), "42");
    assert.equal(await answer.locator("table td").count(), 2);
    assert.equal(await answer.locator("script, img, [onerror]").count(), 0, "no script or image element survives");
    assert.equal(await answer.locator("a[href^='javascript']").count(), 0, "a javascript: link is no link");
    const source = answer.locator("a", { hasText: "a source" });
    assert.equal(await source.getAttribute("href"), "https://example.org/page");
    assert.equal(await source.getAttribute("rel"), "noopener noreferrer");
    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned), undefined, "nothing the model wrote ran");
    await page.locator(".step .message-assistant .markdown h1").waitFor();
    await shoot(page, "markdown");

    // A compaction (as the context manager writes one) reads as what it is, with its text; an item
    // type the page has no drawing for shows its type and text, not nothing.
    const store = new SqliteRunStore(join(home.path, "ponder.db"));
    const compaction: Item = {
      type: "compaction",
      id: "cmp_test",
      tier: "summary",
      text: "Earlier the user asked for **Markdown**; the model answered 42.",
      tokens_before: 31_000,
      tokens_after: 4_200,
    };
    const future = { type: "future_kind", id: "fut_test", text: "Something *new*." };
    await store.appendItems(markdownId, 2, [compaction, future as unknown as Item]);
    await store.close();
    await page.reload();
    const summary = page.locator(".generic-item.item-compaction");
    assert.match((await summary.locator("summary").textContent()) ?? "", /earlier turns summarised 31k → 4.2k tokens/);
    assert.equal(await summary.locator(".markdown strong").textContent(), "Markdown");
    assert.equal(await page.locator(".generic-item.item-future_kind .markdown em").textContent(), "new");

    // Tool calls: input and output in view without a click; failures say how, in red.
    await startTask(page, server.url, "Please break some tools.");
    await waitForStatus(page, "completed");
    const python = page.locator(".tool-call", { has: page.locator("summary code", { hasText: /^python$/ }) });
    await python.locator(".preview-output", { hasText: "ZeroDivisionError" }).waitFor();
    assert.match((await python.locator(".preview-input").textContent()) ?? "", /total \/ 0/);
    assert.equal(await python.getAttribute("data-outcome"), "error");
    assert.match((await python.locator(".outcome").textContent()) ?? "", /raised ZeroDivisionError/);
    const unknown = page.locator(".tool-call", { has: page.locator("summary code", { hasText: /^no_such_tool$/ }) });
    assert.equal(await unknown.getAttribute("data-outcome"), "error");
    assert.match((await unknown.locator(".outcome").textContent()) ?? "", /failed: unknown tool/);
    assert.match((await unknown.locator(".preview-input").textContent()) ?? "", /anything/);
    assert.equal(await page.locator(".tool-call .outcome", { hasText: /^done$/ }).count(), 0, "no failed call reads done");
    // The plan the model wrote, as a checklist above the steps.
    const planCard = page.locator(".timeline > .plan-card");
    assert.match((await planCard.textContent()) ?? "", /1 of 3 done/);
    assert.equal(await planCard.locator(".plan-step-in_progress").textContent(), "▸Call a tool that does not exist");
    // Steps carry their time and tokens; expand all opens every call, collapse all closes them.
    // A step's tokens come with its usage, which may reach the page after the step itself.
    await page
      .locator(".step-heading", { hasText: "Step 1" })
      .filter({ hasText: /(\d+ ms|[\d.]+s) · \d+ tokens/ })
      .first()
      .waitFor();
    await page.getByRole("button", { name: "Expand all" }).click();
    // Two calls fold: python and the unknown tool (the plan call is its checklist).
    assert.equal(await page.locator(".tool-call details[open]").count(), 2);
    // The plan call where the model made it: one line, its checklist folded in.
    assert.match((await page.locator(".step .plan-update summary").textContent()) ?? "", /Plan updated 1 of 3 done · now: Call a tool/);
    assert.ok(await page.locator(".step .plan-update .plan-card").isVisible(), "expand all opens it too");
    assert.ok(await python.locator(".tool-output").isVisible());
    await shoot(page, "tool-calls-expanded");
    await page.getByRole("button", { name: "Collapse all" }).click();
    assert.equal(await page.locator(".tool-call details[open]").count(), 0);
    await shoot(page, "tool-calls");

    // A live run: the page follows each new step, until the reader scrolls up.
    await page.setViewportSize({ width: 1280, height: 800 });
    await startTask(page, server.url, "Please follow the steps.");
    await waitForStatus(page, "running");
    for (let step = 0; step < 3; step++) {
      follow.release(step);
      await page.locator(".step-heading", { hasText: `Step ${step + 1}` }).waitFor();
      await page.locator(".step .tool-call").nth(step).locator(".outcome", { hasText: "done" }).waitFor();
      await page.waitForFunction(atBottom, true);
    }
    assert.ok(
      await page.evaluate(() => (globalThis as unknown as ScrollingWindow).scrollY > 0),
      "the page scrolled down to the newest step",
    );
    await page.mouse.wheel(0, -600);
    await page.waitForFunction(atBottom, false);
    const scrollY = () => page.evaluate(() => (globalThis as unknown as ScrollingWindow).scrollY);
    const readingAt = await scrollY();
    await page.getByRole("button", { name: "↓ Newest step" }).waitFor();
    await page.screenshot({ path: join(shots, "live-scrolled-up-1280.png") });
    follow.release(3);
    await page.locator(".step-heading", { hasText: "Step 4" }).waitFor();
    assert.equal(await scrollY(), readingAt, "the reader's place is kept");
    assert.equal(await page.evaluate(atBottom, true), false);
    await page.getByRole("button", { name: "↓ Newest step" }).click();
    await page.waitForFunction(atBottom, true);
    for (let step = 4; step <= followSteps; step++) follow.release(step);
    await waitForStatus(page, "completed");
    await page.locator(".answer", { hasText: "All steps done." }).waitFor();

    // The form's budget, tool choice and file reach the run.
    await page.goto(`${server.url}/#/new`);
    await page.getByRole("textbox", { name: /^Task/ }).fill("Please use the form's options.");
    await page.getByRole("spinbutton", { name: /^Max steps/ }).fill("4");
    await page.getByRole("spinbutton", { name: /^Deadline/ }).fill("2");
    await page.getByRole("spinbutton", { name: /^Max cost/ }).fill("0.5");
    await page.getByRole("checkbox", { name: "python" }).uncheck();
    await page.locator("input[type=file]").setInputFiles({ name: "data.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n1,2\n") });
    await shoot(page, "new-task");
    await page.getByRole("button", { name: "Start" }).click();
    await page.waitForURL(/#\/runs\/[^/]+$/);
    await page.locator(".answer", { hasText: "I see data.csv." }).waitFor();
    const formRunId = decodeURIComponent(new URL(page.url()).hash.replace("#/runs/", ""));
    const formRun = (await (await fetch(`${server.url}/v1/runs/${formRunId}`)).json()) as { budget: Record<string, number> };
    assert.equal(formRun.budget.maxSteps, 4);
    assert.equal(formRun.budget.timeoutMs, 120_000);
    assert.equal(formRun.budget.maxCostUsd, 0.5);
    const formRequest = model.requests.findLast((request) => JSON.stringify(request.body).includes("use the form"));
    const offered = JSON.stringify(formRequest?.body.tools ?? []);
    assert.ok(!offered.includes('"python"') && offered.includes('"list_files"'), `python was left out: ${offered}`);
    assert.match((await page.locator(".run-header .usage").textContent()) ?? "", /Steps1 \/ 4/);

    // Waiting for approval on a phone: Approve and Deny in view without scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await startTask(page, server.url, "Please wait for my approval before you read a file, and take your time to explain in detail why.");
    await waitForStatus(page, "awaiting approval");
    for (const name of ["Approve", "Deny"]) {
      const box = await page.getByRole("button", { name }).boundingBox();
      assert.ok(box && box.y + box.height <= 844, `${name} is above the fold (${JSON.stringify(box)})`);
    }
    assert.equal(await page.locator(".answer").count(), 0, "no empty answer card while waiting");
    await page.screenshot({ path: join(shots, "approval-390.png") });
    await shoot(page, "approval");
    await page.getByRole("button", { name: "Approve" }).click();
    await waitForStatus(page, "completed");

    // Best-of-N: each sample's cell in the colour of its answer's cluster, the answer on hover.
    await startTask(page, server.url, "Tell me which number wins.", { label: "Best of N", samples: "3" });
    await waitForStatus(page, "completed");
    await page.locator(".children-grid .cell.clustered").nth(2).waitFor();
    const cells = await page.locator(".children-grid .cell").evaluateAll((elements) =>
      elements.map((element) => ({
        cluster: element.getAttribute("data-cluster"),
        title: element.getAttribute("title") ?? "",
        colour: element.getAttribute("style") ?? "",
      })),
    );
    const byCluster = new Map(cells.map((cell) => [cell.cluster, cell]));
    assert.deepEqual([...byCluster.keys()].sort(), ["0", "1"]);
    assert.notEqual(byCluster.get("0")?.colour, byCluster.get("1")?.colour, "two answers, two colours");
    assert.match(byCluster.get("0")?.title ?? "", /— 42$/);
    assert.match(byCluster.get("1")?.title ?? "", /— 41$/);
    for (const cell of cells) assert.equal(cell.colour, byCluster.get(cell.cluster)?.colour, "one colour per cluster");
    await shoot(page, "best-of");

    // A run whose server stopped mid-turn is paused; a new server resumes it from the button.
    const resumeId = await startTask(page, server.url, "Please resume me later.");
    await waitForStatus(page, "running");
    await server.close();
    server = await startPonderServer({ port: 0, host: "127.0.0.1", env, cwd: home.path });
    await page.goto(`${server.url}/#/runs/${resumeId}`);
    await waitForStatus(page, "paused");
    releaseFirstResume();
    await shoot(page, "paused");
    await page.getByRole("button", { name: "Resume" }).click();
    await waitForStatus(page, "completed");
    await page.locator(".answer", { hasText: "Resumed and done." }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Resume" }).count(), 0);
    await page.locator(".note-resumed").first().waitFor();

    await page.goto(`${server.url}/#/`);
    await page.locator(".run-list li").nth(6).waitFor();
    await shoot(page, "runs");
    assert.deepEqual(pageErrors, []);
  } finally {
    releaseFirstResume();
    for (let step = 0; step <= followSteps; step++) follow.release(step);
    await browser.close();
    await server.close();
    await model.close();
    home.remove();
  }
});

test("runs API for the form: tools, files and resume are checked, each refusal naming its field", async () => {
  const fixture = await startServerFixture(() => ({ text: "ok" }));
  try {
    const post = async (path: string, body: unknown) => {
      const response = await fixture.request("POST", path, { body });
      return {
        status: response.status,
        body: (await response.json()) as { error?: { param: string | null; code: string | null }; id?: string },
      };
    };
    const tools = (await (await fixture.request("GET", "/v1/tools")).json()) as { data: { name: string; default: boolean }[] };
    assert.ok(tools.data.some((tool) => tool.name === "python" && tool.default));
    const unknownTool = await post("/v1/runs", { input: "hi", tools: ["pythn"] });
    assert.deepEqual([unknownTool.status, unknownTool.body.error?.param], [400, "tools"]);
    const folderName = await post("/v1/runs", { input: "hi", files: [{ name: "../x.csv", data: "YQ==" }] });
    assert.deepEqual([folderName.status, folderName.body.error?.param], [400, "files.0.name"]);
    const notBase64 = await post("/v1/runs", { input: "hi", files: [{ name: "x.csv", data: "not base64!" }] });
    assert.deepEqual([notBase64.status, notBase64.body.error?.param], [400, "files.0.data"]);
    const withStrategy = await post("/v1/runs", { input: "hi", strategy: { type: "research" }, files: [{ name: "x.csv", data: "YQ==" }] });
    assert.deepEqual([withStrategy.status, withStrategy.body.error?.param], [400, "files"]);
    const run = await post("/v1/runs", { input: "hi", tools: [] });
    assert.equal(run.status, 201);
    const events = await fixture.request("GET", `/v1/runs/${run.body.id}/events`);
    await events.text();
    const resumed = await post(`/v1/runs/${run.body.id}/resume`, {});
    assert.deepEqual([resumed.status, resumed.body.error?.code], [409, "invalid_run_state"]);
  } finally {
    await fixture.close();
  }
});
