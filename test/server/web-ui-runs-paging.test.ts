import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Page } from "playwright-core";
import { launchTestChromium } from "../support/test-chromium.js";
import type { FakeTurn, RequestBody } from "../support/fake-openai-server.js";
import { eventually, startServerFixture, type ServerFixture } from "./server-fixture.js";

// The runs list pages through a history longer than a page (keyset pagination): the newest page
// first, "Load older" appends the next until there is none, a new run shows on top, the status
// filter pages the same way, and the polls only ever ask for the newest page. Real server, real
// runs (fake model over real HTTP), the system Chromium.
const screenshotFolder = join(tmpdir(), "ponder-web-ui-screenshots");
const pageSize = 50;
const plainRuns = 118;

type RunList = { data: { id: string }[]; has_more: boolean };

async function listedIds(fixture: ServerFixture, query: string): Promise<string[]> {
  const response = await fixture.request("GET", `/v1/runs?top_level=true&limit=1000${query}`);
  assert.equal(response.status, 200);
  const list = (await response.json()) as RunList;
  assert.equal(list.has_more, false);
  return list.data.map((run) => run.id);
}

async function startRun(fixture: ServerFixture, body: unknown): Promise<string> {
  const response = await fixture.request("POST", "/v1/runs", { body });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { id: string }).id;
}

/** The run ids of the list's rows, top to bottom. */
async function shownIds(page: Page): Promise<string[]> {
  const links = await page.locator(".run-list a.run-row").evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute("href")));
  return links.map((link) => decodeURIComponent(String(link).replace("#/runs/", "")));
}

/** Clicks "Load older" and waits until the list holds `rows` rows. */
async function loadOlder(page: Page, rows: number): Promise<void> {
  await page.getByRole("button", { name: "Load older" }).click();
  await page
    .locator(".run-list li")
    .nth(rows - 1)
    .waitFor();
}

