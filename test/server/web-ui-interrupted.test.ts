import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchTestChromium } from "../support/test-chromium.js";
import { startPonderServer } from "../../src/server/ponder-server.js";
import { startFakeOpenAIServer, type FakeTurn } from "../support/fake-openai-server.js";
import { spawnCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

// A run whose process died: `ponder ask` is killed while its model call is out. The web UI (on
// `ponder serve` over the same home) shows it "interrupted", never "running", in the list and on
// its page, with Resume; Resume continues it in the server, and the model answers this time.

const shots = process.env.PONDER_UI_SHOTS ?? "/tmp/ui-shots";

test("web UI: a run whose process died reads interrupted, and Resume finishes it", async () => {
  mkdirSync(shots, { recursive: true });
  let modelAsked: () => void = () => undefined;
  const firstCall = new Promise<void>((resolve) => (modelAsked = resolve));
  let releaseFirst: () => void = () => undefined;
  const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  let calls = 0;
  const model = await startFakeOpenAIServer(async (): Promise<FakeTurn> => {
    calls += 1;
    if (calls === 1) {
      modelAsked();
      await firstHeld;
      return { text: "too late" };
    }
    return { text: "Back after the crash." };
  });
  const home = temporaryHome();
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: model.baseURL, PONDER_MODEL: "openai:gpt-5-mini" };
  const server = await startPonderServer({ port: 0, host: "127.0.0.1", env, cwd: home.path });
  const browser = await launchTestChromium();
  try {
    const child = spawnCli(["ask", "--effort", "low", "Please survive a crash."], env);
    await firstCall;
    child.kill("SIGKILL");
    await once(child, "close");

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(30_000);
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    const row = page.locator(".run-list li", { hasText: "Please survive a crash." });
    assert.equal(await row.locator(".status").textContent(), "interrupted");
    await row.locator("a").click();
    await page.locator(".run-status-line .status", { hasText: /^interrupted$/ }).waitFor();
    await page.getByText("The process advancing this run stopped").waitFor();
    assert.equal(await page.getByRole("textbox", { name: /^Steer:/ }).count(), 0, "no steering a run nobody advances");
    await page.screenshot({ path: join(shots, "interrupted-390.png"), fullPage: true });
    await page.getByRole("button", { name: "Resume" }).click();
    await page.locator(".run-status-line .status", { hasText: /^completed$/ }).waitFor();
    await page.locator(".answer", { hasText: "Back after the crash." }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Resume" }).count(), 0);
    assert.deepEqual(pageErrors, []);
  } finally {
    releaseFirst();
    await browser.close();
    await server.close();
    await model.close();
    home.remove();
  }
});
