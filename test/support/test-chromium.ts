import { chromium, type Browser } from "playwright-core";

// The system Chromium (Debian's package; never a downloaded browser), headless, with the flags
// that keep it from calling home: this machine's network refuses those connections.
const flags = ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Chromium for a test; `extraArgs` after the common flags (a host-resolver rule, say). */
export function launchTestChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/lib/chromium/chromium",
    headless: true,
    chromiumSandbox: false,
    args: [...flags, ...extraArgs],
  });
}
