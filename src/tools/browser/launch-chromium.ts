// Starts the system Chromium, headless, with one browser context set up for the model: the
// configured viewport, no downloads, no service workers, and every link in the same tab.
import type { Browser, BrowserContext } from "playwright-core";
import { errorMessage, ToolInfraError } from "../../core/errors.js";
import { launchTimeoutMs, type ResolvedBrowserSettings } from "./browser-settings.js";
import { findChromiumExecutable } from "./chromium-executable.js";
import { logged, logger } from "../../logging/logger.js";

const log = logger("tools.browser");

export type RunningChromium = {
  browser: Browser;
  context: BrowserContext;
  /** Chromium's main process, to kill it if a graceful close hangs (and for tests to watch). */
  processId: number | undefined;
  /** Closes the browser; kills it when it does not close within a few seconds. */
  close(): Promise<void>;
};

// Without the background-networking flags Chromium keeps calling home, which floods a closed
// network; Playwright adds --headless, --no-sandbox (chromiumSandbox: false) and a fresh profile.
const launchArguments = [
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

// Links and forms that would open a new tab open in the same one, and window.open navigates it:
// the model drives one tab and must see where its click led.
const sameTabScript = `(() => {
  const sameTab = (event) => {
    const owner = event.target && event.target.closest ? event.target.closest("a[target], form[target]") : null;
    if (owner) owner.setAttribute("target", "_self");
  };
  document.addEventListener("click", sameTab, true);
  document.addEventListener("submit", sameTab, true);
  window.open = (url) => { if (url) location.href = String(url); return window; };
})();`;

const closeTimeoutMs = 5_000;

export async function launchChromium(settings: ResolvedBrowserSettings): Promise<RunningChromium> {
  const executablePath = findChromiumExecutable(settings.executablePath);
  let browser: Browser;
  try {
    // Loaded on first use: playwright-core takes a third of a second to import.
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath,
      headless: true,
      chromiumSandbox: false,
      args: launchArguments,
      timeout: launchTimeoutMs,
      // The run's cancel closes the browser; Playwright's own signal handlers would exit the process.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    throw new ToolInfraError(`Chromium (${executablePath}) failed to start: ${firstLine(errorMessage(error))}`, error);
  }
  try {
    const context = await browser.newContext({
      viewport: { width: settings.viewportWidth, height: settings.viewportHeight },
      acceptDownloads: false,
      serviceWorkers: "block",
    });
    await context.addInitScript({ content: sameTabScript });
    const processId = await browserProcessId(browser);
    return { browser, context, processId, close: () => closeBrowser(browser, processId) };
  } catch (error) {
    await browser.close().catch(logged(log, "warn", "closing a Chromium that could not open a tab failed"));
    throw new ToolInfraError(`Chromium started but could not open a tab: ${firstLine(errorMessage(error))}`, error);
  }
}

/** The first line of a Playwright message, without its "Call log" and the "page.goto:" prefix. */
export function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/^[a-zA-Z]+\.[a-zA-Z]+: /, "").trim();
}

async function closeBrowser(browser: Browser, processId: number | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), closeTimeoutMs)));
  const closed = browser.close().then(
    () => false,
    () => false,
  );
  const hung = await Promise.race([closed, timedOut]);
  clearTimeout(timer);
  if (!hung || processId === undefined) return;
  try {
    // Playwright starts Chromium as the leader of its own process group: this ends its helpers too.
    process.kill(-processId, "SIGKILL");
  } catch {
    // Already gone.
  }
}

async function browserProcessId(browser: Browser): Promise<number | undefined> {
  const session = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await session.send("SystemInfo.getProcessInfo")) as { processInfo: { type: string; id: number }[] };
    return processInfo.find((entry) => entry.type === "browser")?.id;
  } finally {
    await session.detach().catch(logged(log, "debug", "detaching the DevTools session failed"));
  }
}
