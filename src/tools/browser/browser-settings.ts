import { z } from "zod";
import { definedFields } from "../../core/defined-fields.js";

/**
 * The `browser` section of the config file. The config layer maps `PONDER_CHROMIUM_PATH` to
 * `executablePath`; this folder never reads the environment itself.
 */
export const browserSettingsSchema = z
  .object({
    /** The Chromium (or Chrome) binary; default the first of the usual Debian/Ubuntu paths that exists. */
    executablePath: z.string().min(1).optional(),
    /** Let the model open file:// URLs. Off by default: a file URL can read any local file, secrets included. */
    allowFileUrls: z.boolean().optional(),
    viewportWidth: z.number().int().min(320).max(3840).optional(),
    viewportHeight: z.number().int().min(240).max(2160).optional(),
    /** How long opening a page (or a navigation started by a click) may take. */
    navigationTimeoutMs: z.number().int().positive().optional(),
    /** How long a click, typing or a screenshot may take. */
    actionTimeoutMs: z.number().int().positive().optional(),
    /** Characters of the page's visible text shown after each action. */
    maxTextCharacters: z.number().int().min(200).optional(),
    /** Clickable elements and fields listed after each action. */
    maxElements: z.number().int().min(5).optional(),
    /** Full-page screenshots are cut at this height, so one image stays readable and affordable. */
    maxScreenshotHeight: z.number().int().min(240).optional(),
  })
  .strict();

export type BrowserToolSettings = z.infer<typeof browserSettingsSchema>;

export type ResolvedBrowserSettings = Required<Omit<BrowserToolSettings, "executablePath">> & { executablePath?: string };

const defaultBrowserSettings: Omit<ResolvedBrowserSettings, "executablePath"> = {
  allowFileUrls: false,
  viewportWidth: 1280,
  viewportHeight: 800,
  navigationTimeoutMs: 20_000,
  actionTimeoutMs: 10_000,
  maxTextCharacters: 4_000,
  maxElements: 60,
  maxScreenshotHeight: 6_000,
};

export function resolveBrowserSettings(settings: BrowserToolSettings = {}): ResolvedBrowserSettings {
  return { ...defaultBrowserSettings, ...definedFields(settings) };
}

/** How long Chromium may take to start; a cold start on a busy machine takes a few seconds. */
export const launchTimeoutMs = 30_000;