test("web UI: the runs list pages with Load older, in order, without duplicates, and polls only the newest page", async () => {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const model = async (body: RequestBody): Promise<FakeTurn> => {
    if (JSON.stringify(body).includes("hold this one")) await held;
    return { text: "ok" };
  };
  const fixture = await startServerFixture(model);
  mkdirSync(screenshotFolder, { recursive: true });
  const browser = await launchTestChromium();
  try {
    // The oldest run is cancelled (the status filter leaves it out); a best-of run's samples are
    // children, never rows; then more plain runs than two pages.
    const cancelled = await startRun(fixture, { input: "hold this one" });
    assert.equal((await fixture.request("POST", `/v1/runs/${cancelled}/cancel`, { body: {} })).status, 200);
    await startRun(fixture, { input: "which number wins?", strategy: { type: "best_of_n", samples: 2 } });
    for (let index = 0; index < plainRuns; index++) await startRun(fixture, { input: `task number ${index}` });
    const topLevel = plainRuns + 2;
    await eventually(
      () => listedIds(fixture, "&status=completed"),
      (ids) => ids.length === topLevel - 1,
    );
    const everyRun = await listedIds(fixture, "");
    assert.equal(everyRun.length, topLevel);
    assert.equal(everyRun.at(-1), cancelled);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    const listRequests: URL[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/v1/runs") listRequests.push(url);
    });

    await page.goto(`${fixture.server.url}/#/`);
    const rows = page.locator(".run-list li");
    await rows.nth(pageSize - 1).waitFor();
    const loadOlderButton = page.getByRole("button", { name: "Load older" });
    await loadOlderButton.waitFor();
    assert.equal(await rows.count(), pageSize);
    await loadOlderButton.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotFolder, "runs-paging-1280.png") });

    await loadOlder(page, 2 * pageSize);
    assert.equal(await rows.count(), 2 * pageSize);
    await loadOlder(page, topLevel);
    await loadOlderButton.waitFor({ state: "detached" });
    const shown = await shownIds(page);
    assert.deepEqual(shown, everyRun, "every top-level run, newest first, once");
    assert.equal(new Set(shown).size, shown.length);
    await page.locator(".run-list li").last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotFolder, "runs-paging-end-1280.png") });

    // A new run shows on top at the next poll; the older pages stay below it, once each.
    const newest = await startRun(fixture, { input: "a run started after the list was loaded" });
    await page.locator(`.run-list li:first-child a[href="#/runs/${newest}"]`).waitFor();
    assert.deepEqual(await shownIds(page), [newest, ...everyRun]);
    assert.equal(await loadOlderButton.count(), 0, "still the whole history: nothing older to load");

    // Polls ask for the newest page only; `after` was sent once per click.
    assert.ok(listRequests.length > 3);
    for (const url of listRequests) assert.equal(url.searchParams.get("limit"), String(pageSize), url.search);
    assert.deepEqual(
      listRequests.filter((url) => url.searchParams.has("after")).map((url) => url.searchParams.get("after")),
      [everyRun[pageSize - 1], everyRun[2 * pageSize - 1]],
    );

    // The status filter pages the same way, over the runs it matches.
    await eventually(
      () => listedIds(fixture, "&status=completed"),
      (ids) => ids[0] === newest,
    );
    const filtered = page.waitForResponse((response) => new URL(response.url()).searchParams.get("status") === "completed");
    await page.getByRole("combobox", { name: /^Status/ }).selectOption("completed");
    await filtered;
    await rows.nth(pageSize - 1).waitFor();
    await loadOlderButton.waitFor();
    assert.equal(await rows.count(), pageSize, "the filter starts over from its newest page");
    await loadOlder(page, 2 * pageSize);
    await loadOlder(page, topLevel);
    await loadOlderButton.waitFor({ state: "detached" });
    const completed = await listedIds(fixture, "&status=completed");
    assert.deepEqual(await shownIds(page), completed);
    assert.ok(!completed.includes(cancelled));

    // A phone: the first page and its button, no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${fixture.server.url}/#/new`);
    await page.goto(`${fixture.server.url}/#/`);
    await rows.nth(pageSize - 1).waitFor();
    await loadOlderButton.scrollIntoViewIfNeeded();
    assert.ok((await page.evaluate<number>("document.documentElement.scrollWidth")) <= 390, "no sideways scrolling on a phone");
    await page.screenshot({ path: join(screenshotFolder, "runs-paging-390.png") });

    // Runs that come in between two polls: the next poll is held back until they are all in
    // (polls run one at a time, so none answers in between).
    let heldPoll: { arrived: () => void; released: Promise<void> } | undefined;
    await page.route(
      (url) => url.pathname === "/v1/runs" && !url.searchParams.has("after"),
      async (route) => {
        const gate = heldPoll;
        if (gate) {
          gate.arrived();
          await gate.released;
        }
        await route.continue();
      },
    );
    const startBetweenTwoPolls = async (count: number, label: string): Promise<void> => {
      let arrived: () => void = () => undefined;
      const hasArrived = new Promise<void>((resolve) => (arrived = resolve));
      let release: () => void = () => undefined;
      heldPoll = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
      await hasArrived;
      heldPoll = undefined;
      let latest = "";
      try {
        for (let index = 0; index < count; index++) latest = await startRun(fixture, { input: `${label} ${index}` });
      } finally {
        release();
      }
      await page.locator(`.run-list li:first-child a[href="#/runs/${latest}"]`).waitFor();
    };

    // Less than a page at a time, more than a page in all: each poll reaches the runs shown
    // before, so every run that slid off the newest page stays, and the older pages with them.
    await loadOlder(page, 2 * pageSize);
    await startBetweenTwoPolls(30, "steady task");
    await startBetweenTwoPolls(30, "steady task, more");
    const afterSteady = await listedIds(fixture, "");
    assert.deepEqual(await shownIds(page), afterSteady.slice(0, 2 * pageSize + 60));

    // More than a page at once: that poll's page does not reach the runs shown before, so keeping
    // them would leave a gap under it. The list starts over from that page, and Load older walks
    // down without a hole.
    await startBetweenTwoPolls(pageSize + 10, "burst task");
    assert.equal(await rows.count(), pageSize, "the older pages under the gap were let go");
    const afterBurst = await listedIds(fixture, "");
    for (let shown = pageSize; shown < afterBurst.length; shown += pageSize) {
      await loadOlder(page, Math.min(shown + pageSize, afterBurst.length));
    }
    await loadOlderButton.waitFor({ state: "detached" });
    assert.deepEqual(await shownIds(page), afterBurst);
    assert.deepEqual(pageErrors, []);
  } finally {
    release();
    await browser.close();
    await fixture.close();
  }
});
