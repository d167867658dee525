import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throwaway PONDER_HOME for one test; remove() deletes it. */
export function temporaryHome(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), "ponder-home-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
