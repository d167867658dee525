export { browserToolNames, createBrowserTools } from "./browser-tools.js";
export { browserSettingsSchema, resolveBrowserSettings } from "./browser-settings.js";
export type { BrowserToolSettings, ResolvedBrowserSettings } from "./browser-settings.js";
export { BrowserSession, browserResource } from "./browser-session.js";
export { findChromiumExecutable } from "./chromium-executable.js";
