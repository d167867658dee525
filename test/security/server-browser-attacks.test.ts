import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type Page, type Response } from "playwright-core";
import { launchTestChromium } from "../support/test-chromium.js";
import { startServerFixture, type ServerFixture } from "../server/server-fixture.js";

// The system Chromium against `ponder serve`: a page of another local origin tries every request a
// page can send without asking (no-cors fetch, forms), a rebound name tries to read runs, and the
// web UI, served by Ponder itself, still creates and cancels runs.

async function launchBrowser(): Promise<Browser> {
  return launchTestChromium(["--host-resolver-rules=MAP evil.example 127.0.0.1"]);
}

/** The attacker's site: any page on another origin of this machine (here, another port). */
async function startAttackerSite(): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end("<!doctype html><title>A page the user happens to visit</title><p>Nothing to see.</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

type RunJson = { id: string; status: string };

async function runsOf(fixture: ServerFixture): Promise<RunJson[]> {
  return ((await (await fixture.request("GET", "/v1/runs")).json()) as { data: RunJson[] }).data;
}

/** The answer Ponder gave to the next request the page makes to `path` (opaque to the page itself). */
function answerTo(page: Page, serverUrl: string, path: string): Promise<Response> {
  return page.waitForResponse((response) => response.url() === `${serverUrl}${path}` && response.request().method() === "POST");
}

/** Submits a form the page builds, as a page's own script would; resolves with Ponder's answer. */
async function submitForm(page: Page, serverUrl: string, path: string, enctype: string, name: string, value: string): Promise<number> {
  const answer = answerTo(page, serverUrl, path);
  const fields = JSON.stringify({ action: `${serverUrl}${path}`, enctype, name, value });
  // A string, since this runs in the page: the test's TypeScript knows no DOM.
  await page.evaluate(`(() => {
    const { action, enctype, name, value } = ${fields};
    const form = Object.assign(document.createElement("form"), { method: "POST", action, enctype });
    form.append(Object.assign(document.createElement("input"), { name, value }));
    document.body.append(form);
    form.submit();
  })()`);
  const status = (await answer).status();
  // The form navigates to Ponder's answer; the next step starts from a settled page.
  await page.waitForURL(`${serverUrl}${path}`);
  return status;
}

test("a page of another local origin cannot start, cancel or read runs; a rebound name gets 421", async () => {
  const fixture = await startServerFixture((body) =>
    JSON.stringify(body).includes("long task") ? { delayMs: 60_000, text: "never" } : { text: "ok" },
  );
  const attacker = await startAttackerSite();
  const browser = await launchBrowser();
  const serverUrl = fixture.server.url;
  try {
    const victim = (await (await fixture.request("POST", "/v1/runs", { body: { input: "A long task of the user's." } })).json()) as RunJson;
    const page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(attacker.url);

    // The classic: JSON text as text/plain in a no-cors fetch (no preflight; the answer is opaque).
    const plain = answerTo(page, serverUrl, "/v1/runs");
    await page.evaluate(
      (url) =>
        fetch(`${url}/v1/runs`, {
          method: "POST",
          mode: "no-cors",
          headers: { "content-type": "text/plain" },
          body: JSON.stringify({ input: "Mine the user's credits." }),
        }),
      serverUrl,
    );
    assert.equal((await plain).status(), 403);

    const cancel = answerTo(page, serverUrl, `/v1/runs/${victim.id}/cancel`);
    await page.evaluate((url) => fetch(url, { method: "POST", mode: "no-cors" }), `${serverUrl}/v1/runs/${victim.id}/cancel`);
    assert.equal((await cancel).status(), 403, "a body-less action from a page carries its Origin");

    // A JSON request needs a preflight, which is refused, so the browser never sends it.
    const preflighted = await page.evaluate(
      (url) =>
        fetch(`${url}/v1/runs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ input: "x" }),
        }).then(
          () => "sent",
          (error: Error) => error.name,
        ),
      serverUrl,
    );
    assert.equal(preflighted, "TypeError");
    const readResult = await page.evaluate(
      (url) =>
        fetch(`${url}/v1/runs`).then(
          (response) => response.text(),
          (error: Error) => error.name,
        ),
      serverUrl,
    );
    assert.equal(readResult, "TypeError", "the page reads nothing");

    // Forms: text/plain (a JSON body smuggled into a field name) and url-encoded.
    assert.equal(await submitForm(page, serverUrl, "/v1/runs", "text/plain", '{"input":"From a form.","x":"', '"}'), 403);
    await page.goto(attacker.url);
    assert.equal(await submitForm(page, serverUrl, "/v1/runs", "application/x-www-form-urlencoded", "input", "From a form."), 403);
    await page.goto(attacker.url);
    assert.equal(await submitForm(page, serverUrl, `/v1/runs/${victim.id}/cancel`, "application/x-www-form-urlencoded", "x", "y"), 403);

    // DNS rebinding: evil.example now resolves to 127.0.0.1, so the page would be same-origin with Ponder.
    const port = new URL(serverUrl).port;
    for (const path of ["/", "/v1/runs", `/v1/runs/${victim.id}`]) {
      const rebound = await page.goto(`http://evil.example:${port}${path}`);
      assert.equal(rebound?.status(), 421, path);
      assert.doesNotMatch((await rebound?.text()) ?? "", /long task/);
    }
    const reboundPost = await page.evaluate(
      (url) =>
        fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ input: "Rebound." }) }).then(
          (response) => response.status,
        ),
      `http://evil.example:${port}/v1/runs`,
    );
    assert.equal(reboundPost, 421);

    const runs = await runsOf(fixture);
    assert.deepEqual(
      runs.map((run) => [run.id, run.status]),
      [[victim.id, "running"]],
      "no run was created and the user's run was not cancelled",
    );
  } finally {
    await browser.close();
    await new Promise((resolve) => attacker.server.close(resolve));
    await fixture.close();
  }
});

test("the web UI, served by Ponder, still starts and cancels runs (by 127.0.0.1 and by localhost)", async () => {
  const fixture = await startServerFixture((body) =>
    JSON.stringify(body).includes("slow question") ? { delayMs: 60_000, text: "never" } : { text: "The UI works." },
  );
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    const refused: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) refused.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    });
    for (const base of [fixture.server.url, fixture.server.url.replace("127.0.0.1", "localhost")]) {
      await page.goto(base);
      await page.getByRole("link", { name: "New task" }).click();
      await page.getByRole("textbox", { name: /^Task/ }).fill(`A quick question via ${base}`);
      await page.getByRole("button", { name: "Start" }).click();
      await page.waitForURL(/#\/runs\/[^/]+$/);
      await page.getByText("The UI works.").first().waitFor();
    }
    await page.getByRole("link", { name: "New task" }).click();
    await page.getByRole("textbox", { name: /^Task/ }).fill("A slow question to cancel.");
    await page.getByRole("button", { name: "Start" }).click();
    await page.waitForURL(/#\/runs\/[^/]+$/);
    await page.locator(".run-status-line .status", { hasText: /^running$/ }).waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.locator(".run-status-line .status", { hasText: /^cancelled$/ }).waitFor();
    const shot = join(tmpdir(), "ponder-server-trust-cancelled.png");
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);

    assert.deepEqual(refused, [], "the UI's own requests are all accepted");
    const statuses = (await runsOf(fixture)).map((run) => run.status).sort();
    assert.deepEqual(statuses, ["cancelled", "completed", "completed"]);
  } finally {
    await browser.close();
    await fixture.close();
  }
});
