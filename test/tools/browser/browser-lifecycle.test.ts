import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ToolError, ToolInfraError } from "../../../src/core/errors.js";
import {
  BrowserSession,
  browserResource,
  createBrowserTools,
  findChromiumExecutable,
  resolveBrowserSettings,
} from "../../../src/tools/browser/index.js";
import type { RunResources } from "../../../src/tools/run-resources.js";
import { browserTestContext, callTool, chromiumChildren, eventually, processExists, textOf } from "./browser-test-context.js";
import { startTestSite, type TestSite } from "./browser-test-site.js";

// The browser's life in a run: closed with the run, replaced after a crash, stopped on cancel.
let site: TestSite;
before(async () => {
  site = await startTestSite();
});
after(async () => {
  await site.close();
});

const tools = createBrowserTools();

/** The Chromium process of a run's browser (started by an earlier call). */
async function browserProcessOf(resources: RunResources): Promise<number> {
  const session = await resources.get<BrowserSession>(browserResource, () => {
    throw new Error("no browser was started");
  });
  assert.ok(session.processId, "the browser's process id is known");
  return session.processId;
}

test("closing the run's resources ends the Chromium process", async () => {
  const { context, resources, remove } = browserTestContext();
  try {
    await callTool(tools, "browser_open", { url: `${site.baseURL}/` }, context);
    const processId = await browserProcessOf(resources);
    assert.ok(processExists(processId));
    await resources.closeAll();
    await eventually(() => !processExists(processId), "Chromium to exit");
  } finally {
    await resources.closeAll();
    remove();
  }
});

test("a killed browser is replaced on the next call, which says the page state was lost", async () => {
  const { context, resources, remove } = browserTestContext();
  try {
    await callTool(tools, "browser_open", { url: `${site.baseURL}/form` }, context);
    const first = await browserProcessOf(resources);
    process.kill(first, "SIGKILL");
    await eventually(() => !processExists(first), "Chromium to die");
    // Two calls at once: one fresh browser is started for both, and told about once.
    const outputs = await Promise.all([
      callTool(tools, "browser_open", { url: `${site.baseURL}/info` }, context),
      callTool(tools, "browser_open", { url: `${site.baseURL}/` }, context),
    ]);
    const texts = outputs.map(textOf);
    assert.match(texts[0] ?? "", /^The browser had stopped \(it crashed or was killed\), so a fresh one was started/);
    assert.match(texts[0] ?? "", /The secret number is 4417\./);
    assert.match(texts[1] ?? "", /^Opened [^]*Title: Ponder Test Home/);
    const second = await browserProcessOf(resources);
    assert.notEqual(second, first);
    assert.equal(chromiumChildren().length, 1, "only one fresh browser was started");
  } finally {
    await resources.closeAll();
    remove();
  }
});

test("aborting mid-navigation stops the load at once, and the next call works and says the tab was reset", async () => {
  const { context, resources, remove } = browserTestContext();
  try {
    const controller = new AbortController();
    const opening = callTool(tools, "browser_open", { url: `${site.baseURL}/slow` }, { ...context, signal: controller.signal });
    await eventually(() => site.slowRequests.length === 1, "the slow page to be requested");
    controller.abort();
    await assert.rejects(opening, (error: unknown) => error instanceof Error && /AbortError|CancelledError/.test(error.name));
    // The slow page never answers: the browser hung up because the load was really stopped.
    await eventually(() => site.slowRequests[0]?.closed === true, "the browser to drop the slow request");

    const output = await callTool(tools, "browser_open", { url: `${site.baseURL}/info` }, context);
    assert.match(textOf(output), /^The previous browser action was stopped before it finished, so its tab was closed/);
    assert.match(textOf(output), /Title: Info page/);
  } finally {
    await resources.closeAll();
    remove();
  }
});

test("a page slower than the navigation timeout gives a clear timeout message", async () => {
  const { context, resources, remove } = browserTestContext();
  try {
    const impatient = createBrowserTools({ navigationTimeoutMs: 1_000 });
    await assert.rejects(callTool(impatient, "browser_open", { url: `${site.baseURL}/slow` }, context), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.match(error.message, /did not load within 1 s\. The site may be slow or down/);
      return true;
    });
  } finally {
    await resources.closeAll();
    remove();
  }
});

test("a page stuck in a script loop gives a clear message, and its tab is replaced", async () => {
  const { context, resources, remove } = browserTestContext();
  try {
    // Long enough for the click itself to land on a loaded machine: at 1 s it once timed out
    // before the button was pressed, so the page was not stuck yet when it was looked at.
    const impatient = createBrowserTools({ actionTimeoutMs: 5_000 });
    await callTool(impatient, "browser_open", { url: `${site.baseURL}/stuck` }, context);
    await assert.rejects(callTool(impatient, "browser_click", { target: "Freeze" }, context), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      // Found by the click's own wait or by the look at the page after it, whose limit is shorter.
      assert.match(error.message, /^The page did not respond within \d s \(a script on it may be stuck\), so its tab was closed/);
      return true;
    });
    assert.match(
      textOf(await callTool(impatient, "browser_open", { url: `${site.baseURL}/info` }, context)),
      /^Opened [^\n]*\nSource id: \[src_\w+\][^\n]*\n\n<untrusted_content[^]*Title: Info page/,
    );
  } finally {
    await resources.closeAll();
    remove();
  }
});

test("a missing Chromium is an infrastructure error that says how to fix it", async () => {
  assert.throws(
    () => findChromiumExecutable("/nonexistent/chromium"),
    (error: unknown) => {
      assert.ok(error instanceof ToolInfraError);
      assert.match(error.message, /\/nonexistent\/chromium does not exist or cannot be run/);
      assert.match(error.message, /browser\.executablePath/);
      return true;
    },
  );
  assert.throws(
    () => findChromiumExecutable(undefined, ["/nonexistent/chromium"]),
    /No Chromium was found \(looked at \/nonexistent\/chromium\)\. Install it with `sudo apt-get install chromium`/,
  );
  assert.equal(findChromiumExecutable(), "/usr/lib/chromium/chromium");
  const { context, resources, remove } = browserTestContext();
  try {
    const broken = createBrowserTools({ executablePath: "/nonexistent/chromium" });
    await assert.rejects(callTool(broken, "browser_open", { url: `${site.baseURL}/` }, context), ToolInfraError);
  } finally {
    await resources.closeAll();
    remove();
  }
  await assert.rejects(BrowserSession.launch(resolveBrowserSettings({ executablePath: "/bin/true" })), (error: unknown) => {
    assert.ok(error instanceof ToolInfraError);
    assert.match(error.message, /^Chromium \(\/bin\/true\) failed to start/);
    return true;
  });
});
