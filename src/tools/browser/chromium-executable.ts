import { accessSync, constants, statSync } from "node:fs";
import { ToolInfraError } from "../../core/errors.js";

/**
 * The system browser, never a downloaded one. Debian's real binary comes first: `/usr/bin/chromium`
 * there is a wrapper script that reads /etc/chromium.d and adds flags of its own.
 */
const chromiumCandidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The configured path when given (it must exist), else the first candidate that can be run. */
export function findChromiumExecutable(configured?: string, candidates: string[] = chromiumCandidates): string {
  if (configured !== undefined) {
    if (isExecutable(configured)) return configured;
    throw new ToolInfraError(
      `The browser configured at ${configured} does not exist or cannot be run. Fix browser.executablePath in the Ponder config (or PONDER_CHROMIUM_PATH), or remove it to use the system Chromium.`,
    );
  }
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw new ToolInfraError(
    `No Chromium was found (looked at ${candidates.join(", ") || "no paths"}). Install it with \`sudo apt-get install chromium\`, or set browser.executablePath in the Ponder config (or PONDER_CHROMIUM_PATH) to a Chromium or Chrome binary.`,
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
