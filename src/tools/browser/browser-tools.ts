// The browser as five small tools rather than one tool with an `action` union: each has one to
// three flat arguments and its name says what it does, which small models call far more
// reliably than a discriminated union (whose JSON Schema becomes an anyOf that several
// OpenAI-compatible servers and grammar-constrained local models handle poorly). It also lets
// a policy treat them apart (allow screenshots, ask before typing). They share one browser.
import { z } from "zod";
import { defineTool } from "../tool.js";
import type { AnyTool, Tool } from "../tool.js";
import { runBrowserCall } from "./browser-call.js";
import { launchTimeoutMs, resolveBrowserSettings, type BrowserToolSettings, type ResolvedBrowserSettings } from "./browser-settings.js";
import { clickElement } from "./click-element.js";
import { openPage } from "./open-page.js";
import { scrollPage, scrollToText } from "./scroll-page.js";
import { takeScreenshot } from "./take-screenshot.js";
import { typeText } from "./type-text.js";

export const browserToolNames = ["browser_open", "browser_click", "browser_type", "browser_scroll", "browser_screenshot"] as const;

// The schema says string (the simplest for every model and grammar), but small models often send
// an element number as a JSON number, which is taken as its digits.
const elementReference = z.preprocess((value) => (typeof value === "number" ? String(value) : value), z.string().trim().min(1));

const openParameters = z.object({
  url: z.string().trim().min(1).describe("The address to open, e.g. https://en.wikipedia.org/wiki/Ada_Lovelace."),
});
const clickParameters = z.object({
  target: elementReference.describe(
    'What to click: the element\'s number from the page view ("12"), its visible text ("Sign in"), or a CSS selector ("#submit").',
  ),
});
const typeParameters = z.object({
  field: elementReference.describe(
    'The field: its number from the page view ("7"), its label or placeholder text ("Search"), or a CSS selector.',
  ),
  text: z
    .string()
    .describe("The text to put in the field (it replaces what is there; empty clears it). For a drop-down, the option to pick."),
  submit: z.boolean().optional().describe("Press Enter afterwards, to send a search or a form. Default false."),
});
const scrollParameters = z.object({
  direction: z
    .enum(["down", "up", "top", "bottom"])
    .optional()
    .describe("down or up by one screen, or to the top or bottom. Default down."),
  to_text: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe("Instead of a direction: scroll to where this text is on the page (again for the next match)."),
});
const screenshotParameters = z.object({
  full_page: z.boolean().optional().describe("Capture the whole page instead of the visible screen. Default false."),
});

type OpenArguments = z.infer<typeof openParameters>;
type ClickArguments = z.infer<typeof clickParameters>;
type TypeArguments = z.infer<typeof typeParameters>;
type ScrollArguments = z.infer<typeof scrollParameters>;
type ScreenshotArguments = z.infer<typeof screenshotParameters>;

/** The five browser tools, sharing one headless Chromium per run. */
export function createBrowserTools(options: BrowserToolSettings = {}): AnyTool[] {
  const settings = resolveBrowserSettings(options);
  return [
    browserOpenTool(settings),
    browserClickTool(settings),
    browserTypeTool(settings),
    browserScrollTool(settings),
    browserScreenshotTool(settings),
  ];
}

// Above the slowest action's own limits (a cold browser start, then a navigation), so those
// limits fire first with a clear message.
function callTimeoutOf(settings: ResolvedBrowserSettings): number {
  return launchTimeoutMs + settings.navigationTimeoutMs + settings.actionTimeoutMs + 5_000;
}

const pageViewNote =
  "Every browser tool answers with the page as text: title, URL, the visible text, and the links, buttons and fields numbered like [3], to use with browser_click and browser_type.";

function browserOpenTool(settings: ResolvedBrowserSettings): Tool<OpenArguments> {
  return defineTool({
    name: "browser_open",
    description:
      "Open a web page in a real browser (headless Chromium that runs the page's JavaScript). Use it for pages that need " +
      `clicking, typing or scrolling, or that only render with JavaScript. ${pageViewNote} Only http and https addresses.`,
    parameters: openParameters,
    effects: "external",
    timeoutMs: callTimeoutOf(settings),
    run: (args, context) => runBrowserCall(context, settings, (page) => openPage(page, args.url, settings)),
  });
}

function browserClickTool(settings: ResolvedBrowserSettings): Tool<ClickArguments> {
  return defineTool({
    name: "browser_click",
    description: `Click a link, button or other element on the open page, by its number from the page view, its visible text, or a CSS selector. ${pageViewNote}`,
    parameters: clickParameters,
    effects: "external",
    timeoutMs: callTimeoutOf(settings),
    run: (args, context) => runBrowserCall(context, settings, (page) => clickElement(page, args.target, settings)),
  });
}

function browserTypeTool(settings: ResolvedBrowserSettings): Tool<TypeArguments> {
  return defineTool({
    name: "browser_type",
    description: `Type text into a field on the open page (by its number, label, placeholder or a CSS selector), and press Enter to submit if asked. ${pageViewNote}`,
    parameters: typeParameters,
    effects: "external",
    timeoutMs: callTimeoutOf(settings),
    run: (args, context) =>
      runBrowserCall(context, settings, (page) => typeText(page, args.field, args.text, args.submit ?? false, settings)),
  });
}

function browserScrollTool(settings: ResolvedBrowserSettings): Tool<ScrollArguments> {
  return defineTool({
    name: "browser_scroll",
    description: `Scroll the open page down or up by one screen, to its top or bottom, or to a piece of text, to read more of it. ${pageViewNote}`,
    parameters: scrollParameters,
    effects: "external",
    timeoutMs: callTimeoutOf(settings),
    run: (args, context) =>
      runBrowserCall(context, settings, (page) =>
        args.to_text !== undefined
          ? scrollToText(page, args.to_text, settings.actionTimeoutMs)
          : scrollPage(page, args.direction ?? "down", settings.actionTimeoutMs),
      ),
  });
}

function browserScreenshotTool(settings: ResolvedBrowserSettings): Tool<ScreenshotArguments> {
  return defineTool({
    name: "browser_screenshot",
    description:
      "Take a screenshot of the open page (the visible screen, or the whole page) to look at its layout, charts or images. " +
      "The PNG is also saved in the workspace under screenshots/, for Python or the image tools.",
    parameters: screenshotParameters,
    effects: "external",
    timeoutMs: callTimeoutOf(settings),
    run: (args, context) =>
      runBrowserCall(context, settings, (page) =>
        takeScreenshot(page, { fullPage: args.full_page ?? false, workspace: context.workspace, vision: context.model.vision }, settings),
      ),
  });
}
