// The run's browser, kept in the run's resources and closed when the run ends. It holds one
// tab; actions on it run one at a time (the model may call several browser tools in parallel),
// and an aborted action closes the tab so Chromium stops loading at once. A crashed tab or
// browser is replaced inside the queue, so parallel calls never start two, and the model is
// told that its page state is gone.
import type { Page } from "playwright-core";
import { errorMessage, ToolError, ToolInfraError } from "../../core/errors.js";
import type { RunResource } from "../run-resources.js";
import { abortable, abortReasonOf } from "./abortable.js";
import type { ResolvedBrowserSettings } from "./browser-settings.js";
import { firstLine, launchChromium, type RunningChromium } from "./launch-chromium.js";
import { PageUnresponsiveError } from "./read-page.js";
import { logged, logger } from "../../logging/logger.js";

const log = logger("tools.browser");

/** The RunResources key of a run's browser. */
export const browserResource = "browser";

/** Chromium exited (crashed or killed) before or during an action. */
class BrowserStoppedError extends ToolInfraError {}

const restartNote =
  "The browser had stopped (it crashed or was killed), so a fresh one was started: the page you had open, its form input and cookies are gone.";
const stoppedNote = "The previous browser action was stopped before it finished, so its tab was closed: open the page again.";
const crashNote = "The tab crashed (the page may be too heavy, or hit a browser bug), so a fresh tab was opened: open the page again.";

export class BrowserSession implements RunResource {
  private page: Page | undefined;
  /** Why the tab the model knew is gone; told on its next call. */
  private lostPageNote: string | undefined;
  private crashedPages = new WeakSet<Page>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly settings: ResolvedBrowserSettings,
    private chromium: RunningChromium,
  ) {}

  /** Starts Chromium, so a machine without it fails on the first call with the fix. */
  static async launch(settings: ResolvedBrowserSettings): Promise<BrowserSession> {
    return new BrowserSession(settings, await launchChromium(settings));
  }

  /** The current Chromium's main process. */
  get processId(): number | undefined {
    return this.chromium.processId;
  }

  /**
   * Runs one action on the tab, after the actions before it. `notes` collects what the model
   * must know about the session itself (a tab or browser lost since its last call).
   */
  async run<T>(signal: AbortSignal, action: (page: Page, notes: string[]) => Promise<T>): Promise<T> {
    const previous = this.queue;
    let release = () => {};
    const finished = new Promise<void>((resolve) => (release = resolve));
    // The next action waits for both this one and every one before it, even if this one is aborted while queued.
    this.queue = previous.then(() => finished);
    try {
      await abortable(previous, signal);
      const notes: string[] = [];
      for (let attempt = 1; ; attempt++) {
        if (!this.chromium.browser.isConnected()) await this.restart(notes);
        try {
          return await this.attempt(signal, action, notes);
        } catch (error) {
          // Chromium's exit is noticed a moment late, so an action can find it dead: it is tried
          // once more on a fresh browser, whose blank tab cannot repeat a click or a sent form.
          if (!(error instanceof BrowserStoppedError) || attempt > 1) throw error;
        }
      }
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chromium.close();
  }

  private async attempt<T>(signal: AbortSignal, action: (page: Page, notes: string[]) => Promise<T>, notes: string[]): Promise<T> {
    let page: Page | undefined;
    const stop = () => {
      if (page) this.abandonPage(page, stoppedNote);
    };
    try {
      if (signal.aborted) throw abortReasonOf(signal);
      page = await this.currentPage(notes);
      signal.addEventListener("abort", stop, { once: true });
      return await abortable(action(page, notes), signal);
    } catch (error) {
      throw this.explain(error, page, signal);
    } finally {
      signal.removeEventListener("abort", stop);
    }
  }

  private async restart(notes: string[]): Promise<void> {
    // A call that was already running when the run ended must not start a browser nobody closes.
    if (this.closed) throw new ToolInfraError("The run has ended, so its browser is closed.");
    this.page = undefined;
    this.lostPageNote = undefined;
    await this.chromium.close();
    this.chromium = await launchChromium(this.settings);
    notes.push(restartNote);
  }

  private async currentPage(notes: string[]): Promise<Page> {
    if (this.lostPageNote) notes.push(this.lostPageNote);
    this.lostPageNote = undefined;
    if (this.page && !this.page.isClosed()) return this.page;
    const page = await this.chromium.context.newPage();
    page.setDefaultTimeout(this.settings.actionTimeoutMs);
    page.setDefaultNavigationTimeout(this.settings.navigationTimeoutMs);
    page.on("crash", () => {
      this.crashedPages.add(page);
      this.abandonPage(page, crashNote);
    });
    this.page = page;
    return page;
  }

  /** Closes a tab that can no longer be used; `note` tells the next call why, when this one cannot. */
  private abandonPage(page: Page, note?: string): void {
    if (this.page !== page) return;
    this.page = undefined;
    this.lostPageNote = note;
    page.close().catch(logged(log, "debug", "closing an abandoned page failed"));
  }

  private explain(error: unknown, page: Page | undefined, signal: AbortSignal): unknown {
    if (signal.aborted) return abortReasonOf(signal);
    if (!this.chromium.browser.isConnected()) {
      return new BrowserStoppedError(
        "Chromium stopped during this action (it crashed or was killed). The next browser call starts a fresh browser; the open page, its form input and cookies are lost.",
        error,
      );
    }
    if (page && error instanceof PageUnresponsiveError) this.abandonPage(page);
    if (page && this.crashedPages.has(page)) {
      this.lostPageNote = undefined;
      return new ToolError(
        "The tab crashed during this action (the page may be too heavy, or hit a browser bug). The next browser call opens a fresh tab: open the page again.",
      );
    }
    if (error instanceof ToolError || error instanceof ToolInfraError) return error;
    if (error instanceof Error && error.name === "TimeoutError") {
      return new ToolError(`The browser action did not finish in time: ${firstLine(error.message)}`);
    }
    return new ToolError(`The browser could not do that: ${firstLine(errorMessage(error))}`);
  }
}
