// What every browser tool does around its action: get the run's browser (started on first use),
// run the action on its tab, read the page, and answer with what happened plus the page as
// text. Page content is untrusted and reaches the model wrapped; Ponder's own sentences
// (what happened, how to go on) stay outside the wrapper. A page newly loaded becomes a source.
import { STATUS_CODES } from "node:http";
import type { Page, Response } from "playwright-core";
import { ToolError } from "../../core/errors.js";
import type { ContentPart } from "../../core/items.js";
import { sourceIdOf } from "../sources.js";
import type { ToolArtifact, ToolContext, ToolOutput, ToolSource } from "../tool.js";
import { wrapUntrusted } from "../untrusted-content.js";
import { abortable } from "./abortable.js";
import { BrowserSession, browserResource } from "./browser-session.js";
import type { ResolvedBrowserSettings } from "./browser-settings.js";
import type { PageSnapshot } from "./page-snapshot-script.js";
import { ElementNotFoundError } from "./element-target.js";
import { formatPageView, fullTextOf } from "./page-view.js";
import { PageUnresponsiveError, readPage } from "./read-page.js";

/** What an action reports besides the page it leaves behind. */
export type ActionReport = {
  /** One sentence in Ponder's words, never the page's: "Clicked [3] link." */
  summary: string;
  /** The document response, when the action opened an address. */
  response?: Response | null;
  /** Shown after the page view: a screenshot. */
  images?: ContentPart[];
  artifacts?: ToolArtifact[];
};

export type BrowserAction = (page: Page, settings: ResolvedBrowserSettings) => Promise<ActionReport>;

const nextSteps =
  'Next: browser_click {"target": "<number or visible text>"}, browser_type {"field": "<number or label>", "text": "...", "submit": true}, ' +
  "browser_scroll, browser_screenshot, or browser_open another address.";

export async function runBrowserCall(context: ToolContext, settings: ResolvedBrowserSettings, action: BrowserAction): Promise<ToolOutput> {
  const session = await abortable(
    context.resources.get(browserResource, () => BrowserSession.launch(settings)),
    context.signal,
  );
  const outcome = await session.run(context.signal, async (page, notes) => {
    const before = page.url();
    try {
      const report = await action(page, settings);
      return { report, before, snapshot: await readPage(page, settings.actionTimeoutMs), notes };
    } catch (error) {
      // The session closes an unresponsive tab by this error's class, so it passes unchanged.
      if (!(error instanceof ToolError) || error instanceof PageUnresponsiveError) throw error;
      // The model named something that is not there: it also gets the page as it is now, to choose again.
      const view = error instanceof ElementNotFoundError && !page.isClosed() ? `\n\n${await currentView(page, settings)}` : "";
      throw new ToolError([...notes, error.message].join("\n") + view);
    }
  });
  const { report, before, snapshot, notes } = outcome;
  const view = wrapUntrusted(formatPageView(snapshot, settings), snapshot.url);
  const status = report.response?.status();
  if (status !== undefined && status >= 400) {
    throw new ToolError(
      `${[...notes, report.summary].join("\n")} The server answered HTTP ${status}${statusNameOf(status)}: ${statusMeaning(status)}\n\n${view}`,
    );
  }
  const loaded =
    (report.response !== undefined || withoutFragment(before) !== withoutFragment(snapshot.url)) && snapshot.url !== "about:blank";
  const source = loaded ? sourceOf(snapshot, report.response) : undefined;
  const citation = source ? [`Source id: [${source.sourceId}] (cite it for what this page says).`] : [];
  const text = [...notes, report.summary, ...citation, "", view, nextSteps].join("\n");
  return {
    content: report.images ? [{ type: "input_text", text }, ...report.images] : text,
    ...(report.artifacts ? { artifacts: report.artifacts } : {}),
    ...(source ? { sources: [source] } : {}),
  };
}

async function currentView(page: Page, settings: ResolvedBrowserSettings): Promise<string> {
  try {
    const snapshot = await readPage(page, settings.actionTimeoutMs);
    return `The page now:\n${wrapUntrusted(formatPageView(snapshot, settings), snapshot.url)}`;
  } catch {
    return "(The current page could not be read.)";
  }
}

function sourceOf(snapshot: PageSnapshot, response: Response | null | undefined): ToolSource {
  const contentType = response?.headers()["content-type"]?.split(";")[0]?.trim();
  return {
    sourceId: sourceIdOf(snapshot.url),
    url: snapshot.url,
    title: snapshot.title || snapshot.url,
    mediaType: contentType || "text/html",
    text: fullTextOf(snapshot),
  };
}

function withoutFragment(url: string): string {
  const hash = url.indexOf("#");
  return hash === -1 ? url : url.slice(0, hash);
}

/** The standard name of a status, not the server's own reason text (which the site controls). */
function statusNameOf(status: number): string {
  const name = STATUS_CODES[status];
  return name ? ` ${name}` : "";
}

function statusMeaning(status: number): string {
  if (status === 404 || status === 410)
    return "this page does not exist. Check the address, or go to the site's home page and follow its links or search.";
  if (status === 401 || status === 403) return "the site refuses access without a login or permission. Try another source.";
  if (status === 429) return "the site is limiting requests. Wait before trying it again, or use another source.";
  if (status >= 500) return "the server failed. Try again later, or use another source.";
  return "the request was refused. Check the address.";
}
